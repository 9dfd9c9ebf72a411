import Foundation
import KefuCore

/// A service-level policy as the API reads and writes it, and as it is stored.
struct ServicePolicyDocument: Codable, Sendable, Equatable {
    struct Conditions: Codable, Sendable, Equatable {
        var inboxIds: [UUID]?
        var teamIds: [UUID]?
        var categories: [String]?
        var tiers: [String]?
        var languages: [String]?
        var priorities: [String]?
        /// True: complaints only; false: everything but complaints.
        var complaint: Bool?
    }

    struct Target: Codable, Sendable, Equatable {
        var seconds: Int
        var businessHours: Bool?
    }

    struct Targets: Codable, Sendable, Equatable {
        var firstResponse: [String: Target]?
        var nextResponse: [String: Target]?
        var resolution: [String: Target]?
    }

    /// Each step left out keeps the standard escalation's (`ServiceEscalation.standard`).
    struct Steps: Codable, Sendable, Equatable {
        var notifyAssignee: Bool?
        var notifyTeam: Bool?
        var raisePriority: Bool?
        var handToTeamId: UUID?
    }

    struct Escalation: Codable, Sendable, Equatable {
        var onWarning: Steps?
        var onBreach: Steps?
    }

    var conditions: Conditions?
    var targets: Targets?
    var warningShare: Double?
    var escalation: Escalation?

    /// The escalation in the domain's terms.
    var serviceEscalation: ServiceEscalation {
        func steps(_ given: Steps?, standard: EscalationSteps) -> EscalationSteps {
            EscalationSteps(notifyAssignee: given?.notifyAssignee ?? standard.notifyAssignee, notifyTeam: given?.notifyTeam ?? standard.notifyTeam,
                            raisePriority: given?.raisePriority ?? standard.raisePriority, handToTeam: given?.handToTeamId ?? standard.handToTeam)
        }
        let standard = ServiceEscalation.standard
        return ServiceEscalation(onWarning: steps(escalation?.onWarning, standard: standard.onWarning),
                                 onBreach: steps(escalation?.onBreach, standard: standard.onBreach))
    }

    /// The escalation as the API shows it: every step spelled out.
    var escalationShown: Escalation {
        let e = serviceEscalation
        func shown(_ s: EscalationSteps) -> Steps {
            Steps(notifyAssignee: s.notifyAssignee, notifyTeam: s.notifyTeam, raisePriority: s.raisePriority, handToTeamId: s.handToTeam)
        }
        return Escalation(onWarning: shown(e.onWarning), onBreach: shown(e.onBreach))
    }

    static let maxTargetSeconds = 366 * 86_400

    /// The policy in the domain's terms, or every mistake in it by field.
    func policy(id: UUID, name: String, validation: inout Validation) -> ServicePolicy {
        var conditions = ServicePolicy.Conditions()
        let given = self.conditions ?? Conditions()
        conditions.inboxIDs = Set(given.inboxIds ?? [])
        conditions.teamIDs = Set(given.teamIds ?? [])
        conditions.complaint = given.complaint
        conditions.categories = Set((given.categories ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        for (index, tier) in (given.tiers ?? []).enumerated() {
            if let known = ContactTier(rawValue: tier) { conditions.tiers.insert(known) } else {
                validation.fail("conditions.tiers[\(index)]", "one of \(ContactTier.allCases.map(\.rawValue).joined(separator: ", ")) / 应为 \(ContactTier.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
        }
        for (index, language) in (given.languages ?? []).enumerated() {
            if language.isEmpty || language.count > 20 { validation.fail("conditions.languages[\(index)]", "a language tag such as zh or en / 语言代码，例如 zh 或 en") }
            else { conditions.languages.insert(language) }
        }
        for (index, priority) in (given.priorities ?? []).enumerated() {
            if let known = Priority(rawValue: priority) { conditions.priorities.insert(known) } else {
                validation.fail("conditions.priorities[\(index)]", "one of \(Priority.allCases.map(\.rawValue).joined(separator: ", ")) / 应为 \(Priority.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
        }
        func targets(_ given: [String: Target]?, field: String) -> [Priority: ServiceTargets.Target] {
            var result: [Priority: ServiceTargets.Target] = [:]
            for (key, target) in (given ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let priority = Priority(rawValue: key) else {
                    validation.fail("\(field).\(key)", "targets are given per priority: \(Priority.allCases.map(\.rawValue).joined(separator: ", ")) / 目标按优先级设置：\(Priority.allCases.map(\.rawValue).joined(separator: "、"))")
                    continue
                }
                guard (1...Self.maxTargetSeconds).contains(target.seconds) else {
                    validation.fail("\(field).\(key).seconds", "between 1 second and a year / 应在 1 秒到一年之间")
                    continue
                }
                result[priority] = .init(seconds: target.seconds, businessHours: target.businessHours ?? true)
            }
            return result
        }
        let share = warningShare ?? 0.8
        if !(share > 0 && share < 1) { validation.fail("warningShare", "a share of the target between 0 and 1, such as 0.8 / 目标的比例，介于 0 和 1 之间，例如 0.8") }
        let serviceTargets = ServiceTargets(firstResponse: targets(self.targets?.firstResponse, field: "targets.firstResponse"),
                                            nextResponse: targets(self.targets?.nextResponse, field: "targets.nextResponse"),
                                            resolution: targets(self.targets?.resolution, field: "targets.resolution"),
                                            warningShare: share)
        return ServicePolicy(id: id, name: name, conditions: conditions, targets: serviceTargets, escalation: serviceEscalation)
    }
}
