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

/// Reads rollups back. Three statements per report whatever the history's size: the range's
/// totals, the previous range's, and the series by hour (summed into periods here, in the
/// workspace's time zone).
struct ReportReader: Sendable {
    let persistence: Persistence

    struct Point: Sendable, Codable {
        let start: Date
        let summary: ReportSummary
    }

    func totals(_ query: ReportQuery) async throws -> ReportSummary {
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT metric, detail, bin, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business FROM report_rollups
            WHERE workspace_id = \(bind: query.workspaceID) AND dim = \(bind: query.slice)
            AND hour >= \(bind: ReportCells.hour(query.from)) AND hour < \(bind: Self.endHour(query.to))
            GROUP BY metric, detail, bin
            """).all()
        return ReportSummary(try rows.map(Self.row))
    }

    func series(_ query: ReportQuery) async throws -> [Point] {
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT hour, metric, detail, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business FROM report_rollups
            WHERE workspace_id = \(bind: query.workspaceID) AND dim = \(bind: query.slice)
            AND hour >= \(bind: ReportCells.hour(query.from)) AND hour < \(bind: Self.endHour(query.to))
            AND metric NOT LIKE '%@business' GROUP BY hour, metric, detail
            """).all()
        var byPeriod: [Date: [RollupRow]] = [:]
        var periods: [Int64: Date] = [:]
        for row in rows {
            let hour = try row.decode(column: "hour", as: Int64.self)
            let start = periods[hour] ?? query.period.start(of: Date(timeIntervalSince1970: Double(hour) * 3_600), in: query.timeZone)
            periods[hour] = start
            // Buckets are summed away here: a period's durations give their mean, not percentiles.
            var parsed = try Self.row(row, bin: -1)
            parsed.bin = -1
            byPeriod[start, default: []].append(parsed)
        }
        // Every period of the range appears, empty ones too, so charts keep their time axis.
        var points: [Point] = []
        var cursor = query.period.start(of: query.from, in: query.timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = query.timeZone
        let step: Calendar.Component = switch query.period { case .hour: .hour; case .day: .day; case .week: .weekOfYear; case .month: .month }
        while cursor < query.to && points.count < 2_000 {
            points.append(Point(start: cursor, summary: ReportSummary(byPeriod[cursor] ?? [])))
            guard let next = calendar.date(byAdding: step, value: 1, to: cursor) else { break }
            cursor = next
        }
        return points
    }

    /// Complaints open now (not resolved, not withdrawn) and the median of their ages.
    struct OpenComplaints: Codable, Sendable {
        let count: Int
        let medianAgeSeconds: Double?
    }

    func openComplaints(workspaceID: UUID, now: Date) async throws -> OpenComplaints {
        let opened = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT opened_ms FROM complaints WHERE workspace_id = \(bind: workspaceID) AND withdrawn_ms IS NULL AND resolved_ms IS NULL
            """).all().map { try $0.decode(column: "opened_ms", as: Int64.self) }.sorted()
        guard !opened.isEmpty else { return OpenComplaints(count: 0, medianAgeSeconds: nil) }
        let ages = opened.map { now.timeIntervalSince(Date(millisSince1970: $0)) }.sorted()
        let middle = ages.count / 2
        let median = ages.count % 2 == 1 ? ages[middle] : (ages[middle - 1] + ages[middle]) / 2
        return OpenComplaints(count: ages.count, medianAgeSeconds: max(0, median))
    }

    /// Every agent's figures for the range, in one statement: the rows of the agent slices.
    func agents(_ query: ReportQuery) async throws -> [UUID: ReportSummary] {
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT dim, metric, detail, bin, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business FROM report_rollups
            WHERE workspace_id = \(bind: query.workspaceID) AND dim LIKE 'agent:%'
            AND hour >= \(bind: ReportCells.hour(query.from)) AND hour < \(bind: Self.endHour(query.to))
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
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT dim, metric, detail, bin, CAST(SUM(n) AS BIGINT) AS n, SUM(total) AS total, SUM(total_business) AS total_business FROM report_rollups
            WHERE workspace_id = \(bind: query.workspaceID) AND dim <> 'all' AND dim NOT LIKE 'agent:%'
            AND hour >= \(bind: ReportCells.hour(query.from)) AND hour < \(bind: Self.endHour(query.to))
            AND metric IN ('opened', 'reopened', 'resolved', 'first_response', 'first_contact_resolution', 'rated', 'deflected', 'bot_engaged')
            GROUP BY dim, metric, detail, bin
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
