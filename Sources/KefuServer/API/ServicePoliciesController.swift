import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct ServicePolicyView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let position: Int
    let conditions: ServicePolicyDocument.Conditions
    let targets: ServicePolicyDocument.Targets
    let warningShare: Double
    let escalation: ServicePolicyDocument.Escalation
    let createdAt: Date
    let updatedAt: Date

    init(_ record: ServicePolicyRecord) {
        id = record.id; name = record.name; position = record.position
        conditions = record.document.conditions ?? .init()
        targets = record.document.targets ?? .init()
        warningShare = record.document.warningShare ?? 0.8
        escalation = record.document.escalationShown
        createdAt = Date(millisSince1970: record.createdMillis); updatedAt = Date(millisSince1970: record.updatedMillis)
    }
}

/// A conversation's service levels: the policy and schedule that apply, and each clock.
struct ConversationServiceLevelsView: ResponseCodable, Sendable {
    struct Named: Codable, Sendable { let id: UUID; let name: String }
    struct Clock: Codable, Sendable {
        let clock: String
        let state: String
        let targetSeconds: Int
        let businessHours: Bool
        let usedSeconds: Double
        let leftSeconds: Double
        let dueAt: Date?
        let warningAt: Date?
    }

    let policy: Named?
    let schedule: Named?
    let clocks: [Clock]
    let nextDeadline: Date?
    /// breached, at_risk, running, paused, met or none (`ServiceStanding`).
    let standing: String
    /// The soonest target ahead of a running clock: what a countdown shows.
    let soonest: Soonest?
    struct Soonest: Codable, Sendable { let clock: String; let dueAt: Date }

    init(_ result: ConversationServiceLevels.Result, now: Date) {
        policy = result.policy.map { Named(id: $0.id, name: $0.name) }
        schedule = result.schedule.map { Named(id: $0.id, name: $0.name) }
        clocks = (result.report?.clocks ?? []).map {
            Clock(clock: $0.clock.rawValue, state: $0.state.rawValue, targetSeconds: $0.target.seconds, businessHours: $0.target.businessHours,
                  usedSeconds: $0.used.rounded(), leftSeconds: $0.left.rounded(), dueAt: $0.due, warningAt: $0.warningAt)
        }
        nextDeadline = result.report?.nextDeadline
        standing = (result.report?.standing(now: now) ?? .none).rawValue
        soonest = result.report?.soonestDue(after: now).map { Soonest(clock: $0.clock.rawValue, dueAt: $0.due) }
    }
}

/// Service-level policies: every agent reads them, owners and admins write them; the first
/// in `position` order whose conditions hold applies to a conversation.
struct ServicePoliciesController {
    let services: KefuServices
    var repository: ServicePolicyRepository { ServicePolicyRepository(persistence: services.persistence) }

    struct Input: Decodable {
        let name: String?
        let position: Int?
        let conditions: ServicePolicyDocument.Conditions?
        let targets: ServicePolicyDocument.Targets?
        let warningShare: Double?
        let escalation: ServicePolicyDocument.Escalation?
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    func addConversationRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(":id/sla", use: conversation)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<ServicePolicyView> {
        let agent = try context.requireAgent()
        return Page(items: try await repository.list(workspaceID: agent.workspaceID).map(ServicePolicyView.init), nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ServicePolicyView {
        let agent = try context.requireAgent()
        return ServicePolicyView(try await find(context: context, in: agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<ServicePolicyView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        if input.targets == nil { validation.fail("targets", "a policy needs targets, per priority, in seconds / 策略需要按优先级设置以秒计的目标") }
        let existing = try await repository.list(workspaceID: agent.workspaceID)
        let document = ServicePolicyDocument(conditions: input.conditions, targets: input.targets, warningShare: input.warningShare,
                                              escalation: input.escalation)
        let id = TimeOrderedID.make()
        _ = document.policy(id: id, name: name ?? "", validation: &validation)
        try await checkFollowers(document, in: agent.workspaceID, validation: &validation)
        try checkPosition(input.position, count: existing.count + 1, validation: &validation)
        try validation.check()
        let now = Date().millisSince1970
        let record = ServicePolicyRecord(id: id, workspaceID: agent.workspaceID, name: name!, position: input.position ?? existing.count,
                                         document: document, createdMillis: now, updatedMillis: now)
        return EditedResponse(status: .created, response: ServicePolicyView(try await place(record, among: existing)))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> ServicePolicyView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        var record = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        if let conditions = input.conditions { record.document.conditions = conditions }
        if let targets = input.targets { record.document.targets = targets }
        if let share = input.warningShare { record.document.warningShare = share }
        if let escalation = input.escalation { record.document.escalation = escalation }
        if let name { record.name = name }
        _ = record.document.policy(id: record.id, name: record.name, validation: &validation)
        try await checkFollowers(record.document, in: agent.workspaceID, validation: &validation)
        let others = try await repository.list(workspaceID: agent.workspaceID).filter { $0.id != record.id }
        try checkPosition(input.position, count: others.count + 1, validation: &validation)
        try validation.check()
        if let position = input.position { record.position = position }
        record.updatedMillis = Date().millisSince1970
        return ServicePolicyView(try await place(record, among: others))
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let id = try context.uuidParameter("id", what: "Service-level policy")
        guard try await repository.delete(id, workspaceID: agent.workspaceID) else { throw Problem.notFound("Service-level policy") }
        return .noContent
    }

    @Sendable func conversation(_ request: Request, context: KefuRequestContext) async throws -> ConversationServiceLevelsView {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        guard let conversation = try await ConversationRepository().find(id, workspaceID: agent.workspaceID, on: services.persistence.reader) else {
            throw Problem.notFound("Conversation")
        }
        let now = services.configuration.clock.now()
        return ConversationServiceLevelsView(try await ConversationServiceLevels(persistence: services.persistence).current(conversation, now: now), now: now)
    }

    /// Saves the record at its position and renumbers the others around it, so positions
    /// stay 0, 1, 2, … in the order policies are tried.
    private func place(_ record: ServicePolicyRecord, among others: [ServicePolicyRecord]) async throws -> ServicePolicyRecord {
        var ordered = others.filter { $0.id != record.id }
        ordered.insert(record, at: min(max(0, record.position), ordered.count))
        var changed: [ServicePolicyRecord] = []
        var saved = record
        for (index, var entry) in ordered.enumerated() where entry.position != index || entry.id == record.id {
            entry.position = index
            changed.append(entry)
            if entry.id == record.id { saved = entry }
        }
        try await repository.save(changed)
        return saved
    }

    private func checkPosition(_ position: Int?, count: Int, validation: inout Validation) throws {
        if let position, !(0..<max(count, 1)).contains(position) { validation.fail("position", "between 0 and \(max(count - 1, 0)) / 应在 0 到 \(max(count - 1, 0)) 之间") }
    }

    private func checkFollowers(_ document: ServicePolicyDocument, in workspaceID: UUID, validation: inout Validation) async throws {
        let conditions = document.conditions
        let followers = WorkspaceFollowers(persistence: services.persistence)
        try await followers.check(document.escalation?.onWarning?.handToTeamId, of: .team,
                                  field: "escalation.onWarning.handToTeamId", in: workspaceID, into: &validation)
        try await followers.check(document.escalation?.onBreach?.handToTeamId, of: .team,
                                  field: "escalation.onBreach.handToTeamId", in: workspaceID, into: &validation)
        try await followers.check(conditions?.inboxIds ?? [], of: .inbox, field: "conditions.inboxIds", in: workspaceID, into: &validation)
        try await followers.check(conditions?.teamIds ?? [], of: .team, field: "conditions.teamIds", in: workspaceID, into: &validation)
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> ServicePolicyRecord {
        let id = try context.uuidParameter("id", what: "Service-level policy")
        guard let record = try await repository.find(id, workspaceID: workspaceID) else { throw Problem.notFound("Service-level policy") }
        return record
    }
}
