import FluentKit
import Foundation
import KefuCore
import SQLKit
import Synchronization

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
            throw Problem.conflict("Another service-level policy of this workspace already has this name. / 本工作区已有同名的服务等级策略。")
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

/// What a workspace's service levels follow: its policies in order and its schedules,
/// each already turned into the domain's terms. Read once for every conversation of the
/// workspace a scheduler tick looks at.
struct ServiceLevelRules: Sendable {
    let policies: [(record: ServicePolicyRecord, policy: ServicePolicy)]
    let schedules: [(record: ScheduleRecord, schedule: BusinessSchedule)]

    static func load(workspaceID: UUID, persistence: Persistence) async throws -> ServiceLevelRules {
        let policies = try await ServicePolicyRepository(persistence: persistence).list(workspaceID: workspaceID)
        let schedules = try await ScheduleRepository(persistence: persistence).list(workspaceID: workspaceID)
        return ServiceLevelRules(policies: policies.map { ($0, $0.policy) }, schedules: schedules.map { ($0, $0.schedule) })
    }

    /// The team's schedule, else the inbox's, else the default, else every hour of every day.
    func schedule(inboxID: UUID, teamID: UUID?) -> (record: ScheduleRecord?, schedule: BusinessSchedule) {
        let chosen = teamID.flatMap { team in schedules.first { $0.record.teamIDs.contains(team) } }
            ?? schedules.first { $0.record.inboxIDs.contains(inboxID) }
            ?? schedules.first { $0.record.isDefault }
        return (chosen?.record, chosen?.schedule ?? .alwaysOpen)
    }

    /// The first policy covering the conversation (policies are kept in order), with the
    /// facts it is judged on looked up only when some policy asks for them.
    func policy(for conversation: ConversationRecord, tier known: ContactTier? = nil, on db: any Database) async throws -> (record: ServicePolicyRecord, policy: ServicePolicy)? {
        guard !policies.isEmpty else { return nil }
        let tier = if let known { known } else { try await conversation.contactTier(on: db) }
        // Only a workspace with a policy for (or against) complaints pays for the look-up.
        let asksComplaint = policies.contains { $0.policy.conditions.complaint != nil }
        let isComplaint = asksComplaint ? try await ComplaintRepository.isComplaint(conversation.id, on: db) : false
        let subject = ServicePolicy.Subject(inboxID: conversation.inboxID, teamID: conversation.teamID, category: conversation.category,
                                            tier: tier, language: conversation.language, priority: conversation.priority, isComplaint: isComplaint)
        return policies.first { $0.policy.covers(subject) }
    }
}

/// Rules read at most once per workspace while it lives: one scheduler tick.
final class ServiceLevelRulesCache: Sendable {
    private let loaded = Mutex<[UUID: ServiceLevelRules]>([:])
    let persistence: Persistence

    init(persistence: Persistence) { self.persistence = persistence }

    func rules(workspaceID: UUID) async throws -> ServiceLevelRules {
        if let known = loaded.withLock({ $0[workspaceID] }) { return known }
        let rules = try await ServiceLevelRules.load(workspaceID: workspaceID, persistence: persistence)
        loaded.withLock { $0[workspaceID] = rules }
        return rules
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

    func current(_ conversation: ConversationRecord, now: Date, rules known: ServiceLevelRules? = nil) async throws -> Result {
        let db = persistence.reader as! any SQLDatabase
        let rules = if let known { known } else { try await ServiceLevelRules.load(workspaceID: conversation.workspaceID, persistence: persistence) }
        let (scheduleRecord, schedule) = rules.schedule(inboxID: conversation.inboxID, teamID: conversation.teamID)
        guard let chosen = try await rules.policy(for: conversation, on: persistence.reader) else {
            return Result(policy: nil, schedule: scheduleRecord, report: nil)
        }
        let (facts, initial) = try await Self.facts(conversation, on: db)
        let report = ServiceLevels(targets: chosen.policy.targets, schedule: schedule).report(facts, priority: initial, now: now)
        return Result(policy: chosen.record, schedule: scheduleRecord, report: report)
    }

    /// Public messages by who wrote them, and the timeline's status, priority and bot events.
    static func facts(_ conversation: ConversationRecord, on db: any SQLDatabase) async throws -> ([ServiceFact], Priority) {
        var facts = ServiceFactsReading()
        let people = [AuthorKind.contact, .agent].map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let messages = try await db.raw("""
            SELECT author_kind, created_at FROM messages
            WHERE conversation_id = \(bind: conversation.id) AND \(ident: "private") = \(bind: false) AND author_kind IN (\(people))
            """).all()
        for message in messages {
            guard let at = try message.decode(column: "created_at", as: Date?.self) else { continue }
            facts.message(by: AuthorKind(rawValue: try message.decode(column: "author_kind", as: String.self)), at: at)
        }
        let listed = ServiceFactsReading.eventKinds.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let events = try await db.raw("""
            SELECT kind, data, created_at FROM conversation_events WHERE conversation_id = \(bind: conversation.id) AND kind IN (\(listed))
            ORDER BY id
            """).all()
        for event in events {
            guard let at = try event.decode(column: "created_at", as: Date?.self),
                  let kind = ConversationEventKind(rawValue: try event.decode(column: "kind", as: String.self)) else { continue }
            facts.event(kind, data: StoredJSON.decode([String: String].self, from: try event.decode(column: "data", as: String.self), default: [:]), at: at)
        }
        return (facts.facts, facts.initialPriority ?? conversation.priority)
    }
}

/// A conversation's public messages and timeline read as service-level facts, in the order
/// they were stored: what the clocks in the console and the reports' outcomes both replay.
struct ServiceFactsReading {
    static let eventKinds: [ConversationEventKind] = [.statusChanged, .resolved, .reopened, .priorityChanged, .botAnswered, .botHandoff, .botResolved]

    private(set) var facts: [ServiceFact] = []
    /// The priority before its first change, if it ever changed.
    private(set) var initialPriority: Priority?

    /// A public message (private notes are not given).
    mutating func message(by author: AuthorKind?, at: Date) {
        switch author {
        case .contact?: facts.append(.customerMessage(at: at))
        case .agent?: facts.append(.personReply(at: at))
        default: break
        }
    }

    mutating func event(_ kind: ConversationEventKind, data: [String: String], at: Date) {
        switch kind {
        case .statusChanged, .resolved, .reopened:
            if let to = data["to"].flatMap(ConversationStatus.init(rawValue:)) { facts.append(.status(to, at: at)) }
            else if kind == .resolved { facts.append(.status(.resolved, at: at)) }
            else if kind == .reopened { facts.append(.status(.open, at: at)) }
        case .priorityChanged:
            if initialPriority == nil { initialPriority = data["from"].flatMap(Priority.init(rawValue:)) }
            if let to = data["to"].flatMap(Priority.init(rawValue:)) { facts.append(.priority(to, at: at)) }
        case .botAnswered: facts.append(.botAnswered(at: at))
        case .botHandoff: facts.append(.botHandoff(at: at))
        case .botResolved: facts.append(.status(.resolved, at: at))
        default: break
        }
    }
}
