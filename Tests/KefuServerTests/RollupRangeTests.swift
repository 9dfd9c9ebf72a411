import FluentKit
import Foundation
import KefuCore
import SQLKit
import Testing

@testable import KefuServer

@Suite("Report ranges: whatever weeks, days and hours a range is read from, it holds what its hours hold")
struct RollupRangeTests {
    @Test("random ranges over four months of random hours: totals equal the hourly rows summed, by any zone's series")
    func rangesEqualHours() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withPersistence(desk) { persistence in
                var dice = ReportTests.Dice(state: 2026)
                // A Wednesday, so weeks begin inside the history rather than at its start.
                let start = ReportCells.hour(Date(timeIntervalSince1970: 1_780_000_000))
                var hours: [Int64: Int64] = [:]
                var cells: [ReportCell: ReportAmount] = [:]
                for _ in 0..<1_500 {
                    let hour = start + Int64(dice.roll(120 * 24))
                    let n = Int64(1 + dice.roll(3))
                    hours[hour, default: 0] += n
                    let cell = ReportCell(hour: hour, dim: "all", metric: "opened", detail: "", bin: -1)
                    cells[cell] = (cells[cell] ?? ReportAmount()) + ReportAmount(n: n)
                    // Another slice in the same hours, which no range of the whole workspace may count.
                    let other = ReportCell(hour: hour, dim: "channel:email", metric: "opened", detail: "", bin: -1)
                    cells[other] = (cells[other] ?? ReportAmount()) + ReportAmount(n: 100)
                }
                let written = cells
                try await persistence.transaction { db in
                    try await ReportProjector.record(written, workspaceID: workspace.workspaceID, on: db as! any SQLDatabase)
                }
                let reader = ReportReader(persistence: persistence)
                let total = hours.values.reduce(0, +)
                let whole = ReportQuery(workspaceID: workspace.workspaceID, from: Date(timeIntervalSince1970: Double(start - 24) * 3_600),
                                        to: Date(timeIntervalSince1970: Double(start + 121 * 24) * 3_600), period: .week, slice: "all", timeZone: TimeZone(identifier: "UTC")!)
                #expect(try await reader.totals(whole).opened == total)

                for round in 0..<40 {
                    // Ranges from a few hours to the whole history, at any minute.
                    let from = Double(start) * 3_600 + Double(dice.roll(100 * 24 * 60)) * 60
                    let to = from + Double(1 + dice.roll([6 * 60, 5 * 24 * 60, 100 * 24 * 60][round % 3])) * 60
                    let fromHour = ReportCells.hour(Date(timeIntervalSince1970: from)), toHour = Int64((to / 3_600).rounded(.up))
                    let expected = hours.filter { $0.key >= fromHour && $0.key < toHour }.values.reduce(0, +)
                    let zone = TimeZone(identifier: ["UTC", "Asia/Shanghai", "America/New_York"][round % 3])!
                    let period = [ReportPeriod.day, .week, .month][dice.roll(3)]
                    let query = ReportQuery(workspaceID: workspace.workspaceID, from: Date(timeIntervalSince1970: from), to: Date(timeIntervalSince1970: to),
                                            period: period, slice: "all", timeZone: zone)
                    #expect(try await reader.totals(query).opened == expected, "round \(round): hours \(fromHour)..<\(toHour)")
                    // A series counts each hour of the range once, in the period it falls in.
                    let points = try await reader.series(query)
                    #expect(points.map(\.summary.opened).reduce(0, +) == expected, "round \(round): \(period) in \(zone.identifier)")
                    var byPeriod: [Date: Int64] = [:]
                    for (hour, n) in hours where hour >= fromHour && hour < toHour {
                        byPeriod[period.start(of: Date(timeIntervalSince1970: Double(hour) * 3_600), in: zone), default: 0] += n
                    }
                    let got = Dictionary(points.map { ($0.start, $0.summary.opened) }, uniquingKeysWith: +).filter { $0.value != 0 }
                    #expect(got == byPeriod, "round \(round): \(period) in \(zone.identifier)")
                }
            }
        }
    }
}
