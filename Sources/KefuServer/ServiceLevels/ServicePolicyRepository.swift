import FluentKit
import Foundation
import KefuCore

/// A stored policy: its place in the workspace's order and its document.
struct ServicePolicyRecord: Sendable, Equatable {
    let id: UUID
    let workspaceID: UUID
    var name: String
    var position: Int
    var document: ServicePolicyDocument
    let createdMillis: Int64
    var updatedMillis: Int64

    var policy: ServicePolicy {
        var ignored = Validation()
        return document.policy(id: id, name: name, validation: &ignored)
    }
}

struct ServicePolicyRepository: Sendable {
    let persistence: Persistence

    /// In the order they are tried.
    func list(workspaceID: UUID) async throws -> [ServicePolicyRecord] {
        try await ServicePolicyRow.query(on: persistence.reader).filter(\.$workspaceID == workspaceID)
            .sort(\.$position).sort(\.$id).all().map(Self.record)
    }

    func find(_ id: UUID, workspaceID: UUID) async throws -> ServicePolicyRecord? {
        guard let row = try await ServicePolicyRow.find(id, on: persistence.reader), row.workspaceID == workspaceID else { return nil }
        return Self.record(row)
    }

    /// Saves the records, in one transaction: a policy moved in the order and the ones that
    /// made room for it are renumbered together or not at all.
    func save(_ records: [ServicePolicyRecord]) async throws {
        do {
            try await persistence.transaction { db in
                for record in records {
                    let row = try await ServicePolicyRow.find(record.id, on: db) ?? ServicePolicyRow()
                    row.id = record.id
                    row.workspaceID = record.workspaceID
                    row.name = record.name
                    row.position = record.position
                    row.document = StoredJSON.encode(record.document)
                    row.createdMillis = record.createdMillis
                    row.updatedMillis = record.updatedMillis
                    try await row.save(on: db)
                }
                // Conversations now under other targets are looked at again.
                if let workspace = records.first?.workspaceID { try await ServiceLevelWatches.touchWorkspace(workspace, on: db) }
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw Problem.conflict("Another service-level policy of this workspace already has this name.")
        }
    }

    func delete(_ id: UUID, workspaceID: UUID) async throws -> Bool {
        try await persistence.transaction { db in
            guard let row = try await ServicePolicyRow.find(id, on: db), row.workspaceID == workspaceID else { return false }
            try await row.delete(on: db)
            try await ServiceLevelWatches.touchWorkspace(workspaceID, on: db)
            return true
        }
    }

    private static func record(_ row: ServicePolicyRow) -> ServicePolicyRecord {
        ServicePolicyRecord(id: row.id!, workspaceID: row.workspaceID, name: row.name, position: row.position,
                            document: StoredJSON.decode(ServicePolicyDocument.self, from: row.document, default: ServicePolicyDocument()),
                            createdMillis: row.createdMillis, updatedMillis: row.updatedMillis)
    }
}

/// A conversation's service levels now, replayed from its messages and timeline with the
/// policy and the schedule that apply to it.
struct ConversationServiceLevels: Sendable {
    let persistence: Persistence

    struct Result: Sendable {
        let policy: ServicePolicyRecord?
        let schedule: ScheduleRecord?
        let report: ServiceLevels.Report?
    }

    func current(_ conversation: ConversationRecord, now: Date) async throws -> Result {
        let db = persistence.reader
        let tier = try await ContactRow.find(conversation.contactID, on: db).flatMap { ContactTier(rawValue: $0.tier) } ?? .standard
        let subject = ServicePolicy.Subject(inboxID: conversation.inboxID, teamID: conversation.teamID, category: conversation.category,
                                            tier: tier, language: conversation.language, priority: conversation.priority)
        let policies = try await ServicePolicyRepository(persistence: persistence).list(workspaceID: conversation.workspaceID)
        let schedules = ScheduleRepository(persistence: persistence)
        let (scheduleRecord, schedule) = try await schedules.effective(workspaceID: conversation.workspaceID, inboxID: conversation.inboxID,
                                                                       teamID: conversation.teamID)
        guard let chosen = policies.first(where: { $0.policy.covers(subject) }) else {
            return Result(policy: nil, schedule: scheduleRecord, report: nil)
        }
        let (facts, initial) = try await self.facts(conversation, on: db)
        let report = ServiceLevels(targets: chosen.policy.targets, schedule: schedule).report(facts, priority: initial, now: now)
        return Result(policy: chosen, schedule: scheduleRecord, report: report)
    }

    /// Public messages by who wrote them, and the timeline's status, priority and bot events.
    private func facts(_ conversation: ConversationRecord, on db: any Database) async throws -> ([ServiceFact], Priority) {
        var facts: [ServiceFact] = []
        let messages = try await MessageRow.query(on: db).filter(\.$conversationID == conversation.id).filter(\.$isPrivate == false).all()
        for message in messages {
            guard let at = message.createdAt else { continue }
            switch AuthorKind(rawValue: message.authorKind) {
            case .contact?: facts.append(.customerMessage(at: at))
            case .agent?: facts.append(.personReply(at: at))
            default: break
            }
        }
        var initial: Priority?
        let events = try await ConversationEventRow.query(on: db).filter(\.$conversationID == conversation.id).all()
        for event in events {
            guard let at = event.createdAt, let kind = ConversationEventKind(rawValue: event.kind) else { continue }
            let data = StoredJSON.decode([String: String].self, from: event.data, default: [:])
            switch kind {
            case .statusChanged, .resolved, .reopened:
                if let to = data["to"].flatMap(ConversationStatus.init(rawValue:)) { facts.append(.status(to, at: at)) }
                else if kind == .resolved { facts.append(.status(.resolved, at: at)) }
                else if kind == .reopened { facts.append(.status(.open, at: at)) }
            case .priorityChanged:
                if initial == nil { initial = data["from"].flatMap(Priority.init(rawValue:)) }
                if let to = data["to"].flatMap(Priority.init(rawValue:)) { facts.append(.priority(to, at: at)) }
            case .botAnswered: facts.append(.botAnswered(at: at))
            case .botHandoff: facts.append(.botHandoff(at: at))
            case .botResolved: facts.append(.status(.resolved, at: at))
            default: break
            }
        }
        return (facts, initial ?? conversation.priority)
    }
}
