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

/// "How likely are you to recommend us?" 0 (not at all) to 10 (extremely).
public struct RecommendationScore: Sendable, Equatable, Hashable {
    public static let range = 0...10

    public enum Group: String, Sendable, Codable, CaseIterable {
        /// 9–10: would speak for the service.
        case promoter
        /// 7–8: satisfied, not enthusiastic.
        case passive
        /// 0–6: might speak against it.
        case detractor
    }

    public let score: Int

    public init?(_ score: Int) {
        guard Self.range.contains(score) else { return nil }
        self.score = score
    }

    public var group: Group {
        switch score {
        case 9...10: .promoter
        case 7...8: .passive
        default: .detractor
        }
    }
}

/// The net promoter score of a set of answers: the share of promoters minus the share of
/// detractors, in points from −100 to 100; nil without answers.
public struct NetPromoterScore: Sendable, Equatable {
    public let promoters: Int
    public let passives: Int
    public let detractors: Int

    public init(_ answers: [RecommendationScore]) {
        promoters = answers.filter { $0.group == .promoter }.count
        passives = answers.filter { $0.group == .passive }.count
        detractors = answers.filter { $0.group == .detractor }.count
    }

    public var answers: Int { promoters + passives + detractors }

    public var value: Int? {
        guard answers > 0 else { return nil }
        return Int((Double(promoters - detractors) * 100 / Double(answers)).rounded())
    }
}

/// When the desk asks a customer how likely they are to recommend it: off until a
/// workspace turns it on, and then at most once per customer in `intervalDays`.
public struct RecommendationPolicy: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var intervalDays: Int

    public static let standard = RecommendationPolicy(enabled: false, intervalDays: 90)
    public static let intervalRange = 30...365

    public init(enabled: Bool, intervalDays: Int) {
        self.enabled = enabled; self.intervalDays = intervalDays
    }

    /// Whether to ask a customer last asked at `lastAsked` (nil: never), after a resolution
    /// the CSAT rules would survey (`surveyed` says whether they would, ignoring their own switch).
    public func shouldAsk(lastAsked: Date?, surveyable: Bool, now: Date) -> Bool {
        guard enabled, surveyable else { return false }
        guard let lastAsked else { return true }
        return now.timeIntervalSince(lastAsked) >= Double(intervalDays) * 86_400
    }
}
