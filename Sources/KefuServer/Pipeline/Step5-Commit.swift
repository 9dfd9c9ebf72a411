import FluentKit
import Foundation
import KefuCore
import KefuShield
import SQLKit

/// 5. commit: the message, what it decided, its timeline events, the desk's own messages
/// after it, routing, the bot's state, chain lookups, outbox rows and webhook deliveries —
/// in one transaction. The message is acknowledged only after it; from then on nothing
/// can make it vanish or turn it into an error.
struct CommitStep: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let batcher: WriteBatcher
    let router: ConversationRouter
    let jobs: JobQueue
    let conversations = ConversationRepository()

    /// Customers' messages are many and arrive together: they share transactions (group commit).
    func customerMessage(_ decision: Decision, now: Date) async throws -> Committed {
        let route = decision.route, session = decision.botSession, lookups = decision.lookups, messageID = decision.message.id
        let complaint = decision.complaint, text = decision.message.body
        var write = decision.write
        if !route { write.encodeAhead() }
        return try await batcher.commit(.init(
            prepare: { [router] write, routing, db in
                guard route else { return write }
                var routed = write
                try await router.route(&routed, now: now, in: routing, on: db)
                return routed
            },
            write: write,
            botSession: session,
            finish: { [jobs, persistence] committed, db in
                if !lookups.isEmpty {
                    try await ChainLookups.start(lookups, conversation: committed.conversation, messageID: messageID, queue: jobs, on: db)
                }
                guard let complaint else { return committed }
                return try await ComplaintDesk.openDetected(committed, detection: complaint, text: SecretPlaceholder.removed(from: text),
                                                            persistence: persistence, on: db)
            }))
    }

    /// An agent's reply or note, or the bot's or the desk's message, after the guard.
    func reply(_ reply: Reply, now: Date) async throws -> Committed {
        try await persistence.transaction { db in
            guard let before = try await conversations.find(reply.conversationID, workspaceID: reply.workspaceID, on: db) else {
                throw Problem.notFound("Conversation")
            }
            var write = ConversationWrite(before: before, after: before)
            try await Self.add(reply, to: &write, now: now, on: db)
            return try await writer.write(write, on: db)
        }
    }

    /// Adds an agent's reply or note (or the bot's or the desk's message) to a change: the
    /// message, the first response it may be, the canned reply it began as. The reply path
    /// and a macro's one transaction both write replies this way.
    static func add(_ reply: Reply, to write: inout ConversationWrite, now: Date, on db: any Database) async throws {
        let before = write.after
        if before.status == .closed && !reply.isPrivate {
            throw Problem.conflict("This conversation is closed; the customer can no longer be answered in it. Private notes are still possible.")
        }
        write.messages.append(MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: reply.workspaceID, conversationID: reply.conversationID,
                                            authorKind: reply.authorKind, authorID: reply.authorID, body: reply.text,
                                            isPrivate: reply.isPrivate, createdAt: now))
        if !reply.isPrivate {
            write.after.lastActivityMillis = now.millisSince1970
            write.after.updatedAt = now
            if reply.authorKind == .agent && before.firstResponseAt == nil {
                write.after.firstResponseAt = now
                write.events.append(EventRecord(.firstResponse, in: before, by: .agent, reply.authorID,
                                                duration: elapsedSeconds(fromMillis: before.createdMillis, toMillis: now.millisSince1970), at: now))
            }
        }
        if let canned = reply.cannedReplyID {
            let sql = db as! any SQLDatabase
            let shortcut = try await sql.raw("""
                UPDATE canned_replies SET usage_count = usage_count + 1, last_used_ms = \(bind: now.millisSince1970)
                WHERE id = \(bind: canned) AND workspace_id = \(bind: reply.workspaceID) RETURNING shortcut
                """).first().flatMap { try? $0.decode(column: "shortcut", as: String.self) }
            if let shortcut {
                write.events.append(EventRecord(.cannedReplyUsed, in: before, by: .agent, reply.authorID,
                                                data: ["cannedReplyId": canned.uuidString, "shortcut": shortcut], at: now))
            }
        }
    }
}
