import Foundation

/// A customer's rating of a resolved conversation: 1 (very unhappy) to 5 (very happy).
public struct Rating: Sendable, Equatable, Hashable {
    public static let range = 1...5
    public static let maxComment = 1_000

    public let score: Int

    /// Nil for a score outside 1–5.
    public init?(_ score: Int) {
        guard Self.range.contains(score) else { return nil }
        self.score = score
    }

    /// 4 and 5 count as satisfied (the CSAT share); 1 and 2 open a follow-up.
    public var isSatisfied: Bool { score >= 4 }
    public var isLow: Bool { score <= 2 }
}

/// When the desk asks a customer to rate a resolution, and for how long it listens.
public struct SurveyPolicy: Sendable, Equatable, Codable {
    public var enabled: Bool
    /// Conversations the bot resolved without a person's public reply are not surveyed
    /// unless this is on: a rating of the bot is not a rating of the team.
    public var afterBotOnly: Bool
    /// At most one survey per customer in this many days, so nobody is asked after every chat.
    public var quietDays: Int
    /// Answers are taken, and a rating may be changed, for this many days after asking.
    public var answerDays: Int

    public static let standard = SurveyPolicy(enabled: true, afterBotOnly: false, quietDays: 0, answerDays: 7)
    public static let quietDaysRange = 0...365

    public init(enabled: Bool, afterBotOnly: Bool, quietDays: Int, answerDays: Int = 7) {
        self.enabled = enabled; self.afterBotOnly = afterBotOnly; self.quietDays = quietDays; self.answerDays = answerDays
    }

    /// What the desk knows when a conversation is resolved.
    public struct Resolution: Sendable, Equatable {
        /// A person replied publicly in the cycle that is ending.
        public var personReplied: Bool
        /// When this customer was last asked, in any conversation.
        public var lastAskedContact: Date?
        public init(personReplied: Bool, lastAskedContact: Date?) {
            self.personReplied = personReplied; self.lastAskedContact = lastAskedContact
        }
    }

    public enum Decision: String, Sendable, Equatable {
        case ask
        case off
        case botOnly = "bot_only"
        case askedRecently = "asked_recently"
    }

    public func decide(_ resolution: Resolution, now: Date) -> Decision {
        guard enabled else { return .off }
        if !resolution.personReplied && !afterBotOnly { return .botOnly }
        if let last = resolution.lastAskedContact, quietDays > 0, now.timeIntervalSince(last) < Double(quietDays) * 86_400 {
            return .askedRecently
        }
        return .ask
    }

    /// Until when a survey asked at `askedAt` takes an answer.
    public func closes(askedAt: Date) -> Date { askedAt.addingTimeInterval(Double(answerDays) * 86_400) }
}
