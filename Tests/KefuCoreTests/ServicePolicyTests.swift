import Foundation
import Testing
@testable import KefuCore

@Suite("Which service-level policy a conversation falls under")
struct ServicePolicyTests {
    static let widget = UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!
    static let api = UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!
    static let vipDesk = UUID(uuidString: "00000000-0000-0000-0000-00000000000c")!
    static let hour = ServiceTargets(firstResponse: [.normal: .init(seconds: 3_600, businessHours: true)])

    static func policy(_ name: String, _ conditions: ServicePolicy.Conditions) -> ServicePolicy {
        ServicePolicy(id: UUID(), name: name, conditions: conditions, targets: hour)
    }

    /// In order: VIP customers first, then urgent Chinese-speaking theft cases, then API, then everyone.
    static let policies = [
        policy("VIP", .init(tiers: [.vip])),
        policy("Urgent Chinese security", .init(categories: ["Security"], languages: ["zh"], priorities: [.urgent])),
        policy("VIP desk team", .init(teamIDs: [vipDesk])),
        policy("Integrations", .init(inboxIDs: [api])),
        policy("Everyone", .init()),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let subject: ServicePolicy.Subject
        let policy: String?
        var testDescription: String { name }
    }

    static func subject(inbox: UUID = widget, team: UUID? = nil, category: String? = nil, tier: ContactTier = .standard,
                        language: String? = "en", priority: Priority = .normal) -> ServicePolicy.Subject {
        .init(inboxID: inbox, teamID: team, category: category, tier: tier, language: language, priority: priority)
    }

    static let cases: [Case] = [
        Case(name: "a VIP customer, whatever else", subject: subject(inbox: api, category: "Security", tier: .vip, priority: .urgent), policy: "VIP"),
        Case(name: "every condition of a policy must hold: urgent security in Traditional Chinese", subject:
                subject(category: "security", language: "zh-Hant", priority: .urgent), policy: "Urgent Chinese security"),
        Case(name: "one condition missing: the same case at high priority falls through", subject:
                subject(category: "Security", language: "zh-CN", priority: .high), policy: "Everyone"),
        Case(name: "in English it falls through too", subject: subject(category: "Security", language: "en", priority: .urgent), policy: "Everyone"),
        Case(name: "a conversation with no language is not covered by a language condition", subject:
                subject(category: "Security", language: nil, priority: .urgent), policy: "Everyone"),
        Case(name: "by team", subject: subject(team: vipDesk), policy: "VIP desk team"),
        Case(name: "no team does not match a team condition", subject: subject(inbox: api, team: nil), policy: "Integrations"),
        Case(name: "by inbox", subject: subject(inbox: api), policy: "Integrations"),
        Case(name: "the catch-all", subject: subject(), policy: "Everyone"),
    ]

    @Test("the first policy whose conditions all hold applies", arguments: cases)
    func applies(_ example: Case) {
        #expect(ServicePolicy.applying(to: example.subject, in: Self.policies)?.name == example.policy)
    }

    @Test("without a catch-all some conversations have no policy")
    func noPolicy() {
        #expect(ServicePolicy.applying(to: Self.subject(), in: Array(Self.policies.dropLast())) == nil)
        #expect(ServicePolicy.applying(to: Self.subject(), in: []) == nil)
    }
}
