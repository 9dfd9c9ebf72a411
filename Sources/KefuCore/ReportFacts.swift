import Foundation

/// Every figure a report shows, by the name it is stored under. Definitions: docs/metrics.md.
public enum ReportMetric: String, Sendable, Codable, CaseIterable {
    /// A conversation began (its first cycle).
    case opened
    /// A resolved conversation was opened again (a later cycle began).
    case reopened
    /// A person's first public reply in a cycle; the value is the wait in seconds.
    case firstResponse = "first_response"
    /// A person's reply to a customer who wrote after an earlier reply; the value is the wait.
    case nextResponse = "next_response"
    /// A cycle was resolved; the value is the cycle's length.
    case resolved
    /// Resolved with one reply by a person and never reopened.
    case firstContactResolution = "first_contact_resolution"
    /// Every public reply by a person.
    case reply
    /// A cycle where the answer bot answered.
    case botEngaged = "bot_engaged"
    /// Resolved by the bot, no person's message, no reopen within 72 hours.
    case deflected
    /// The customer said the bot's answer solved it (the bot resolved the cycle), reopened later or not.
    case botResolved = "bot_resolved"
    /// The bot handed over; the detail is the reason.
    case handoff
    /// A customer was asked to rate a resolution.
    case ratingRequested = "rating_requested"
    /// A customer's rating (the latest one of each survey); the detail is the score 1–5.
    case rated
    /// "Would you recommend us" answered; the detail is promoter, passive or detractor.
    case recommended
    case complaintOpened = "complaint_opened"
    case complaintEscalated = "complaint_escalated"
    case complaintResolved = "complaint_resolved"
    /// The desk checked back with the customer some days after a complaint's resolution.
    case complaintFollowUp = "complaint_follow_up"
    /// A service-level clock reached its target unanswered; the detail is the clock.
    case slaBreached = "sla_breached"
    /// A round of a service-level clock answered within its target; the detail is the clock.
    case slaMet = "sla_met"
    /// A round of a service-level clock that reached its target unanswered; the detail is the clock.
    case slaMissed = "sla_missed"
    /// Each answer the bot gave (an engaged cycle may hold several): what the bot's cost is counted by.
    case botAnswer = "bot_answer"

    /// Whether its value is a duration kept in histogram buckets (median, p90).
    public var isDuration: Bool { self == .firstResponse || self == .nextResponse || self == .resolved }
}

/// One thing a conversation contributes to reports: a metric at a moment, with a duration
/// for the timed ones, credited to the agents who did it (counted once for the workspace
/// however many are credited).
public struct ReportFact: Sendable, Hashable, Codable {
    public var metric: ReportMetric
    public var at: Date
    public var seconds: Double?
    public var businessSeconds: Double?
    public var agents: [UUID]
    public var detail: String

    public init(_ metric: ReportMetric, at: Date, seconds: Double? = nil, businessSeconds: Double? = nil, agents: [UUID] = [], detail: String = "") {
        self.metric = metric; self.at = at; self.seconds = seconds; self.businessSeconds = businessSeconds; self.agents = agents; self.detail = detail
    }

    public init(_ metric: ReportMetric, at: Date, seconds: Double? = nil, businessSeconds: Double? = nil, agent: UUID?, detail: String = "") {
        self.init(metric, at: at, seconds: seconds, businessSeconds: businessSeconds, agents: agent.map { [$0] } ?? [], detail: detail)
    }
}

/// What else reports read besides the cycles: the latest answer of each survey, the
/// complaint's steps, the service-level breaches.
public struct ReportSignals: Sendable, Equatable {
    public struct Rated: Sendable, Equatable {
        public var at: Date; public var score: Int; public var agents: [UUID]
        public init(at: Date, score: Int, agents: [UUID]) { self.at = at; self.score = score; self.agents = agents }
    }
    public var ratings: [Rated] = []
    /// When the customer was asked to rate.
    public var ratingRequests: [Date] = []
    public var recommendations: [(at: Date, score: Int)] = []
    public var complaintSteps: [(metric: ReportMetric, at: Date)] = []
    public var breaches: [(at: Date, clock: String)] = []
    /// How each round of the service-level clocks ended.
    public var serviceOutcomes: [ServiceOutcome] = []
    public init() {}

    public static func == (a: ReportSignals, b: ReportSignals) -> Bool {
        a.ratings == b.ratings && a.ratingRequests == b.ratingRequests && a.recommendations.map(\.score) == b.recommendations.map(\.score) && a.recommendations.map(\.at) == b.recommendations.map(\.at)
            && a.complaintSteps.map(\.metric) == b.complaintSteps.map(\.metric) && a.complaintSteps.map(\.at) == b.complaintSteps.map(\.at)
            && a.breaches.map(\.clock) == b.breaches.map(\.clock) && a.breaches.map(\.at) == b.breaches.map(\.at)
            && a.serviceOutcomes == b.serviceOutcomes
    }
}

public enum ReportFacts {
    /// Raised whenever what a conversation contributes is defined anew: stored rollups of an
    /// older version are read again, conversation by conversation, until they agree.
    public static let version = 3

    /// All a conversation contributes, from its moments and signals. `businessSeconds`
    /// measures a span in the conversation's business hours (nil: calendar time only);
    /// `resolver` is credited with its resolutions (the assignee).
    public static func of(_ moments: [ConversationMoment], signals: ReportSignals = ReportSignals(), resolver: UUID? = nil,
                          businessSeconds: ((Date, Date) -> Double)? = nil) -> [ReportFact] {
        var facts: [ReportFact] = []
        func timed(_ metric: ReportMetric, from start: Date, to end: Date, agent: UUID?) {
            facts.append(ReportFact(metric, at: end, seconds: end.timeIntervalSince(start), businessSeconds: businessSeconds?(start, end), agent: agent))
        }
        for cycle in ServiceCycles.read(moments) {
            facts.append(ReportFact(cycle.index == 0 ? .opened : .reopened, at: cycle.start))
            if let reply = cycle.firstPersonReply { timed(.firstResponse, from: cycle.firstResponseStart, to: reply, agent: cycle.firstResponder) }
            for wait in cycle.nextResponses { timed(.nextResponse, from: wait.start, to: wait.end, agent: wait.agent) }
            if let resolved = cycle.resolved {
                timed(.resolved, from: cycle.start, to: resolved, agent: cycle.resolvedByBot ? nil : resolver)
                if cycle.firstContactResolution { facts.append(ReportFact(.firstContactResolution, at: resolved, agent: resolver)) }
                if cycle.deflected { facts.append(ReportFact(.deflected, at: resolved)) }
                if cycle.resolvedByBot { facts.append(ReportFact(.botResolved, at: resolved)) }
            }
            if cycle.botAnswers > 0 { facts.append(ReportFact(.botEngaged, at: cycle.start)) }
            if let handoff = cycle.handoff { facts.append(ReportFact(.handoff, at: handoff, detail: cycle.handoffReason ?? "")) }
        }
        for moment in moments {
            switch moment {
            case .personReplied(let at, let agent): facts.append(ReportFact(.reply, at: at, agent: agent))
            case .botAnswered(let at): facts.append(ReportFact(.botAnswer, at: at))
            default: break
            }
        }
        for rating in signals.ratings {
            // Credited to everyone who replied publicly in the cycle.
            facts.append(ReportFact(.rated, at: rating.at, agents: rating.agents, detail: String(rating.score)))
        }
        for asked in signals.ratingRequests { facts.append(ReportFact(.ratingRequested, at: asked)) }
        for answer in signals.recommendations {
            if let score = RecommendationScore(answer.score) { facts.append(ReportFact(.recommended, at: answer.at, detail: score.group.rawValue)) }
        }
        for step in signals.complaintSteps { facts.append(ReportFact(step.metric, at: step.at)) }
        for breach in signals.breaches { facts.append(ReportFact(.slaBreached, at: breach.at, detail: breach.clock)) }
        for outcome in signals.serviceOutcomes {
            facts.append(outcome.met ? ReportFact(.slaMet, at: outcome.at, detail: outcome.clock.rawValue)
                                     : ReportFact(.slaMissed, at: outcome.at, detail: outcome.clock.rawValue))
        }
        return facts
    }
}
