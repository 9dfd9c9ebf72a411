/// The support team's words, one type per concept, shared by storage, API and pages.

public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case low, normal, high, urgent

    private var rank: Int {
        switch self {
        case .low: 0
        case .normal: 1
        case .high: 2
        case .urgent: 3
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

public enum AgentRole: String, Sendable, Codable, CaseIterable {
    case owner, admin, agent

    /// Owners and admins manage the workspace: agents, inboxes, tokens, webhooks.
    public var canAdminister: Bool { self != .agent }
}

public enum Availability: String, Sendable, Codable, CaseIterable {
    case online, away, offline
}

/// Channels a conversation can arrive through. Email, Telegram and phone inboxes are
/// part of the model so that stored data and the API do not change when they arrive.
public enum InboxKind: String, Sendable, Codable, CaseIterable {
    case widget, api, email, telegram, phone

    /// Channels whose adapters exist today.
    public var isAvailable: Bool { self == .widget || self == .api }
}

public enum ContactTier: String, Sendable, Codable, CaseIterable {
    case standard, vip
}

public enum AuthorKind: String, Sendable, Codable, CaseIterable {
    case contact, agent, bot, system
}

public enum ConversationEventKind: String, Sendable, Codable, CaseIterable {
    case created
    case firstResponse = "first_response"
    case assigned
    case teamAssigned = "team_assigned"
    case statusChanged = "status_changed"
    case priorityChanged = "priority_changed"
    case resolved
    case reopened
    case secretRedacted = "secret_redacted"
    case botAnswered = "bot_answered"
    case botResolved = "bot_resolved"
    case botHandoff = "bot_handoff"
    case categoryChanged = "category_changed"
    case phishingLink = "phishing_link"
    /// A service-level clock reached its warning share; `data` names the clock.
    case slaWarning = "sla_warning"
    /// A service-level clock reached its target unanswered.
    case slaBreached = "sla_breached"
    /// A step a policy took on a warning or a breach, with its reason.
    case slaEscalated = "sla_escalated"
    /// Nobody eligible had room: the conversation waits in its inbox's queue; `data` says why.
    case queued
    /// Taken back from an agent who went away, into the queue with its first queue time.
    case requeued
    /// The customer was asked to rate the resolution; `data` has the survey.
    case ratingRequested = "rating_requested"
    /// The customer rated (or changed their rating); `data` has the score and the agents credited.
    case rated
    /// A rating of 1 or 2: someone should follow up.
    case lowRating = "low_rating"
    /// The conversation became a complaint (an agent marked it, or triage read one); `data`
    /// has the severity, the source and when the customer was promised an answer.
    case complaintOpened = "complaint_opened"
    /// An agent said it is not a complaint after all.
    case complaintWithdrawn = "complaint_withdrawn"
    /// Handed to another team with a reason; the complaint keeps its clock.
    case complaintEscalated = "complaint_escalated"
    /// Resolved with a summary written for the customer.
    case complaintResolved = "complaint_resolved"
    /// The customer said on the progress page that it is settled.
    case complaintConfirmed = "complaint_confirmed"
    /// The desk checked back some days after the resolution.
    case complaintFollowUp = "complaint_follow_up"
    /// An agent's reply began as a canned reply; `data` names it.
    case cannedReplyUsed = "canned_reply_used"
    /// Snoozed until a time (`data.until`), when it opens again by itself.
    case snoozed
    /// The snooze ran out and the conversation is open again.
    case snoozeEnded = "snooze_ended"
    /// An agent applied a macro; `data` names it and lists its actions. Every event the
    /// macro caused carries the same `macroId`.
    case macroApplied = "macro_applied"
    /// The customer answered "how likely are you to recommend us" (0–10).
    case npsAnswered = "nps_answered"
}
