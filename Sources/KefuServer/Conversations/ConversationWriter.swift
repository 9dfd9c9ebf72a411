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
    /// The announcements, encoded by the caller before its transaction when nothing in
    /// the transaction can change them: JSON encoding held SQLite's one connection otherwise.
    var encoded: [RealtimeEvent]?
    /// When a conversation this change snoozes opens again by itself.
    var snoozeUntil: Date?
    var snoozedBy: UUID?

    /// Encodes the announcements now, for a change whose conversation the transaction will
    /// save as it is (no routing): the saved conversation differs only in its version.
    mutating func encodeAhead() {
        guard let before else { return }
        encoded = ConversationWriter.announcements(self, saved: after, created: false, changed: after.differs(from: before))
    }
}

/// What a committed change left behind: the conversation as saved, its new messages, and
/// the realtime events waiting in the outbox for the publish step.
struct Committed: Sendable {
    let conversation: ConversationRecord
    let messages: [MessageRecord]
    let announcements: [RealtimeEvent]
    let created: Bool
    let changed: Bool
    /// An agent's place was given back (resolved, closed or taken off them): someone in the
    /// queue may be served now.
    var freedCapacity = false

    /// The same commit with more of the desk's messages and announcements after its own.
    func adding(messages more: [MessageRecord], announcements extra: [RealtimeEvent]) -> Committed {
        Committed(conversation: conversation, messages: messages + more, announcements: announcements + extra, created: created, changed: changed,
                  freedCapacity: freedCapacity)
    }

    func announcing(_ event: RealtimeEvent) -> Committed {
        Committed(conversation: conversation, messages: messages, announcements: announcements + [event], created: created, changed: changed,
                  freedCapacity: freedCapacity)
    }
}

/// The one way a change reaches a conversation: the conversation saved under the version
/// it was read at, messages and timeline events inserted, realtime events into the outbox
/// and webhook deliveries into the job queue — all inside the caller's transaction, so
/// either all of it happened or none of it did.
struct ConversationWriter: Sendable {
    let outbox: Outbox
    let webhooks: WebhookDispatcher
    /// The desk's time, so a survey's week is the one specifications can move past.
    var clock: DeskClock? = nil
    let conversations = ConversationRepository()
    let timeline = TimelineRepository()

    func write(_ change: ConversationWrite, on db: any Database) async throws -> Committed {
        let saved = try await store(change, on: db)
        try await timeline.insert(change.events, on: db)
        try await timeline.insert(change.messages, on: db)
        var committed = Self.committed(change, saved: saved)
        for asked in try await SatisfactionSurveys.afterResolution(before: change.before, saved: saved, now: clock?.now() ?? Date(), on: db) {
            if let event = asked.event { try await timeline.insert([event], on: db) }
            committed = committed.announcing(asked.announcement)
        }
        try await Snoozes.follow(change, saved: saved, on: db)
        try await ServiceLevelWatches.touch([saved], now: Date().millisSince1970, on: db)
        try await RoutingQueueRepository.remove(RoutingQueueRepository.leaving([(change.before, saved)]), on: db)
        try await outbox.write(committed.announcements, on: db)
        try await webhooks.enqueue(committed.announcements, on: db)
        return committed
    }

    static func announce(_ type: String, _ conversation: ConversationRecord) -> RealtimeEvent {
        RealtimeEvent(type: type, workspaceID: conversation.workspaceID, conversationID: conversation.id,
                      contactID: conversation.contactID, visibleToContact: false, payload: conversation.view)
    }
}
