import FluentKit
import Foundation
import KefuCore
import SQLKit

/// One message as stored. The body has been through the shield: never a raw secret.
struct MessageRecord: Sendable {
    let id: UUID
    let workspaceID: UUID
    let conversationID: UUID
    let authorKind: AuthorKind
    let authorID: UUID?
    let body: String
    let isPrivate: Bool
    var channelMessageID: String? = nil
    /// What a retrying client sends again with the same message; unique per workspace.
    var idempotencyKey: String? = nil
    /// The shield's findings as JSON (`StoredFindings`), never the secret.
    var metadata: String = "{}"
    let createdAt: Date

    var view: MessageView {
        var view = MessageView(id: id, conversationId: conversationID, authorKind: authorKind.rawValue, authorId: authorID,
                               text: body, private: isPrivate, createdAt: createdAt)
        view.findings = StoredFindings.decode(metadata).views
        return view
    }
}

/// One entry of a conversation's timeline; reports are computed from these alone.
struct EventRecord: Sendable {
    let id: UUID
    let workspaceID: UUID
    let conversationID: UUID
    let kind: ConversationEventKind
    let actorKind: AuthorKind?
    let actorID: UUID?
    var data: [String: String] = [:]
    var durationSeconds: Int64? = nil
    let createdAt: Date

    init(_ kind: ConversationEventKind, in conversation: ConversationRecord, by actorKind: AuthorKind?, _ actorID: UUID? = nil,
         data: [String: String] = [:], duration: Int64? = nil, at now: Date) {
        id = TimeOrderedID.make(now: now)
        workspaceID = conversation.workspaceID
        conversationID = conversation.id
        self.kind = kind
        self.actorKind = actorKind
        self.actorID = actorID
        self.data = data
        durationSeconds = duration
        createdAt = now
    }
}

/// Writes messages and events, several rows to a statement.
struct TimelineRepository: Sendable {
    func insert(_ messages: [MessageRecord], on db: any Database) async throws {
        guard !messages.isEmpty else { return }
        var insert = (db as! any SQLDatabase).insert(into: "messages")
            .columns("id", "workspace_id", "conversation_id", "author_kind", "author_id", "body", "private", "channel_message_id",
                     "idempotency_key", "metadata", "created_at")
        for message in messages {
            insert = insert.values(SQLBind(message.id), SQLBind(message.workspaceID), SQLBind(message.conversationID),
                                   SQLBind(message.authorKind.rawValue), SQLBind(message.authorID), SQLBind(message.body),
                                   SQLBind(message.isPrivate), SQLBind(message.channelMessageID), SQLBind(message.idempotencyKey),
                                   SQLBind(message.metadata), SQLBind(message.createdAt))
        }
        try await insert.run()
    }

    func insert(_ events: [EventRecord], on db: any Database) async throws {
        guard !events.isEmpty else { return }
        var insert = (db as! any SQLDatabase).insert(into: "conversation_events")
            .columns("id", "workspace_id", "conversation_id", "kind", "actor_kind", "actor_id", "data", "duration_seconds", "created_at")
        for event in events {
            insert = insert.values(SQLBind(event.id), SQLBind(event.workspaceID), SQLBind(event.conversationID), SQLBind(event.kind.rawValue),
                                   SQLBind(event.actorKind?.rawValue), SQLBind(event.actorID), SQLBind(StoredJSON.encode(event.data)),
                                   SQLBind(event.durationSeconds), SQLBind(event.createdAt))
        }
        try await insert.run()
    }

    /// The message a client already delivered under this key, with its conversation.
    func delivered(idempotencyKey: String, workspaceID: UUID, on db: any Database) async throws -> MessageRow? {
        try await MessageRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$idempotencyKey == idempotencyKey).first()
    }
}
