import FluentKit
import Foundation
import KefuCore
import SQLKit

/// What a report asks for: a range, how to cut it, and one slice (the whole workspace, an
/// inbox, a team, an agent, a category, a channel, a language, a priority or a tier).
struct ReportQuery: Sendable {
    var workspaceID: UUID
    var from: Date
    var to: Date
    var period: ReportPeriod
    var slice: String
    var timeZone: TimeZone

    /// The range of the same length just before, for comparison.
    var previous: ReportQuery {
        var earlier = self
        earlier.to = from
        earlier.from = from.addingTimeInterval(-to.timeIntervalSince(from))
        return earlier
    }
}

/// Reads rollups back: whole UTC weeks from the weekly rollups, whole days beside them from
/// the daily ones, the hours at a range's edges from the hourly ones, so what a report reads
/// follows the length of its range, not the size of the history, nor much the traffic. Three statements per report: the range's
/// totals, the previous range's, and the series, summed into periods by the database.
struct ReportReader: Sendable {
    let persistence: Persistence

    struct Point: Sendable, Codable {
        let start: Date
        let summary: ReportSummary
    }

    /// The rollup rows of [from, to) under `dims` (a condition on `dim`), each with `h`, the
    /// first hour it covers: whole weeks (Monday to Monday, UTC) from the weekly table, the
    /// days beside them from the daily one, the hours at the edges from the hourly one.
    /// `longest` is the longest block a row may cover: a series cut into periods that are
    /// not whole weeks or days must not read rows that cross its periods' bounds.
    static func rows(_ workspaceID: UUID, fromHour: Int64, toHour: Int64, dims: () -> SQLQueryString, metrics: SQLQueryString = "",
                     longest: ReportProjector.RollupTable = .weekly) -> SQLQueryString {
        let columns: SQLQueryString = "dim, metric, detail, bin, n, total, total_business"
        func hourly(_ from: Int64, _ to: Int64) -> SQLQueryString {
            "SELECT hour AS h, \(columns) FROM report_rollups WHERE workspace_id = \(bind: workspaceID) AND \(dims()) AND hour >= \(bind: from) AND hour < \(bind: to)\(metrics)"
        }
        func byDay(_ table: ReportProjector.RollupTable, _ from: Int64, _ to: Int64) -> SQLQueryString {
            """
            SELECT day * 24 AS h, \(columns) FROM \(unsafeRaw: table.name) WHERE workspace_id = \(bind: workspaceID) AND \(dims())
            AND day >= \(bind: from) AND day < \(bind: to)\(metrics)
            """
        }
        let firstDay = ReportCells.day(ofHour: fromHour + 23), lastDay = ReportCells.day(ofHour: toHour)
        guard longest != .hourly, firstDay < lastDay else { return hourly(fromHour, toHour) }
        var parts: [SQLQueryString] = []
        let firstWeek = ReportCells.week(ofDay: firstDay + 6), lastWeek = ReportCells.week(ofDay: lastDay)
        if longest == .weekly, firstWeek < lastWeek {
            parts.append(byDay(.weekly, firstWeek, lastWeek))
            if firstDay < firstWeek { parts.append(byDay(.daily, firstDay, firstWeek)) }
            if lastWeek < lastDay { parts.append(byDay(.daily, lastWeek, lastDay)) }
        } else {
            parts.append(byDay(.daily, firstDay, lastDay))
        }
        if fromHour < firstDay * 24 { parts.append(hourly(fromHour, firstDay * 24)) }
        if lastDay * 24 < toHour { parts.append(hourly(lastDay * 24, toHour)) }
        return parts.joined(separator: " UNION ALL ")
    }

    static func range(_ query: ReportQuery) -> (from: Int64, to: Int64) { (ReportCells.hour(query.from), endHour(query.to)) }

    func totals(_ query: ReportQuery) async throws -> ReportSummary {
        let (from, to) = Self.range(query)
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT metric, detail, bin, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business
            FROM (\(Self.rows(query.workspaceID, fromHour: from, toHour: to, dims: { "dim = \(bind: query.slice)" }))) r
            GROUP BY metric, detail, bin
            """).all()
        return ReportSummary(try rows.map(Self.row))
    }

    func series(_ query: ReportQuery) async throws -> [Point] {
        // Every period of the range appears, empty ones too, so charts keep their time axis.
        var starts: [Date] = []
        var cursor = query.period.start(of: query.from, in: query.timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = query.timeZone
        let step: Calendar.Component = switch query.period { case .hour: .hour; case .day: .day; case .week: .weekOfYear; case .month: .month }
        while cursor < query.to && starts.count < 2_000 {
            starts.append(cursor)
            guard let next = calendar.date(byAdding: step, value: 1, to: cursor) else { break }
            cursor = next
        }
        guard !starts.isEmpty else { return [] }
        // Periods as hours; zones whose offset is not a whole number of hours cut at the hour before.
        let bounds = starts.map(ReportCells.hour)
        let (from, to) = Self.range(query)
        let lengths = zip(bounds.dropFirst(), bounds).map { $0 - $1 }
        // Whole UTC days serve only where every period begins at a UTC midnight, whole weeks
        // only where every one begins at a UTC Monday's.
        let onDays = query.period != .hour && bounds.allSatisfy { $0 % 24 == 0 }
        let onWeeks = onDays && query.period != .day && bounds.allSatisfy { ReportCells.week(ofDay: $0 / 24) == $0 / 24 }
        let longest: ReportProjector.RollupTable = onWeeks ? .weekly : onDays ? .daily : .hourly
        let period: SQLQueryString
        if let length = lengths.first, lengths.allSatisfy({ $0 == length }) {
            period = "(h - \(bind: bounds[0])) / \(bind: length)"
        } else if lengths.isEmpty {
            period = "0"
        } else {
            // Months, and days across a change of daylight-saving time.
            let cases = bounds.dropFirst().enumerated().map { index, bound in "WHEN h < \(bind: bound) THEN \(unsafeRaw: String(index))" as SQLQueryString }
            period = "CASE \(cases.joined(separator: " ")) ELSE \(unsafeRaw: String(bounds.count - 1)) END"
        }
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT \(period) AS period, metric, detail, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business
            FROM (\(Self.rows(query.workspaceID, fromHour: from, toHour: to, dims: { "dim = \(bind: query.slice)" }, metrics: " AND metric NOT LIKE '%@business'", longest: longest))) r
            GROUP BY 1, metric, detail
            """).all()
        var byPeriod: [Int: [RollupRow]] = [:]
        for row in rows {
            // Buckets are summed away here: a period's durations give their mean, not percentiles.
            byPeriod[try row.decode(column: "period", as: Int.self), default: []].append(try Self.row(row, bin: -1))
        }
        return starts.enumerated().map { index, start in Point(start: start, summary: ReportSummary(byPeriod[index] ?? [])) }
    }

    /// Complaints open now (not resolved, not withdrawn) and the median of their ages.
    struct OpenComplaints: Codable, Sendable {
        let count: Int
        let medianAgeSeconds: Double?
    }

    func openComplaints(workspaceID: UUID, now: Date) async throws -> OpenComplaints {
        let opened = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT opened_ms FROM complaints WHERE workspace_id = \(bind: workspaceID) AND withdrawn_ms IS NULL AND resolved_ms IS NULL
            """).all().map { try $0.decode(column: "opened_ms", as: Int64.self) }
        let ages = opened.map { now.timeIntervalSince(Date(millisSince1970: $0)) }
        return OpenComplaints(count: ages.count, medianAgeSeconds: median(of: ages).map { max(0, $0) })
    }

    /// Every agent's figures for the range, in one statement: the rows of the agent slices.
    func agents(_ query: ReportQuery) async throws -> [UUID: ReportSummary] {
        let (from, to) = Self.range(query)
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT dim, metric, detail, bin, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business
            FROM (\(Self.rows(query.workspaceID, fromHour: from, toHour: to, dims: { "dim LIKE 'agent:%'" }))) r
            GROUP BY dim, metric, detail, bin
            """).all()
        var byAgent: [UUID: [RollupRow]] = [:]
        for row in rows {
            guard let id = UUID(uuidString: String(try row.decode(column: "dim", as: String.self).dropFirst("agent:".count))) else { continue }
            byAgent[id, default: []].append(try Self.row(row))
        }
        return byAgent.mapValues(ReportSummary.init)
    }

    /// Every slice's figures for the range, in one statement: the workspace cut by inbox,
    /// channel, team, category, language, priority and tier at once.
    func slices(_ query: ReportQuery) async throws -> [String: ReportSummary] {
        let (from, to) = Self.range(query)
        let metrics: SQLQueryString = " AND metric IN ('opened', 'reopened', 'resolved', 'first_response', 'first_contact_resolution', 'rated', 'deflected', 'bot_engaged')"
        // The table shows a median of first responses only: every other duration is summed
        // over its buckets in the database, so far fewer groups come back.
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT dim, metric, detail, CASE WHEN metric = 'first_response' THEN bin ELSE -1 END AS bin,
            CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business
            FROM (\(Self.rows(query.workspaceID, fromHour: from, toHour: to, dims: { "dim <> 'all' AND dim NOT LIKE 'agent:%'" }, metrics: metrics))) r
            GROUP BY 1, 2, 3, 4
            """).all()
        var byDim: [String: [RollupRow]] = [:]
        for row in rows { byDim[try row.decode(column: "dim", as: String.self), default: []].append(try Self.row(row)) }
        return byDim.mapValues(ReportSummary.init)
    }

    private static func endHour(_ to: Date) -> Int64 { Int64((to.timeIntervalSince1970 / 3_600).rounded(.up)) }

    private static func row(_ row: any SQLRow) throws -> RollupRow { try self.row(row, bin: nil) }

    private static func row(_ row: any SQLRow, bin: Int?) throws -> RollupRow {
        RollupRow(metric: try row.decode(column: "metric", as: String.self), detail: try row.decode(column: "detail", as: String.self),
                  bin: try bin ?? row.decode(column: "bin", as: Int.self), n: try row.decode(column: "n", as: Int64.self),
                  total: try row.decode(column: "total", as: Double.self), totalBusiness: try row.decode(column: "total_business", as: Double.self))
    }
}
