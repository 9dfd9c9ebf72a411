/// Where a conversation stands in the team's workflow.
///
/// `closed` is final: a customer who writes again after a conversation was closed starts a
/// new one, while a `resolved` conversation reopens, so a follow-up lands with its history.
public enum ConversationStatus: String, Sendable, Codable, CaseIterable {
    case open
    case pending
    case snoozed
    case resolved
    case closed

    /// Statuses in which a new customer message joins the conversation.
    public var acceptsCustomerMessages: Bool { self != .closed }

    /// Whether the conversation still needs work from the team.
    public var isActive: Bool { self == .open || self == .pending || self == .snoozed }

    public func canTransition(to next: ConversationStatus) -> Bool {
        if next == self { return true }
        switch self {
        case .open, .pending, .snoozed: return true
        case .resolved: return next == .open || next == .closed
        case .closed: return false
        }
    }

    /// The status a conversation takes when its customer writes to it.
    public var afterCustomerMessage: ConversationStatus {
        switch self {
        case .open, .pending, .snoozed, .resolved: return .open
        case .closed: return .closed
        }
    }
}

public struct StatusTransitionError: Error, Equatable, Sendable {
    public let from: ConversationStatus
    public let to: ConversationStatus
    public init(from: ConversationStatus, to: ConversationStatus) {
        self.from = from
        self.to = to
    }
}

extension ConversationStatus {
    /// Validates a change requested by an agent or an integration.
    public func transition(to next: ConversationStatus) throws(StatusTransitionError) -> ConversationStatus {
        guard canTransition(to: next) else { throw StatusTransitionError(from: self, to: next) }
        return next
    }
}
