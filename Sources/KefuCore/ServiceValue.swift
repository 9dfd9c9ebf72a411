import Foundation

/// What the desk's service costs and what it is worth, from the workspace's own prices.
/// Every figure's assumption is spelled out where the figure is (and in docs/metrics.md).
public struct ServicePrices: Sendable, Equatable, Codable {
    /// ISO 4217 code the prices are in.
    public var currency: String
    /// What an hour of an agent online costs (wages and overhead).
    public var agentHourCost: Double
    /// What one answer of the bot costs (model or hosting).
    public var botAnswerCost: Double
    /// What keeping a customer is worth, if the workspace wants an estimate of value kept.
    public var retainedCustomerValue: Double?

    public init(currency: String = "USD", agentHourCost: Double = 0, botAnswerCost: Double = 0, retainedCustomerValue: Double? = nil) {
        self.currency = currency; self.agentHourCost = agentHourCost; self.botAnswerCost = botAnswerCost; self.retainedCustomerValue = retainedCustomerValue
    }

    public static let defaults = ServicePrices()

    /// What is wrong with these prices, as field → reason; empty when they can be kept.
    public var problems: [(field: String, reason: String)] {
        var problems: [(String, String)] = []
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) { problems.append(("currency", "must be a three-letter ISO 4217 code such as USD or CNY")) }
        for (field, value) in [("agentHourCost", agentHourCost), ("botAnswerCost", botAnswerCost), ("retainedCustomerValue", retainedCustomerValue ?? 0)]
        where !value.isFinite || value < 0 || value > 1e9 {
            problems.append((field, "must be a number from 0 to 1,000,000,000"))
        }
        return problems
    }
}

/// Of the customers whose conversations were resolved, how many came back within a window.
public struct RetentionShare: Sendable, Equatable, Codable {
    public var resolved: Int64
    public var returned: Int64
    /// Returned ÷ resolved.
    public var share: Double?

    public init(resolved: Int64, returned: Int64) {
        self.resolved = resolved; self.returned = returned
        share = resolved > 0 ? Double(returned) / Double(resolved) : nil
    }
}

/// The bands retention is split by: how the customer rated the resolution, and how soon a
/// person first answered.
public enum RatingBand: String, Sendable, Codable, CaseIterable {
    /// 4 or 5.
    case good
    /// 1 to 3.
    case bad
    case unrated

    public init(rating: Int?) {
        guard let rating else { self = .unrated; return }
        self = rating >= 4 ? .good : .bad
    }
}

public enum FirstResponseBand: String, Sendable, Codable, CaseIterable {
    case underFiveMinutes = "under_5m"
    case underAnHour = "under_1h"
    case underEightHours = "under_8h"
    case longer = "over_8h"
    /// No person answered (the bot resolved it, or it was resolved unanswered).
    case none

    /// Each timed band and the wait it stays under, shortest first; `longer` holds the rest.
    public static let limits: [(band: FirstResponseBand, under: TimeInterval)] = [(.underFiveMinutes, 300), (.underAnHour, 3_600), (.underEightHours, 28_800)]

    public init(seconds: TimeInterval?) {
        guard let seconds else { self = .none; return }
        self = Self.limits.first { seconds < $0.under }?.band ?? .longer
    }
}

/// The value of service over a range.
public struct ServiceValue: Sendable, Equatable, Codable {
    public var prices: ServicePrices
    public var agentHours: Double
    /// Resolutions by people: resolved cycles less those the bot deflected.
    public var humanResolutions: Int64
    public var deflected: Int64
    public var botAnswers: Int64
    /// Agent hours online × the hour's cost.
    public var agentCost: Double
    /// Agent cost ÷ resolutions by people.
    public var costPerResolution: Double?
    /// Agent hours ÷ resolutions by people.
    public var hoursPerResolution: Double?
    /// Bot answers × the answer's cost.
    public var botCost: Double
    /// Deflected × hours per resolution: the time people would have spent.
    public var hoursSaved: Double?
    /// Deflected × cost per resolution − bot cost.
    public var botSavings: Double?

    public init(prices: ServicePrices, agentSeconds: Double, resolved: Int64, deflected: Int64, botAnswers: Int64) {
        self.prices = prices
        agentHours = agentSeconds / 3_600
        humanResolutions = max(0, resolved - deflected)
        self.deflected = deflected
        self.botAnswers = botAnswers
        agentCost = agentHours * prices.agentHourCost
        costPerResolution = humanResolutions > 0 ? agentCost / Double(humanResolutions) : nil
        hoursPerResolution = humanResolutions > 0 ? agentHours / Double(humanResolutions) : nil
        botCost = Double(botAnswers) * prices.botAnswerCost
        hoursSaved = hoursPerResolution.map { $0 * Double(deflected) }
        botSavings = costPerResolution.map { $0 * Double(deflected) - botCost }
    }

    /// Customers who came back × what a kept customer is worth; nil without that price.
    public static func valueKept(returned: Int64, prices: ServicePrices) -> Double? {
        prices.retainedCustomerValue.map { $0 * Double(returned) }
    }

    /// What good service keeps beyond poor service: (share returned after a good rating −
    /// after a bad one) × the good ratings × a kept customer's worth. Nil when either share is
    /// unknown or the price is not set; negative when poor service kept more.
    public static func valueOfGoodService(good: RetentionShare?, bad: RetentionShare?, prices: ServicePrices) -> Double? {
        guard let good, let bad, let goodShare = good.share, let badShare = bad.share, let worth = prices.retainedCustomerValue else { return nil }
        return (goodShare - badShare) * Double(good.resolved) * worth
    }
}

/// An agent's load over a range, from samples taken while they were online.
public enum Utilisation {
    /// Σ assigned conversations ÷ Σ capacity over the samples; nil without samples or capacity.
    public static func share(_ samples: [(load: Int, capacity: Int)]) -> Double? {
        let capacity = samples.reduce(0) { $0 + max(0, $1.capacity) }
        guard capacity > 0 else { return nil }
        return Double(samples.reduce(0) { $0 + max(0, $1.load) }) / Double(capacity)
    }
}

/// What retention follows in one conversation: each resolved cycle with the rating given
/// after it and its first response, and the days its customer wrote on.
public enum RetentionFacts {
    public struct Resolution: Sendable, Equatable {
        public let cycle: Int
        public let resolved: Date
        public let rating: Int?
        public let firstResponse: TimeInterval?
    }

    /// Each resolved cycle, with the latest rating given after it and before the next one began.
    public static func resolutions(_ moments: [ConversationMoment], ratings: [ReportSignals.Rated]) -> [Resolution] {
        ServiceCycles.read(moments).compactMap { cycle in
            guard let resolved = cycle.resolved else { return nil }
            let end = cycle.reopened ?? .distantFuture
            let rating = ratings.filter { rated in rated.at >= resolved && rated.at < end }.max { $0.at < $1.at }
            return Resolution(cycle: cycle.index, resolved: resolved, rating: rating?.score, firstResponse: cycle.firstResponseSeconds)
        }
    }

    /// The days (since 1970, UTC) the customer wrote on, with their latest message of each, in order.
    public static func visits(_ moments: [ConversationMoment]) -> [(day: Int64, last: Date)] {
        var latest: [Int64: Date] = [:]
        for case .customerWrote(let at) in moments {
            let day = Int64((at.timeIntervalSince1970 / 86_400).rounded(.down))
            latest[day] = max(latest[day] ?? at, at)
        }
        return latest.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
