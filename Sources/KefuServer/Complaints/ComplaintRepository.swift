import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Complaints as stored, and what their progress is read from.
struct ComplaintRepository: Sendable {
    static func isComplaint(_ conversationID: UUID, on db: any Database) async throws -> Bool {
        try await (db as! any SQLDatabase).raw("""
            SELECT 1 AS found FROM complaints WHERE conversation_id = \(bind: conversationID) AND withdrawn_ms IS NULL
            """).first() != nil
    }

    /// The conversation's complaint, withdrawn or not.
    func find(conversationID: UUID, on db: any Database) async throws -> ComplaintRow? {
        try await ComplaintRow.query(on: db).filter(\.$conversationID == conversationID).first()
    }

    func active(conversationID: UUID, on db: any Database) async throws -> ComplaintRow? {
        try await ComplaintRow.query(on: db).filter(\.$conversationID == conversationID).filter(\.$withdrawnMillis == nil).first()
    }

    /// The complaint a progress link opens; nil for a token nobody was given.
    func find(token: String, on db: any Database) async throws -> ComplaintRow? {
        guard token.hasPrefix(Self.tokenPrefix), token.count < 100 else { return nil }
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT complaint_id FROM complaint_links WHERE token_hash = \(bind: Secrets.hash(token))
            """).first() else { return nil }
        let id = try row.decode(column: "complaint_id", as: UUID.self)
        return try await ComplaintRow.query(on: db).filter(\.$id == id).filter(\.$withdrawnMillis == nil).first()
    }

    /// Prefix of a progress link's token; 24 random bytes are 192 bits.
    static let tokenPrefix = "kcp_"

    /// A new link to the complaint's progress page; the token is returned once and kept hashed.
    func makeLink(_ complaintID: UUID, now: Date, on db: any Database) async throws -> String {
        let token = Secrets.randomToken(prefix: Self.tokenPrefix, bytes: 24)
        try await (db as! any SQLDatabase).insert(into: "complaint_links").columns("token_hash", "complaint_id", "created_ms")
            .values(SQLBind(Secrets.hash(token)), SQLBind(complaintID), SQLBind(now.millisSince1970)).run()
        return token
    }

    /// The customer's complaints, newest first (the widget shows the latest).
    func forContact(_ contactID: UUID, on db: any Database) async throws -> [ComplaintRow] {
        try await ComplaintRow.query(on: db).filter(\.$contactID == contactID).filter(\.$withdrawnMillis == nil)
            .sort(\.$openedMillis, .descending).limit(20).all()
    }

    /// The complaint's course as the progress page tells it, read from the timeline.
    func facts(_ row: ComplaintRow, on db: any Database) async throws -> [ComplaintFact] {
        let sql = db as! any SQLDatabase
        let opened = Date(millisSince1970: row.openedMillis)
        var facts: [ComplaintFact] = [.opened(at: opened)]
        let kinds: [ConversationEventKind] = [.complaintEscalated, .complaintResolved, .reopened, .statusChanged, .assigned]
        let listed = kinds.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        for event in try await sql.raw("""
            SELECT kind, data, created_at FROM conversation_events
            WHERE conversation_id = \(bind: row.conversationID) AND kind IN (\(listed)) AND created_at >= \(bind: opened)
            """).all() {
            guard let at = try event.decode(column: "created_at", as: Date?.self),
                  let kind = ConversationEventKind(rawValue: try event.decode(column: "kind", as: String.self)) else { continue }
            let data = StoredJSON.decode([String: String].self, from: try event.decode(column: "data", as: String.self), default: [:])
            switch kind {
            case .complaintEscalated: facts.append(.escalated(at: at))
            case .complaintResolved: facts.append(.resolved(at: at))
            case .reopened: facts.append(.reopened(at: at))
            case .statusChanged:
                if data["to"] == ConversationStatus.pending.rawValue { facts.append(.askedCustomer(at: at)) }
                if data["from"] == ConversationStatus.resolved.rawValue { facts.append(.reopened(at: at)) }
            case .assigned: if data["assigneeId"] != nil { facts.append(.reviewed(at: at)) }
            default: break
            }
        }
        let people = [AuthorKind.contact, .agent].map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        for message in try await sql.raw("""
            SELECT author_kind, created_at FROM messages WHERE conversation_id = \(bind: row.conversationID)
            AND \(ident: "private") = \(bind: false) AND author_kind IN (\(people)) AND created_at > \(bind: opened)
            """).all() {
            guard let at = try message.decode(column: "created_at", as: Date?.self) else { continue }
            facts.append(try message.decode(column: "author_kind", as: String.self) == AuthorKind.agent.rawValue ? .reviewed(at: at) : .customerAnswered(at: at))
        }
        return facts
    }
}

/// Each workspace's complaint rules; a workspace that never set them has the standard ones.
enum ComplaintSettings {
    static func policy(workspaceID: UUID, on db: any Database) async throws -> ComplaintPolicy {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT follow_up_days, reopen_days, reply_hours, detect, ignored_phrases, learned_since_ms FROM complaint_settings WHERE workspace_id = \(bind: workspaceID)
            """).first() else { return .standard }
        var policy = ComplaintPolicy(followUpDays: try row.decode(column: "follow_up_days", as: Int.self), reopenDays: try row.decode(column: "reopen_days", as: Int.self),
                                     replyHours: try row.decode(column: "reply_hours", as: Int.self), detect: try row.decode(column: "detect", as: Bool.self))
        policy.ignoredPhrases = StoredJSON.decode([String].self, from: try row.decode(column: "ignored_phrases", as: String.self), default: [])
        policy.learnedSince = Date(millisSince1970: try row.decode(column: "learned_since_ms", as: Int64.self))
        return policy
    }

    static func save(_ policy: ComplaintPolicy, workspaceID: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.delete(from: "complaint_settings").where("workspace_id", .equal, workspaceID).run()
        try await sql.insert(into: "complaint_settings")
            .columns("workspace_id", "follow_up_days", "reopen_days", "reply_hours", "detect", "ignored_phrases", "learned_since_ms", "updated_ms")
            .values(SQLBind(workspaceID), SQLBind(policy.followUpDays), SQLBind(policy.reopenDays), SQLBind(policy.replyHours), SQLBind(policy.detect),
                    SQLBind(StoredJSON.encode(policy.ignoredPhrases)), SQLBind(max(0, policy.learnedSince.millisSince1970)), SQLBind(Date().millisSince1970))
            .run()
    }
}
