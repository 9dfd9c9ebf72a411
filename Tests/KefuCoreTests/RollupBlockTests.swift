import Foundation
import Testing
import KefuCore

@Suite("Rollup blocks: the UTC day of an hour and the Monday that begins a day's week")
struct RollupBlockTests {
    static func day(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: text + "T00:00:00Z")!.timeIntervalSince1970 / 86_400)
    }

    @Test("a day's week begins on the Monday on or before it", arguments: [
        ("1970-01-01", "1969-12-29"),  // a Thursday: the week began the Monday before 1970
        ("1970-01-04", "1969-12-29"),  // Sunday ends that week
        ("1970-01-05", "1970-01-05"),  // a Monday begins its own
        ("1969-12-28", "1969-12-22"),  // before 1970: days below zero
        ("2026-12-04", "2026-11-30"),
        ("2026-12-06", "2026-11-30"),
        ("2026-12-07", "2026-12-07"),
        ("2024-02-29", "2024-02-26"),
    ])
    func week(of date: String, begins monday: String) {
        #expect(ReportCells.week(ofDay: Self.day(date)) == Self.day(monday))
    }

    @Test("every day of a week has the same Monday, and the next day after Sunday a new one")
    func weeksAreSevenDays() {
        for start in stride(from: Self.day("1969-12-01"), to: Self.day("1970-03-01"), by: 1) {
            let week = ReportCells.week(ofDay: start)
            #expect(start - week >= 0 && start - week < 7)
            #expect((week + 3) % 7 == 0, "\(week) is not a Monday")
        }
    }

    @Test("an hour's UTC day, on both sides of 1970", arguments: [(Int64(0), Int64(0)), (23, 0), (24, 1), (-1, -1), (-24, -1), (-25, -2)])
    func day(ofHour hour: Int64, is day: Int64) {
        #expect(ReportCells.day(ofHour: hour) == day)
    }
}
