import FluentKit
import Foundation
import KefuCore
import SQLKit

/// The statements every message in an ongoing conversation runs, in plain SQL: Fluent's
/// model reflection cost more than SQLite's own work on this path (measured with perf:
/// `Fields.properties` alone took over a fifth of the server's CPU under load).
enum HotPath {
    static let conversationColumns = """
        id, workspace_id, number, inbox_id, contact_id, subject, status, priority, category, language, sentiment, \
        assignee_id, team_id, tag_list, attributes, last_activity_ms, first_response_at, resolved_at, created_ms, updated_at
        """

    /// Appends a customer message to an open conversation in one UPDATE … RETURNING and one
    /// INSERT, or returns nil when the conversation is not open for this customer and inbox
    /// (the caller then takes the full path: new conversation, reopening, status change).
    static func appendToOpenConversation(_ inbound: Inbound, metadata: String, conversationID: UUID, on db: any Database) async throws -> Delivered? {
        let sql = db as! any SQLDatabase
        let now = Date()
        let nowMillis = now.millisSince1970
        guard let row = try await sql.raw("""
            UPDATE conversations SET last_activity_ms = \(bind: nowMillis), updated_at = \(bind: now)
            WHERE id = \(bind: conversationID) AND contact_id = \(bind: inbound.contactID)
              AND inbox_id = \(bind: inbound.inboxID) AND status = \(bind: ConversationStatus.open.rawValue)
            RETURNING \(unsafeRaw: conversationColumns)
            """).first() else { return nil }
        let conversation = try ConversationView(row: row)
        var message = MessageView(id: TimeOrderedID.make(now: now), conversationId: conversationID, authorKind: AuthorKind.contact.rawValue,
                                  authorId: inbound.contactID, text: inbound.text, private: false, createdAt: now)
        message.findings = StoredFindings.decode(metadata).views
        try await sql.insert(into: MessageRow.schema)
            .columns("id", "workspace_id", "conversation_id", "author_kind", "author_id", "body", "private", "channel_message_id", "metadata", "created_at")
            .values(SQLBind(message.id), SQLBind(inbound.workspaceID), SQLBind(conversationID), SQLBind(message.authorKind),
                    SQLBind(inbound.contactID), SQLBind(inbound.text), SQLBind(false), SQLBind(inbound.channelMessageID), SQLBind(metadata), SQLBind(now))
            .run()
        return Delivered(message: message, conversation: conversation, conversationCreated: false, conversationChanged: false)
    }
}

extension ConversationView {
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        workspaceId = try row.decode(column: "workspace_id", as: UUID.self)
        number = try row.decode(column: "number", as: Int.self)
        inboxId = try row.decode(column: "inbox_id", as: UUID.self)
        contactId = try row.decode(column: "contact_id", as: UUID.self)
        subject = try row.decode(column: "subject", as: String?.self)
        status = try row.decode(column: "status", as: String.self)
        priority = try row.decode(column: "priority", as: String.self)
        category = try row.decode(column: "category", as: String?.self)
        language = try row.decode(column: "language", as: String?.self)
        sentiment = try row.decode(column: "sentiment", as: String?.self)
        assigneeId = try row.decode(column: "assignee_id", as: UUID?.self)
        teamId = try row.decode(column: "team_id", as: UUID?.self)
        tags = try row.decode(column: "tag_list", as: String.self).split(separator: ",").map(String.init)
        attributes = StoredJSON.decode([String: JSONValue].self, from: try row.decode(column: "attributes", as: String.self), default: [:])
        lastActivityAt = Date(millisSince1970: try row.decode(column: "last_activity_ms", as: Int64.self))
        firstResponseAt = try row.decode(column: "first_response_at", as: Date?.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Date?.self)
        createdAt = Date(millisSince1970: try row.decode(column: "created_ms", as: Int64.self))
        updatedAt = try row.decode(column: "updated_at", as: Date?.self)
    }
}

extension MessageView {
    init(id: UUID, conversationId: UUID, authorKind: String, authorId: UUID?, text: String, private isPrivate: Bool, createdAt: Date) {
        self.id = id
        self.conversationId = conversationId
        self.authorKind = authorKind
        self.authorId = authorId
        self.text = text
        self.private = isPrivate
        self.createdAt = createdAt
    }
}
