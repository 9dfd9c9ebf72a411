import FluentKit
import Foundation
import KefuCore

/// One change to one conversation, decided and ready to write.
struct ConversationWrite: Sendable {
    /// The conversation as it was read; nil when this change opens it.
    var before: ConversationRecord?
    var after: ConversationRecord
    var messages: [MessageRecord] = []
    var events: [EventRecord] = []
    /// Announced after the conversation's own events (a chain lookup that started, say).
    var extraAnnouncements: [RealtimeEvent] = []
}

/// What a committed change left behind: the conversation as saved, its new messages, and
/// the realtime events waiting in the outbox for the publish step.
struct Committed: Sendable {
    let conversation: ConversationRecord
    let messages: [MessageRecord]
    let announcements: [RealtimeEvent]
    let created: Bool
    let changed: Bool
}

/// The one way a change reaches a conversation: the conversation saved under the version
/// it was read at, messages and timeline events inserted, realtime events into the outbox
/// and webhook deliveries into the job queue — all inside the caller's transaction, so
/// either all of it happened or none of it did.
struct ConversationWriter: Sendable {
    let outbox: Outbox
    let webhooks: WebhookDispatcher
    let conversations = ConversationRepository()
    let timeline = TimelineRepository()

    func write(_ change: ConversationWrite, on db: any Database) async throws -> Committed {
        let saved: ConversationRecord
        if let before = change.before {
            var after = change.after
            after.version = before.version
            saved = try await conversations.save(after, on: db)
        } else {
            saved = try await conversations.insert(change.after, on: db)
        }
        try await timeline.insert(change.events, on: db)
        try await timeline.insert(change.messages, on: db)
        let created = change.before == nil
        let changed = !created && saved.differs(from: change.before!)
        var announcements: [RealtimeEvent] = []
        if created {
            announcements.append(Self.announce("conversation.created", saved))
        } else if changed {
            announcements.append(Self.announce("conversation.updated", saved))
        }
        for message in change.messages {
            announcements.append(RealtimeEvent(type: "message.created", workspaceID: saved.workspaceID, conversationID: saved.id,
                                               contactID: saved.contactID, visibleToContact: !message.isPrivate, payload: message.view))
        }
        announcements += change.extraAnnouncements
        try await outbox.write(announcements, on: db)
        try await webhooks.enqueue(announcements, on: db)
        return Committed(conversation: saved, messages: change.messages, announcements: announcements, created: created, changed: changed)
    }

    static func announce(_ type: String, _ conversation: ConversationRecord) -> RealtimeEvent {
        RealtimeEvent(type: type, workspaceID: conversation.workspaceID, conversationID: conversation.id,
                      contactID: conversation.contactID, visibleToContact: false, payload: conversation.view)
    }
}
