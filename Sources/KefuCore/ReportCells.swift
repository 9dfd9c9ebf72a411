import Foundation

/// The slices a conversation is counted under, as it stands when it is read: its inbox,
/// channel, team, category, language, priority and its contact's tier. Agents are slices of
/// the facts they are credited with, not of the conversation.
public struct ReportDims: Codable, Sendable, Equatable {
    public var inbox: UUID
    public var channel: String
    public var team: UUID?
    public var category: String?
    public var language: String?
    public var priority: String
    public var tier: String

    public init(inbox: UUID, channel: String, team: UUID?, category: String?, language: String?, priority: String, tier: String) {
        self.inbox = inbox; self.channel = channel; self.team = team; self.category = category; self.language = language; self.priority = priority; self.tier = tier
    }

    /// "all" first, then one key per slice the conversation has.
    public var keys: [String] {
        var keys = ["all", "inbox:\(inbox.uuidString.lowercased())", "channel:\(channel)", "priority:\(priority)", "tier:\(tier)"]
        if let team { keys.append("team:\(team.uuidString.lowercased())") }
        if let category, !category.isEmpty { keys.append("category:\(category)") }
        if let language, !language.isEmpty { keys.append("language:\(language)") }
        return keys
    }

    public static func agent(_ id: UUID) -> String { "agent:\(id.uuidString.lowercased())" }
}

/// One rollup row's key, and what a conversation adds to it.
public struct ReportCell: Hashable, Sendable {
    public let hour: Int64
    public let dim: String
    public let metric: String
    public let detail: String
    public let bin: Int

    public init(hour: Int64, dim: String, metric: String, detail: String, bin: Int) {
        self.hour = hour; self.dim = dim; self.metric = metric; self.detail = detail; self.bin = bin
    }
}

public struct ReportAmount: Sendable, Equatable {
    public var n: Int64 = 0
    public var total: Double = 0
    public var totalBusiness: Double = 0

    public init(n: Int64 = 0, total: Double = 0, totalBusiness: Double = 0) { self.n = n; self.total = total; self.totalBusiness = totalBusiness }

    public static func + (a: ReportAmount, b: ReportAmount) -> ReportAmount {
        ReportAmount(n: a.n + b.n, total: a.total + b.total, totalBusiness: a.totalBusiness + b.totalBusiness)
    }
    public static prefix func - (a: ReportAmount) -> ReportAmount { ReportAmount(n: -a.n, total: -a.total, totalBusiness: -a.totalBusiness) }
    public var isZero: Bool { n == 0 && abs(total) < 1e-6 && abs(totalBusiness) < 1e-6 }
}

public enum ReportCells {
    /// Durations in business time are a metric of their own, so they have their own buckets.
    public static func businessMetric(_ metric: ReportMetric) -> String { metric.rawValue + "@business" }

    public static func hour(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 3_600).rounded(.down)) }

    /// The UTC day an hour (since 1970) falls on.
    public static func day(ofHour hour: Int64) -> Int64 { hour >= 0 ? hour / 24 : (hour - 23) / 24 }

    /// The Monday (a UTC day since 1970) that begins the week a day falls in: weekly rollups
    /// are keyed by it, so a week is the same block in the rollups as in a report cut by week.
    /// 1 January 1970 was a Thursday.
    public static func week(ofDay day: Int64) -> Int64 { day - (((day + 3) % 7) + 7) % 7 }

    /// What `facts` under `dims` add to each rollup row.
    public static func cells(_ facts: [ReportFact], dims: ReportDims) -> [ReportCell: ReportAmount] {
        var cells: [ReportCell: ReportAmount] = [:]
        let slices = dims.keys
        for fact in facts {
            let hour = hour(fact.at)
            var keys = slices
            keys += fact.agents.map(ReportDims.agent)
            var rows: [(String, Int, ReportAmount)] = []
            if fact.metric.isDuration, let seconds = fact.seconds {
                rows.append((fact.metric.rawValue, DurationHistogram.bin(seconds), ReportAmount(n: 1, total: seconds, totalBusiness: fact.businessSeconds ?? seconds)))
                if let business = fact.businessSeconds {
                    rows.append((businessMetric(fact.metric), DurationHistogram.bin(business), ReportAmount(n: 1, total: business, totalBusiness: business)))
                }
            } else {
                rows.append((fact.metric.rawValue, -1, ReportAmount(n: 1)))
            }
            for key in keys {
                for (metric, bin, amount) in rows {
                    let cell = ReportCell(hour: hour, dim: key, metric: metric, detail: fact.detail, bin: bin)
                    cells[cell] = (cells[cell] ?? ReportAmount()) + amount
                }
            }
        }
        return cells
    }

    /// What turns the rollups from `old` into `new`: only the rows that differ.
    public static func difference(from old: [ReportCell: ReportAmount], to new: [ReportCell: ReportAmount]) -> [ReportCell: ReportAmount] {
        var delta = new
        for (cell, amount) in old { delta[cell] = (delta[cell] ?? ReportAmount()) + -amount }
        return delta.filter { !$0.value.isZero }
    }
}
