import FluentKit
import Foundation
import KefuCore
import SQLKit

/// The `sla_watches` table: when each conversation's service levels must be looked at
/// again, which alerts it has raised, and how it stood when last looked at.
struct ServiceLevelWatches: Sendable {
    /// A watch taken for evaluation.
    struct Due: Sendable {
        let conversationID: UUID
        let workspaceID: UUID
        let generation: Int64
        let raised: Set<String>
    }

    /// How long a taken watch is reserved for the evaluation; a node that dies with it lets
    /// another take it after this.
    static let lease: Int64 = 60_000

    let persistence: Persistence

    /// Summaries are written with `RealtimeEvent.encode`: ISO 8601 dates.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Marks conversations as changed, in the transaction that changes them: due at once.
    static func touch(_ conversations: [ConversationRecord], now: Int64, on db: any Database) async throws {
        guard !conversations.isEmpty else { return }
        var seen = Set<UUID>()
        let rows = conversations.filter { seen.insert($0.id).inserted }.map { conversation -> SQLQueryString in
            "(\(bind: conversation.id), \(bind: conversation.workspaceID), \(bind: now), 0, '[]', \(bind: ServiceStanding.none.rawValue), \(bind: now))"
        }
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO sla_watches (conversation_id, workspace_id, due_ms, generation, raised, standing, updated_ms)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (conversation_id) DO UPDATE SET due_ms = excluded.due_ms, generation = sla_watches.generation + 1
            """).run()
    }

    /// Every conversation of the workspace still being worked on is due again: its policy
    /// or its schedule may have changed.
    static func touchWorkspace(_ workspaceID: UUID, now: Int64 = Date().millisSince1970, on db: any Database) async throws {
        let active = ConversationStatus.allCases.filter(\.isActive).map { "\(bind: $0.rawValue)" as SQLQueryString }
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO sla_watches (conversation_id, workspace_id, due_ms, generation, raised, standing, updated_ms)
            SELECT id, workspace_id, \(bind: now), 0, '[]', \(bind: ServiceStanding.none.rawValue), \(bind: now) FROM conversations
            WHERE workspace_id = \(bind: workspaceID) AND status IN (\(active.joined(separator: ", ")))
            ON CONFLICT (conversation_id) DO UPDATE SET due_ms = excluded.due_ms, generation = sla_watches.generation + 1
            """).run()
    }

    /// Takes up to `limit` watches due by `now`, soonest first, reserving them for a lease.
    /// The index on `due_ms` answers this without reading a single watch that is not due.
    func takeDue(now: Int64, limit: Int) async throws -> [Due] {
        // On SQLite a take is a write: an idle desk looks on a reading connection first.
        guard try await (persistence.reader as! any SQLDatabase)
            .raw("SELECT 1 AS due FROM sla_watches WHERE due_ms <= \(bind: now) LIMIT 1").first() != nil else { return [] }
        let lock: SQLQueryString = persistence.location.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await persistence.sql.raw("""
            UPDATE sla_watches SET due_ms = \(bind: now + Self.lease)
            WHERE conversation_id IN (SELECT conversation_id FROM sla_watches WHERE due_ms <= \(bind: now)
                                      ORDER BY due_ms LIMIT \(bind: limit)\(lock))
            RETURNING conversation_id, workspace_id, generation, raised
            """).all()
        return try rows.map { row in
            Due(conversationID: try row.decode(column: "conversation_id", as: UUID.self),
                workspaceID: try row.decode(column: "workspace_id", as: UUID.self),
                generation: try row.decode(column: "generation", as: Int64.self),
                raised: Set(StoredJSON.decode([String].self, from: try row.decode(column: "raised", as: String.self), default: [])))
        }
    }

    /// Records an evaluation, unless the conversation changed since the watch was taken:
    /// then the change's own due time (at once) stands and it is evaluated again.
    @discardableResult
    func settle(_ due: Due, next: Date?, raised: Set<String>, standing: ServiceStanding, summary: String?, now: Int64, on db: (any Database)? = nil,
                anyGeneration: Bool = false) async throws -> Bool {
        let sql = (db ?? persistence.db) as! any SQLDatabase
        let guardClause: SQLQueryString = anyGeneration ? "" : " AND generation = \(bind: due.generation)"
        let rows = try await sql.raw("""
            UPDATE sla_watches SET due_ms = \(bind: next?.millisSince1970), raised = \(bind: StoredJSON.encode(raised.sorted())),
                standing = \(bind: standing.rawValue), summary = \(bind: summary), updated_ms = \(bind: now)
            WHERE conversation_id = \(bind: due.conversationID)\(guardClause)
            RETURNING conversation_id
            """).all()
        return !rows.isEmpty
    }

    /// Alerts raised so far, read in the transaction that raises more.
    func raised(_ conversationID: UUID, on db: any Database) async throws -> Set<String> {
        guard let row = try await (db as! any SQLDatabase).raw("SELECT raised FROM sla_watches WHERE conversation_id = \(bind: conversationID)").first() else {
            return []
        }
        return Set(StoredJSON.decode([String].self, from: try row.decode(column: "raised", as: String.self), default: []))
    }

    func forget(_ conversationID: UUID) async throws {
        try await persistence.sql.raw("DELETE FROM sla_watches WHERE conversation_id = \(bind: conversationID)").run()
    }

    /// The soonest target of a running clock in a stored summary.
    static func soonestDue(_ summary: String) -> Date? {
        (try? decoder.decode(ConversationServiceLevelsView.self, from: Data(summary.utf8)))?.soonest?.dueAt
    }

    /// How the conversations stood when last evaluated, for a page of a list.
    func summaries(_ ids: [UUID]) async throws -> [UUID: ConversationServiceLevelsView] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT conversation_id, summary FROM sla_watches
            WHERE conversation_id IN (\(ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", "))) AND summary IS NOT NULL
            """).all()
        var summaries: [UUID: ConversationServiceLevelsView] = [:]
        for row in rows {
            let id = try row.decode(column: "conversation_id", as: UUID.self)
            guard let json = try row.decode(column: "summary", as: String?.self),
                  let view = try? Self.decoder.decode(ConversationServiceLevelsView.self, from: Data(json.utf8)) else { continue }
            summaries[id] = view
        }
        return summaries
    }

    /// How the workspace's active conversations stand now, and how long the running ones
    /// have before their soonest target: what the service-levels report shows beside its range.
    struct StandingNow: Codable, Sendable, Equatable {
        /// breached, at_risk, running, paused → conversations.
        var conversations: [String: Int] = [:]
        /// Running clocks due within the hour.
        var dueWithinHour = 0
        /// The median of the running clocks' time left to their soonest target.
        var medianSecondsToBreach: Double?
    }

    func standingNow(workspaceID: UUID, now: Date) async throws -> StandingNow {
        let active = ConversationStatus.allCases.filter(\.isActive).map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let watched = [ServiceStanding.breached, .atRisk, .running, .paused].map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT w.standing, w.summary FROM sla_watches w JOIN conversations c ON c.id = w.conversation_id
            WHERE w.workspace_id = \(bind: workspaceID) AND w.standing IN (\(watched)) AND c.status IN (\(active))
            """).all()
        var standing = StandingNow()
        var left: [Double] = []
        for row in rows {
            let kind = try row.decode(column: "standing", as: String.self)
            standing.conversations[kind, default: 0] += 1
            guard kind == ServiceStanding.running.rawValue || kind == ServiceStanding.atRisk.rawValue,
                  let summary = try row.decode(column: "summary", as: String?.self), let due = Self.soonestDue(summary) else { continue }
            let seconds = due.timeIntervalSince(now)
            guard seconds > 0 else { continue }
            left.append(seconds)
            if seconds <= 3_600 { standing.dueWithinHour += 1 }
        }
        standing.medianSecondsToBreach = median(of: left)
        return standing
    }
}
