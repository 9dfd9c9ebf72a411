import FluentKit
import Foundation
import KefuCore
import SQLKit

/// The `routing_queue` table: conversations waiting for an agent, per inbox.
struct RoutingQueueRepository: Sendable {
    struct Waiting: Sendable {
        let conversationID: UUID
        let workspaceID: UUID
        let inboxID: UUID
        let queuedMillis: Int64
        let reason: String
    }

    /// Puts a conversation in its inbox's queue, keeping the first queue time if it is there.
    static func enqueue(_ conversation: ConversationRecord, since millis: Int64, reason: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO routing_queue (conversation_id, workspace_id, inbox_id, queued_ms, reason)
            VALUES (\(bind: conversation.id), \(bind: conversation.workspaceID), \(bind: conversation.inboxID), \(bind: millis), \(bind: reason))
            ON CONFLICT (conversation_id) DO UPDATE SET reason = excluded.reason
            """).run()
    }

    /// Takes conversations out of the queue: given an agent, resolved or closed.
    static func remove(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        try await (db as! any SQLDatabase).raw("""
            DELETE FROM routing_queue WHERE conversation_id IN (\(ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))
            """).run()
    }

    /// Conversations that no longer wait once this change is written.
    static func leaving(_ writes: [(before: ConversationRecord?, after: ConversationRecord)]) -> [UUID] {
        writes.compactMap { write in
            guard let before = write.before else { return nil }
            let assigned = before.assigneeID == nil && write.after.assigneeID != nil
            let done = before.status.isActive && !write.after.status.isActive
            return assigned || done ? write.after.id : nil
        }
    }

    let persistence: Persistence

    /// The inboxes with someone waiting: what the dispatcher looks at each tick.
    func inboxesWaiting() async throws -> [(workspaceID: UUID, inboxID: UUID)] {
        try await (persistence.reader as! any SQLDatabase).raw("SELECT DISTINCT workspace_id, inbox_id FROM routing_queue").all().map {
            (try $0.decode(column: "workspace_id", as: UUID.self), try $0.decode(column: "inbox_id", as: UUID.self))
        }
    }

    func waiting(workspaceID: UUID, inboxID: UUID? = nil, on db: (any Database)? = nil) async throws -> [Waiting] {
        let inbox: SQLQueryString = inboxID.map { " AND inbox_id = \(bind: $0)" } ?? ""
        return try await ((db ?? persistence.reader) as! any SQLDatabase).raw("""
            SELECT conversation_id, workspace_id, inbox_id, queued_ms, reason FROM routing_queue
            WHERE workspace_id = \(bind: workspaceID)\(inbox) ORDER BY queued_ms, conversation_id
            """).all().map {
            Waiting(conversationID: try $0.decode(column: "conversation_id", as: UUID.self), workspaceID: try $0.decode(column: "workspace_id", as: UUID.self),
                    inboxID: try $0.decode(column: "inbox_id", as: UUID.self), queuedMillis: try $0.decode(column: "queued_ms", as: Int64.self),
                    reason: try $0.decode(column: "reason", as: String.self))
        }
    }
}

/// A workspace's routing settings.
struct RoutingSettings: Codable, Sendable, Equatable {
    /// How long an agent who went away keeps their conversations before they are requeued.
    var graceSeconds: Int

    static let standard = RoutingSettings(graceSeconds: 300)
    static let maxGraceSeconds = 86_400

    static func load(workspaceID: UUID, on db: any Database) async throws -> RoutingSettings {
        guard let row = try await (db as! any SQLDatabase).raw("SELECT grace_seconds FROM routing_settings WHERE workspace_id = \(bind: workspaceID)").first() else {
            return .standard
        }
        return RoutingSettings(graceSeconds: try row.decode(column: "grace_seconds", as: Int.self))
    }

    func save(workspaceID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO routing_settings (workspace_id, grace_seconds, updated_ms) VALUES (\(bind: workspaceID), \(bind: graceSeconds), \(bind: Date().millisSince1970))
            ON CONFLICT (workspace_id) DO UPDATE SET grace_seconds = excluded.grace_seconds, updated_ms = excluded.updated_ms
            """).run()
    }
}

/// An inbox's (or a workspace's) queue as read at one moment: each waiting conversation
/// with what the queue orders it by. The dispatcher, the supervisors' view and the widget's
/// place in line all read it this way, so they agree on the order.
struct QueueSnapshot: Sendable {
    struct Item: Sendable {
        let waiting: RoutingQueueRepository.Waiting
        let conversation: ConversationRecord
        let entry: RoutingQueue.Entry
    }

    let items: [Item]

    static func read(workspaceID: UUID, inboxID: UUID? = nil, persistence: Persistence, on db: any Database) async throws -> QueueSnapshot {
        let waiting = try await RoutingQueueRepository(persistence: persistence).waiting(workspaceID: workspaceID, inboxID: inboxID, on: db)
        let facts = try await QueueDispatcher.queueFacts(waiting.map(\.conversationID), on: db)
        var items: [Item] = []
        for entry in waiting {
            guard let conversation = try await ConversationRepository().find(entry.conversationID, workspaceID: workspaceID, on: db) else { continue }
            let fact = facts[conversation.id]
            items.append(Item(waiting: entry, conversation: conversation, entry: RoutingQueue.Entry(
                conversationID: conversation.id.uuidString,
                conversation: .init(category: conversation.category, language: conversation.language, teamID: conversation.teamID?.uuidString),
                priority: conversation.priority, tier: fact?.tier ?? .standard, slaDue: fact?.due,
                queuedAt: Date(millisSince1970: entry.queuedMillis))))
        }
        return QueueSnapshot(items: items)
    }

    /// One inbox's waiting conversations in the order they are served.
    func ordered(inbox: UUID) -> [Item] {
        let mine = items.filter { $0.waiting.inboxID == inbox }
        let byID = Dictionary(mine.map { ($0.entry.conversationID, $0) }, uniquingKeysWith: { first, _ in first })
        return RoutingQueue.ordered(mine.map(\.entry)).compactMap { byID[$0.conversationID] }
    }

    var inboxes: [UUID] { Array(Set(items.map(\.waiting.inboxID))).sorted { $0.uuidString < $1.uuidString } }
}

/// Where one waiting customer stands: their place in their inbox's queue, in the order it
/// is served, and the mean wait of those served from it in the last hour.
struct QueueStanding: Sendable {
    let position: Int
    let estimatedWaitSeconds: Int?

    static func of(_ conversation: ConversationRecord, now: Date, persistence: Persistence) async throws -> QueueStanding? {
        let db = persistence.reader
        let queue = try await QueueSnapshot.read(workspaceID: conversation.workspaceID, inboxID: conversation.inboxID, persistence: persistence, on: db)
        guard let place = queue.ordered(inbox: conversation.inboxID).firstIndex(where: { $0.conversation.id == conversation.id }) else { return nil }
        let hourAgo = now.millisSince1970 - 3_600_000
        let mean = try await (db as! any SQLDatabase).raw("""
            SELECT AVG(waited_ms) AS mean, COUNT(*) AS served FROM routing_waits
            WHERE inbox_id = \(bind: conversation.inboxID) AND assigned_ms >= \(bind: hourAgo)
            """).first()
        let served = try mean?.decode(column: "served", as: Int.self) ?? 0
        let meanMillis = served > 0 ? try mean?.decode(column: "mean", as: Double?.self) : nil
        return QueueStanding(position: place + 1, estimatedWaitSeconds: meanMillis.map { Int(($0 / 1000).rounded()) })
    }
}
