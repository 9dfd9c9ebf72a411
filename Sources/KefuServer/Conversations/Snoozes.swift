import FluentKit
import Foundation
import KefuCore
import SQLKit

/// When each snoozed conversation opens again. Kept beside the conversation rather than in
/// it, so the message path reads and writes no extra column: only a change that snoozes,
/// or one that ends a snooze, touches this table.
enum Snoozes {
    /// Keeps the wake time in step with the write: set by a snooze, gone once the
    /// conversation is no longer snoozed (a customer wrote, an agent answered, it woke).
    static func follow(_ change: ConversationWrite, saved: ConversationRecord, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if let until = change.snoozeUntil, saved.status == .snoozed {
            try await sql.delete(from: "conversation_snoozes").where("conversation_id", .equal, SQLBind(saved.id)).run()
            try await sql.insert(into: "conversation_snoozes").columns("conversation_id", "workspace_id", "until_ms", "set_by")
                .values(SQLBind(saved.id), SQLBind(saved.workspaceID), SQLBind(until.millisSince1970), SQLBind(change.snoozedBy)).run()
        } else if change.before?.status == .snoozed, saved.status != .snoozed {
            try await sql.delete(from: "conversation_snoozes").where("conversation_id", .equal, SQLBind(saved.id)).run()
        }
    }

    /// Wake times of those of `ids` that are snoozed until a time.
    static func until(_ ids: [UUID], on db: any Database) async throws -> [UUID: Date] {
        guard !ids.isEmpty else { return [:] }
        let listed = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        var result: [UUID: Date] = [:]
        for row in try await (db as! any SQLDatabase).raw("""
            SELECT conversation_id, until_ms FROM conversation_snoozes WHERE conversation_id IN (\(listed))
            """).all() {
            result[try row.decode(column: "conversation_id", as: UUID.self)] = Date(millisSince1970: try row.decode(column: "until_ms", as: Int64.self))
        }
        return result
    }

    struct Due: Sendable { let conversationID: UUID; let workspaceID: UUID }

    static func due(now: Date, limit: Int, on db: any Database) async throws -> [Due] {
        try await (db as! any SQLDatabase).raw("""
            SELECT conversation_id, workspace_id FROM conversation_snoozes WHERE until_ms <= \(bind: now.millisSince1970) ORDER BY until_ms LIMIT \(unsafeRaw: String(limit))
            """).all().map { Due(conversationID: try $0.decode(column: "conversation_id", as: UUID.self), workspaceID: try $0.decode(column: "workspace_id", as: UUID.self)) }
    }

    static func forget(_ conversationID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "conversation_snoozes").where("conversation_id", .equal, SQLBind(conversationID)).run()
    }
}

/// Opens snoozed conversations when their time comes, through the writer like any change,
/// so the agent sees it back in their list and the service-level clocks run again.
struct SnoozeAlarm: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let clock: DeskClock
    let conversations = ConversationRepository()

    @discardableResult
    func wake(limit: Int = 200) async throws -> Int {
        let now = clock.now()
        var woken = 0
        for due in try await Snoozes.due(now: now, limit: limit, on: persistence.reader) {
            for attempt in 1...ConversationPipeline.attempts {
                if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
                do {
                    let committed: Committed? = try await persistence.transaction { [writer, conversations] db in
                        guard let before = try await conversations.find(due.conversationID, workspaceID: due.workspaceID, on: db), before.status == .snoozed else {
                            // Woken by a message or an agent meanwhile: nothing left to do.
                            try await Snoozes.forget(due.conversationID, on: db)
                            return nil
                        }
                        var write = ConversationWrite(before: before, after: before)
                        write.after.status = .open
                        write.after.updatedAt = now
                        write.events = [EventRecord(.statusChanged, in: before, by: .system, data: ["from": ConversationStatus.snoozed.rawValue, "to": ConversationStatus.open.rawValue, "reason": "snooze_ended"], at: now),
                                        EventRecord(.snoozeEnded, in: before, by: .system, at: now)]
                        return try await writer.write(write, on: db)
                    }
                    if let committed {
                        await publish.committed(committed)
                        woken += 1
                    }
                    break
                } catch is ConversationRepository.VersionConflict {
                    continue
                }
            }
        }
        return woken
    }
}
