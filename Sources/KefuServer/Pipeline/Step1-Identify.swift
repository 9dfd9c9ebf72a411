import FluentKit
import Foundation
import KefuCore
import Synchronization

/// 1. identify: the conversation this customer is writing into, as stored now — or none,
/// when the message opens one. A message the client already delivered is recognised here.
struct IdentifyStep: Sendable {
    let persistence: Persistence
    let cache: OpenConversationCache
    let conversations = ConversationRepository()
    let timeline = TimelineRepository()

    func conversation(for inbound: Inbound) async throws -> ConversationRecord? {
        if let cached = cache.get(contact: inbound.contactID, inbox: inbound.inboxID) { return cached }
        return try await conversations.active(contactID: inbound.contactID, inboxID: inbound.inboxID, on: persistence.reader)
    }

    /// The answer a retried message gets: the message and conversation as first stored.
    func replay(of inbound: Inbound) async throws -> Delivered? {
        guard let key = inbound.idempotencyKey,
              let row = try await timeline.delivered(idempotencyKey: key, workspaceID: inbound.workspaceID, on: persistence.reader),
              let conversation = try await conversations.find(row.conversationID, workspaceID: inbound.workspaceID, on: persistence.reader)
        else { return nil }
        return Delivered(message: MessageView(row), conversation: conversation.view, replayed: true)
    }

    func remember(_ conversation: ConversationRecord) { cache.remember(conversation) }
    func forget(contact: UUID, inbox: UUID) { cache.forget(contact: contact, inbox: inbox) }
}

/// The conversation each customer is writing into, per inbox, as last saved on this node,
/// so an ongoing chat needs no read before its write. An entry another writer has since
/// made stale costs one retry: the save names the version it read and fails on any other.
final class OpenConversationCache: Sendable {
    private struct Key: Hashable { let contact: UUID; let inbox: UUID }
    private let entries = Mutex<[Key: ConversationRecord]>([:])
    private let capacity = 200_000

    func get(contact: UUID, inbox: UUID) -> ConversationRecord? { entries.withLock { $0[Key(contact: contact, inbox: inbox)] } }

    /// Keeps the newest version seen; a closed conversation takes no more messages.
    func remember(_ conversation: ConversationRecord) {
        let key = Key(contact: conversation.contactID, inbox: conversation.inboxID)
        entries.withLock { state in
            if conversation.status == .closed {
                if state[key]?.id == conversation.id { state.removeValue(forKey: key) }
                return
            }
            if let known = state[key], known.id == conversation.id, known.version > conversation.version { return }
            if state.count >= capacity { state.removeAll(keepingCapacity: true) }
            state[key] = conversation
        }
    }

    func forget(contact: UUID, inbox: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: Key(contact: contact, inbox: inbox)) }
    }
}
