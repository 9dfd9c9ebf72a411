import Foundation

/// One rollup row as the reports read it back: a metric's count and summed seconds for a
/// detail and a histogram bucket (-1 for counts).
public struct RollupRow: Sendable, Equatable {
    public var metric: String
    public var detail: String
    public var bin: Int
    public var n: Int64
    public var total: Double
    public var totalBusiness: Double
    public init(metric: String, detail: String, bin: Int, n: Int64, total: Double, totalBusiness: Double) {
        self.metric = metric; self.detail = detail; self.bin = bin; self.n = n; self.total = total; self.totalBusiness = totalBusiness
    }
}

/// A duration metric over a range: how many, and the mean, median and 90th percentile, in
/// calendar and in business seconds.
public struct DurationSummary: Sendable, Equatable, Codable {
    public var count: Int64
    public var mean: Double?
    public var median: Double?
    public var p90: Double?
    public var businessMean: Double?
    public var businessMedian: Double?
    public var businessP90: Double?
}

/// Every headline figure of a range, computed from its rollup rows as docs/metrics.md defines them.
public struct ReportSummary: Sendable, Equatable, Codable {
    public var opened: Int64 = 0
    public var reopened: Int64 = 0
    public var resolved: Int64 = 0
    public var replies: Int64 = 0
    /// Resolutions ÷ (opened + reopened): cycles that ended, of those that began.
    public var resolutionRate: Double?
    /// Reopened ÷ resolved.
    public var reopenRate: Double?
    /// Resolved with one reply by a person and no reopen, ÷ resolved.
    public var firstContactResolutionRate: Double?
    public var firstResponse = DurationSummary(count: 0)
    public var nextResponse = DurationSummary(count: 0)
    public var resolution = DurationSummary(count: 0)
    public var rated: Int64 = 0
    /// Surveys asked in the range, and ratings ÷ surveys asked.
    public var ratingRequests: Int64 = 0
    public var ratingResponseRate: Double?
    /// Share of 4 and 5 among ratings.
    public var csat: Double?
    public var ratingCounts: [String: Int64] = [:]
    public var recommendations: Int64 = 0
    public var nps: Int?
    public var botEngaged: Int64 = 0
    public var deflected: Int64 = 0
    /// Deflected ÷ conversations the bot engaged.
    public var deflectionRate: Double?
    public var handoffs: [String: Int64] = [:]
    /// Handoffs of every reason.
    public var handedOver: Int64 = 0
    /// Cycles the bot resolved with the customer's "yes".
    public var botResolved: Int64 = 0
    /// Answers the customer confirmed ÷ answers the customer judged: the bot's resolutions
    /// beside the handoffs where the customer said "no".
    public var confirmedPrecision: Double?
    public var complaintsOpened: Int64 = 0
    public var complaintsEscalated: Int64 = 0
    public var complaintsResolved: Int64 = 0
    public var complaintsFollowedUp: Int64 = 0
    public var slaBreaches: [String: Int64] = [:]
    /// Per clock: rounds met and missed in the range, and the share met.
    public var serviceLevels: [String: ServiceLevelShare] = [:]
    /// Answers the bot gave (an engaged cycle may hold several).
    public var botAnswers: Int64 = 0

    /// The handoff reason stored when the customer answered the bot's "did this help?" with no.
    public static let declinedHandoff = "declined"

    public init() {}

    public init(_ rows: [RollupRow]) {
        var counts: [String: Int64] = [:]
        var details: [String: [String: Int64]] = [:]
        var bins: [String: [Int: Int]] = [:]
        var sums: [String: (n: Int64, total: Double)] = [:]
        for row in rows {
            counts[row.metric, default: 0] += row.n
            if !row.detail.isEmpty { details[row.metric, default: [:]][row.detail, default: 0] += row.n }
            if row.bin >= 0 { bins[row.metric, default: [:]][row.bin, default: 0] += Int(row.n) }
            let sum = sums[row.metric] ?? (0, 0)
            sums[row.metric] = (sum.n + row.n, sum.total + row.total)
        }
        func count(_ metric: ReportMetric) -> Int64 { counts[metric.rawValue] ?? 0 }
        func share(_ part: Int64, _ whole: Int64) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
        func duration(_ metric: ReportMetric) -> DurationSummary {
            let calendar = metric.rawValue, business = metric.rawValue + "@business"
            let mean = sums[calendar].flatMap { $0.n > 0 ? $0.total / Double($0.n) : nil }
            let businessSums = sums[business]
            let businessMean = businessSums.flatMap { $0.n > 0 ? $0.total / Double($0.n) : nil } ?? mean
            let businessBins = bins[business] ?? bins[calendar] ?? [:]
            return DurationSummary(count: count(metric), mean: mean, median: DurationHistogram.quantile(0.5, counts: bins[calendar] ?? [:]),
                                   p90: DurationHistogram.quantile(0.9, counts: bins[calendar] ?? [:]), businessMean: count(metric) > 0 ? businessMean : nil,
                                   businessMedian: DurationHistogram.quantile(0.5, counts: businessBins),
                                   businessP90: DurationHistogram.quantile(0.9, counts: businessBins))
        }
        opened = count(.opened)
        reopened = count(.reopened)
        resolved = count(.resolved)
        replies = count(.reply)
        resolutionRate = share(resolved, opened + reopened)
        reopenRate = share(reopened, resolved)
        firstContactResolutionRate = share(count(.firstContactResolution), resolved)
        firstResponse = duration(.firstResponse)
        nextResponse = duration(.nextResponse)
        resolution = duration(.resolved)
        ratingCounts = details[ReportMetric.rated.rawValue] ?? [:]
        rated = count(.rated)
        csat = share((ratingCounts["4"] ?? 0) + (ratingCounts["5"] ?? 0), rated)
        ratingRequests = count(.ratingRequested)
        ratingResponseRate = ratingRequests > 0 ? min(1, Double(rated) / Double(ratingRequests)) : nil
        let groups = details[ReportMetric.recommended.rawValue] ?? [:]
        recommendations = count(.recommended)
        if recommendations > 0 {
            nps = Int((Double((groups["promoter"] ?? 0) - (groups["detractor"] ?? 0)) * 100 / Double(recommendations)).rounded())
        }
        botEngaged = count(.botEngaged)
        deflected = count(.deflected)
        deflectionRate = share(deflected, botEngaged)
        handoffs = details[ReportMetric.handoff.rawValue] ?? [:]
        handedOver = count(.handoff)
        botResolved = count(.botResolved)
        confirmedPrecision = share(botResolved, botResolved + (handoffs[ReportSummary.declinedHandoff] ?? 0))
        complaintsOpened = count(.complaintOpened)
        complaintsEscalated = count(.complaintEscalated)
        complaintsResolved = count(.complaintResolved)
        complaintsFollowedUp = count(.complaintFollowUp)
        slaBreaches = details[ReportMetric.slaBreached.rawValue] ?? [:]
        botAnswers = count(.botAnswer)
        let met = details[ReportMetric.slaMet.rawValue] ?? [:], missed = details[ReportMetric.slaMissed.rawValue] ?? [:]
        for clock in Set(met.keys).union(missed.keys) {
            serviceLevels[clock] = ServiceLevelShare(met: met[clock] ?? 0, missed: missed[clock] ?? 0)
        }
    }
}

/// How one service-level clock did over a range.
public struct ServiceLevelShare: Sendable, Equatable, Codable {
    public var met: Int64
    public var missed: Int64
    /// Met ÷ (met + missed).
    public var share: Double?

    public init(met: Int64, missed: Int64) {
        self.met = met; self.missed = missed
        share = met + missed > 0 ? Double(met) / Double(met + missed) : nil
    }
}

/// How a report's series is cut: by hour, day, week (from Monday) or month, in the
/// workspace's time zone.
public enum ReportPeriod: String, Sendable, Codable, CaseIterable {
    case hour, day, week, month

    /// The start of the period holding `date`.
    public func start(of date: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        switch self {
        case .hour: return calendar.dateInterval(of: .hour, for: date)?.start ?? date
        case .day: return calendar.startOfDay(for: date)
        case .week: return calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        case .month: return calendar.dateInterval(of: .month, for: date)?.start ?? date
        }
    }
}

/// How long an agent was online in a range, from their availability intervals.
public enum PresenceTime {
    /// The seconds of `intervals` (start, end; nil end: still so at `now`) inside [from, to).
    public static func seconds(_ intervals: [(start: Date, end: Date?)], from: Date, to: Date, now: Date) -> TimeInterval {
        intervals.reduce(0) { total, interval in
            let start = max(interval.start, from), end = min(interval.end ?? now, to, now)
            return total + max(0, end.timeIntervalSince(start))
        }
    }
}
