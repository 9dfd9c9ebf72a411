import Foundation
import Testing
@testable import KefuCore

/// Instants are written with their zone's offset, as a person reading a clock there would.
private func at(_ text: String) -> Date {
    let style = Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains("."))
    guard let date = try? style.parse(text) else { fatalError("bad instant in a test: \(text)") }
    return date
}

private func schedule(_ zone: String, _ weekly: [String: [[String]]], overrides: [ScheduleDocument.Override] = []) -> BusinessSchedule {
    do {
        return try ScheduleDocument(timeZone: zone, weekly: weekly, overrides: overrides).schedule()
    } catch {
        fatalError("bad schedule in a test: \(error)")
    }
}

private let office = [["09:00", "12:00"], ["13:00", "18:00"]]

/// Beijing office hours with a lunch break; 春节 2027-02-08 to 02-12 closed, Sunday 02-07 a
/// make-up working day (调休), and 02-13 a shorter day.
private let shanghai = schedule("Asia/Shanghai", ["mon": office, "tue": office, "wed": office, "thu": office, "fri": office, "sat": [], "sun": []],
                                overrides: [.init(date: "2027-02-07", hours: [["09:00", "18:00"]], name: "调休"),
                                            .init(date: "2027-02-08", hours: [], name: "春节"), .init(date: "2027-02-09", hours: [], name: "春节"),
                                            .init(date: "2027-02-10", hours: [], name: "春节"), .init(date: "2027-02-11", hours: [], name: "春节"),
                                            .init(date: "2027-02-12", hours: [], name: "春节"),
                                            .init(date: "2027-02-13", hours: [["10:00", "12:00"]])])

/// Sundays only, for the days New York and London change their clocks (2027-03-14 and
/// 2027-11-07 in New York, 2027-03-28 and 2027-10-31 in London).
private let newYorkEarlySunday = schedule("America/New_York", ["sun": [["01:00", "05:00"]]])
private let newYorkGapStart = schedule("America/New_York", ["sun": [["02:30", "04:00"]]])
private let newYorkRepeatedStart = schedule("America/New_York", ["sun": [["01:30", "03:00"]]])
private let londonSunday = schedule("Europe/London", ["sun": [["00:00", "24:00"]]])
private let londonWeekdays = schedule("Europe/London", ["mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]],
                                                        "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]]])
private let closed = schedule("UTC", [:])

@Suite("Business hours: adding business time, counting it, and the next opening")
struct BusinessHoursTests {
    struct Due: Sendable, CustomTestStringConvertible {
        let name: String
        let schedule: BusinessSchedule
        let from: String
        let seconds: TimeInterval
        let due: String?
        var testDescription: String { name }
    }

    static let dues: [Due] = [
        Due(name: "inside hours: an hour later", schedule: shanghai, from: "2027-02-01T10:00:00+08:00", seconds: 3_600, due: "2027-02-01T11:00:00+08:00"),
        Due(name: "the last second of a morning ends at 12:00, not at the 13:00 reopening", schedule: shanghai,
            from: "2027-02-01T10:00:00+08:00", seconds: 7_200, due: "2027-02-01T12:00:00+08:00"),
        Due(name: "the lunch break does not count", schedule: shanghai, from: "2027-02-01T11:00:00+08:00", seconds: 7_200, due: "2027-02-01T14:00:00+08:00"),
        Due(name: "before hours: counting starts at the opening", schedule: shanghai, from: "2027-02-01T07:00:00+08:00", seconds: 600, due: "2027-02-01T09:10:00+08:00"),
        Due(name: "after Friday's hours: the 调休 Sunday is a working day", schedule: shanghai,
            from: "2027-02-05T19:00:00+08:00", seconds: 3_600, due: "2027-02-07T10:00:00+08:00"),
        Due(name: "春节 is skipped; the shorter Saturday after it counts", schedule: shanghai,
            from: "2027-02-07T17:00:00+08:00", seconds: 3 * 3_600, due: "2027-02-13T12:00:00+08:00"),
        Due(name: "and then the Monday after", schedule: shanghai,
            from: "2027-02-07T17:00:00+08:00", seconds: 4 * 3_600, due: "2027-02-15T10:00:00+08:00"),
        Due(name: "zero seconds is the start itself, even outside hours", schedule: shanghai,
            from: "2027-02-06T03:00:00+08:00", seconds: 0, due: "2027-02-06T03:00:00+08:00"),
        Due(name: "a whole business day of eight hours", schedule: shanghai, from: "2027-02-02T09:00:00+08:00", seconds: 8 * 3_600,
            due: "2027-02-02T18:00:00+08:00"),
        Due(name: "New York, spring forward: business time runs on across the skipped hour", schedule: newYorkEarlySunday,
            from: "2027-03-14T01:30:00-05:00", seconds: 3_600, due: "2027-03-14T03:30:00-04:00"),
        Due(name: "New York, fall back: the repeated hour is worked twice", schedule: newYorkEarlySunday,
            from: "2027-11-07T01:00:00-04:00", seconds: 3_600, due: "2027-11-07T01:00:00-05:00"),
        Due(name: "London weekdays, over the weekend the clocks go forward", schedule: londonWeekdays,
            from: "2027-03-26T16:00:00+00:00", seconds: 7_200, due: "2027-03-29T10:00:00+01:00"),
        Due(name: "a schedule that never opens has no due time", schedule: closed, from: "2027-01-01T00:00:00Z", seconds: 1, due: nil),
        Due(name: "fractions of a second are kept", schedule: shanghai, from: "2027-02-01T11:59:59+08:00", seconds: 1.5,
            due: "2027-02-01T13:00:00.500+08:00"),
    ]

    @Test("due: the instant the N-th business second completes", arguments: dues)
    func due(_ example: Due) {
        let due = example.schedule.adding(example.seconds, to: at(example.from))
        #expect(due == example.due.map(at), "\(String(describing: due))")
    }

    struct Between: Sendable, CustomTestStringConvertible {
        let name: String
        let schedule: BusinessSchedule
        let from: String
        let to: String
        let seconds: TimeInterval
        var testDescription: String { name }
    }

    static let betweens: [Between] = [
        Between(name: "a working day is eight hours", schedule: shanghai, from: "2027-02-01T00:00:00+08:00", to: "2027-02-02T00:00:00+08:00", seconds: 28_800),
        Between(name: "from Friday afternoon over 调休, 春节 and the shorter Saturday to Monday morning", schedule: shanghai,
                from: "2027-02-05T17:00:00+08:00", to: "2027-02-15T10:00:00+08:00", seconds: 3_600 + 9 * 3_600 + 2 * 3_600 + 3_600),
        Between(name: "from inside the lunch break", schedule: shanghai, from: "2027-02-01T12:30:00+08:00", to: "2027-02-01T13:30:00+08:00", seconds: 1_800),
        Between(name: "an empty range", schedule: shanghai, from: "2027-02-01T10:00:00+08:00", to: "2027-02-01T10:00:00+08:00", seconds: 0),
        Between(name: "a range that ends before it starts", schedule: shanghai, from: "2027-02-01T11:00:00+08:00", to: "2027-02-01T10:00:00+08:00", seconds: 0),
        Between(name: "the start counts and the end does not: [A, B)", schedule: shanghai,
                from: "2027-02-01T11:59:59+08:00", to: "2027-02-01T13:00:01+08:00", seconds: 2),
        Between(name: "New York 01:00–05:00 on the spring-forward Sunday is three hours", schedule: newYorkEarlySunday,
                from: "2027-03-13T12:00:00-05:00", to: "2027-03-15T12:00:00-04:00", seconds: 3 * 3_600),
        Between(name: "New York 01:00–05:00 on the fall-back Sunday is five hours", schedule: newYorkEarlySunday,
                from: "2027-11-06T12:00:00-04:00", to: "2027-11-08T12:00:00-05:00", seconds: 5 * 3_600),
        Between(name: "New York, hours that start in the skipped hour open when the clocks land", schedule: newYorkGapStart,
                from: "2027-03-13T12:00:00-05:00", to: "2027-03-15T12:00:00-04:00", seconds: 3_600),
        Between(name: "New York, the same hours on an ordinary Sunday", schedule: newYorkGapStart,
                from: "2027-03-20T12:00:00-04:00", to: "2027-03-22T12:00:00-04:00", seconds: 5_400),
        Between(name: "New York, hours that start in the repeated hour start at its first occurrence", schedule: newYorkRepeatedStart,
                from: "2027-11-06T12:00:00-04:00", to: "2027-11-08T12:00:00-05:00", seconds: 9_000),
        Between(name: "London, a whole Sunday when the clocks go forward is 23 hours", schedule: londonSunday,
                from: "2027-03-27T12:00:00Z", to: "2027-03-29T12:00:00+01:00", seconds: 23 * 3_600),
        Between(name: "London, a whole Sunday when the clocks go back is 25 hours", schedule: londonSunday,
                from: "2027-10-30T12:00:00+01:00", to: "2027-11-01T12:00:00Z", seconds: 25 * 3_600),
        Between(name: "London, an ordinary whole Sunday is 24 hours", schedule: londonSunday,
                from: "2027-04-03T12:00:00+01:00", to: "2027-04-05T12:00:00+01:00", seconds: 24 * 3_600),
    ]

    @Test("between: business seconds in [A, B)", arguments: betweens)
    func between(_ example: Between) {
        #expect(example.schedule.seconds(from: at(example.from), to: at(example.to)) == example.seconds)
    }

    @Test("due and between agree: adding what lies between A and B from A lands on B's business instant", arguments: dues.filter { $0.due != nil && $0.seconds > 0 })
    func dueAndBetweenAgree(_ example: Due) throws {
        let due = try #require(example.schedule.adding(example.seconds, to: at(example.from)))
        #expect(example.schedule.seconds(from: at(example.from), to: due) == example.seconds)
    }

    struct Opening: Sendable, CustomTestStringConvertible {
        let name: String
        let instant: String
        let open: Bool
        let next: String
        var testDescription: String { name }
    }

    static let openings: [Opening] = [
        Opening(name: "inside the morning", instant: "2027-02-01T10:00:00+08:00", open: true, next: "2027-02-01T10:00:00+08:00"),
        Opening(name: "at lunch", instant: "2027-02-01T12:30:00+08:00", open: false, next: "2027-02-01T13:00:00+08:00"),
        Opening(name: "at the closing second itself", instant: "2027-02-01T18:00:00+08:00", open: false, next: "2027-02-02T09:00:00+08:00"),
        Opening(name: "at the opening second itself", instant: "2027-02-01T09:00:00+08:00", open: true, next: "2027-02-01T09:00:00+08:00"),
        Opening(name: "on an ordinary Saturday", instant: "2027-01-30T11:00:00+08:00", open: false, next: "2027-02-01T09:00:00+08:00"),
        Opening(name: "on the Saturday before the 调休 Sunday", instant: "2027-02-06T11:00:00+08:00", open: false, next: "2027-02-07T09:00:00+08:00"),
        Opening(name: "during 春节", instant: "2027-02-10T10:00:00+08:00", open: false, next: "2027-02-13T10:00:00+08:00"),
    ]

    @Test("open now, and when it next opens", arguments: openings)
    func opening(_ example: Opening) {
        #expect(shanghai.isOpen(at: at(example.instant)) == example.open)
        #expect(shanghai.nextOpening(atOrAfter: at(example.instant)) == at(example.next))
    }

    @Test("a schedule that never opens has no next opening, and no business time between any two instants")
    func neverOpen() {
        #expect(closed.nextOpening(atOrAfter: at("2027-01-01T00:00:00Z")) == nil)
        #expect(closed.seconds(from: at("2027-01-01T00:00:00Z"), to: at("2027-12-31T00:00:00Z")) == 0)
        let pastHoliday = schedule("UTC", [:], overrides: [.init(date: "2026-01-01", hours: [["09:00", "17:00"]])])
        #expect(pastHoliday.adding(60, to: at("2027-01-01T00:00:00Z")) == nil)
        #expect(pastHoliday.adding(60, to: at("2026-01-01T08:00:00Z")) == at("2026-01-01T09:01:00Z"))
    }

    @Test("the default schedule is open every second, in UTC")
    func alwaysOpen() {
        #expect(BusinessSchedule.alwaysOpen.adding(90_000, to: at("2027-03-14T01:00:00Z")) == at("2027-03-15T02:00:00Z"))
        #expect(BusinessSchedule.alwaysOpen.seconds(from: at("2027-01-01T00:00:00Z"), to: at("2028-01-01T00:00:00Z")) == 365 * 86_400)
    }
}

@Suite("Schedule documents are read strictly, naming the field at fault")
struct ScheduleDocumentTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        let name: String
        let document: ScheduleDocument
        let field: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "an unknown time zone", document: .init(timeZone: "Asia/Beijing", weekly: [:]), field: "timeZone"),
        Bad(name: "an empty time zone", document: .init(timeZone: "", weekly: [:]), field: "timeZone"),
        Bad(name: "a misspelt weekday", document: .init(timeZone: "UTC", weekly: ["thur": office]), field: "weekly.thur"),
        Bad(name: "an interval across midnight", document: .init(timeZone: "UTC", weekly: ["mon": [["22:00", "02:00"]]]), field: "weekly.mon[0]"),
        Bad(name: "an interval that starts at 24:00", document: .init(timeZone: "UTC", weekly: ["mon": [["24:00", "24:00"]]]), field: "weekly.mon[0]"),
        Bad(name: "a time past 24:00", document: .init(timeZone: "UTC", weekly: ["mon": [["09:00", "24:30"]]]), field: "weekly.mon[0]"),
        Bad(name: "minutes past 59", document: .init(timeZone: "UTC", weekly: ["mon": [["09:60", "10:00"]]]), field: "weekly.mon[0]"),
        Bad(name: "a time without minutes", document: .init(timeZone: "UTC", weekly: ["mon": [["9", "10:00"]]]), field: "weekly.mon[0]"),
        Bad(name: "three times for one interval", document: .init(timeZone: "UTC", weekly: ["tue": [["09:00", "10:00", "11:00"]]]), field: "weekly.tue[0]"),
        Bad(name: "overlapping intervals", document: .init(timeZone: "UTC", weekly: ["wed": [["09:00", "12:00"], ["11:00", "13:00"]]]), field: "weekly.wed"),
        Bad(name: "a date that does not exist", document: .init(timeZone: "UTC", weekly: [:], overrides: [.init(date: "2027-02-29", hours: [])]),
            field: "overrides[0].date"),
        Bad(name: "a date in another format", document: .init(timeZone: "UTC", weekly: [:], overrides: [.init(date: "10/02/2027", hours: [])]),
            field: "overrides[0].date"),
        Bad(name: "one date overridden twice", document: .init(timeZone: "UTC", weekly: [:],
                                                               overrides: [.init(date: "2027-02-10", hours: []), .init(date: "2027-02-10", hours: [])]),
            field: "overrides[1].date"),
        Bad(name: "bad hours in an override", document: .init(timeZone: "UTC", weekly: [:], overrides: [.init(date: "2027-02-10", hours: [["18:00", "09:00"]])]),
            field: "overrides[0].hours[0]"),
    ]

    @Test("each mistake is refused with its field and a message in both languages", arguments: bad)
    func refused(_ example: Bad) {
        #expect {
            try example.document.schedule()
        } throws: { error in
            guard let error = error as? ScheduleError else { return false }
            return error.field == example.field && !error.message.english.isEmpty && error.message.chinese.unicodeScalars.contains { $0.value >= 0x4E00 }
        }
    }

    @Test("a document reads back as itself: every weekday, overrides in date order, names kept")
    func roundTrip() throws {
        let document = ScheduleDocument(timeZone: "Asia/Shanghai", weekly: ["mon": office, "sat": [["00:00", "24:00"]], "sun": [["09:00:30", "10:00"]]],
                                        overrides: [.init(date: "2027-02-10", hours: [], name: "春节"), .init(date: "2027-02-07", hours: [["09:00", "18:00"]])])
        let schedule = try document.schedule()
        let back = ScheduleDocument(schedule, names: [CivilDate(parsing: "2027-02-10")!: "春节"])
        #expect(back.timeZone == "Asia/Shanghai")
        #expect(back.weekly["mon"] == office)
        #expect(back.weekly["tue"] == [])
        #expect(back.weekly["sat"] == [["00:00", "24:00"]])
        #expect(back.weekly["sun"] == [["09:00:30", "10:00"]])
        #expect(back.overrides == [.init(date: "2027-02-07", hours: [["09:00", "18:00"]]), .init(date: "2027-02-10", hours: [], name: "春节")])
        #expect(try back.schedule() == schedule)
    }

    @Test("calendar dates and their weekdays, by day number and back", arguments: [
        ("1970-01-01", BusinessSchedule.Weekday.thu), ("2000-02-29", .tue), ("2027-02-07", .sun), ("2027-02-10", .wed), ("1969-12-31", .wed), ("2100-03-01", .mon),
    ])
    func civilDates(_ text: String, _ weekday: BusinessSchedule.Weekday) throws {
        let date = try #require(CivilDate(parsing: text))
        #expect(date.weekday == weekday)
        #expect(CivilDate(dayNumber: date.dayNumber) == date)
        #expect(date.description == text)
    }
}
