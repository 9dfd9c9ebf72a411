import Foundation
import KefuCore

/// What arrived from a customer on any channel, before anything else has seen it.
public struct Inbound: Sendable {
    public let workspaceID: UUID
    public let inboxID: UUID
    public let contactID: UUID
    public let text: String
    public let channelMessageID: String?
    /// Set when the client may send the same message again (a retry after a timeout or a
    /// 503): the message is stored once, and every retry gets the same answer.
    public let idempotencyKey: String?

    public init(workspaceID: UUID, inboxID: UUID, contactID: UUID, text: String, channelMessageID: String? = nil, idempotencyKey: String? = nil) {
        self.workspaceID = workspaceID
        self.inboxID = inboxID
        self.contactID = contactID
        self.text = text
        self.channelMessageID = channelMessageID
        self.idempotencyKey = idempotencyKey
    }

    /// The same message with other text (the shield's redacted copy).
    func with(text: String) -> Inbound {
        Inbound(workspaceID: workspaceID, inboxID: inboxID, contactID: contactID, text: text,
                channelMessageID: channelMessageID, idempotencyKey: idempotencyKey)
    }

    /// Keys are scoped so one client's key can never match another's message.
    static func widgetKey(contactID: UUID, clientMessageID: String) -> String { "widget:\(contactID.uuidString):\(clientMessageID)" }
    static func apiKey(inboxID: UUID, channelMessageID: String) -> String { "api:\(inboxID.uuidString):\(channelMessageID)" }
}

/// What an agent, the bot or the system sends into a conversation.
public struct Reply: Sendable {
    public let workspaceID: UUID
    public let conversationID: UUID
    public let authorKind: AuthorKind
    public let authorID: UUID?
    public let text: String
    public let isPrivate: Bool
    /// The canned reply it began as, counted as used when the reply is stored.
    var cannedReplyID: UUID? = nil
}

/// The answer either path gives its caller: the message as stored and its conversation.
struct Delivered: Sendable {
    let message: MessageView
    let conversation: ConversationView
    /// The client had sent this message before; nothing new was stored.
    var replayed = false
}
