import Foundation
import Testing
@testable import KefuCore

@Suite("Holidays imported from an iCalendar file")
struct HolidayCalendarTests {
    /// Shaped like the public-holiday calendars calendar apps publish for mainland China,
    /// with CRLF line ends and a folded line.
    static let chinese = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//CN Holidays//ZH", "X-WR-CALNAME:中国节假日",
        "BEGIN:VEVENT", "UID:2027-spring@example", "DTSTART;VALUE=DATE:20270206", "DTEND;VALUE=DATE:20270214", "SUMMARY:春节 休", "END:VEVENT",
        "BEGIN:VEVENT", "UID:2027-makeup@example", "DTSTART;VALUE=DATE:20270205", "SUMMARY:春节 补班", "END:VEVENT",
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20271001", "DTEND;VALUE=DATE:20271008", "SUMMARY:国庆节", " （休）", "END:VEVENT",
        "BEGIN:VEVENT", "DTSTART:20271224T090000Z", "DTEND:20271224T170000Z", "SUMMARY:Christmas Eve\\, office closed", "END:VEVENT",
        "END:VCALENDAR",
    ].joined(separator: "\r\n")

    @Test("all-day events are days off to the day before their end; make-up days are working days; folds and escapes are read")
    func readsDays() throws {
        let days = try HolidayCalendar.days(in: Self.chinese)
        let off = days.filter { !$0.isWorkingDay }.map(\.date.description)
        #expect(off == ["2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-02-13",
                        "2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07", "2027-12-24"])
        #expect(days.filter(\.isWorkingDay).map(\.date.description) == ["2027-02-05"])
        #expect(days.first { $0.date.description == "2027-10-03" }?.name == "国庆节（休）")
        #expect(days.last?.name == "Christmas Eve, office closed")
    }

    @Test("which names mean a working day", arguments: [
        ("春节 补班", true), ("调休上班", true), ("国庆节（班）", true), ("Make-up working day", true),
        ("春节 休", false), ("调休", false), ("劳动节", false), ("Christmas Day", false), ("", false),
    ])
    func workingDayNames(_ summary: String, _ working: Bool) {
        #expect(HolidayCalendar.isWorkingDay(summary) == working)
    }

    @Test("importing into a schedule: days off closed, make-up days with the working hours, the calendar's word over an earlier override")
    func importing() throws {
        let office = [["09:00", "12:00"], ["13:00", "18:00"]]
        let document = ScheduleDocument(timeZone: "Asia/Shanghai", weekly: ["mon": office],
                                        overrides: [.init(date: "2027-02-07", hours: [["09:00", "18:00"]]), .init(date: "2027-05-01", hours: [])])
        let imported = document.importing(try HolidayCalendar.days(in: Self.chinese), workingHours: office)
        let overrides = try #require(imported.overrides)
        #expect(overrides.map(\.date) == overrides.map(\.date).sorted())
        #expect(overrides.first { $0.date == "2027-02-05" }?.hours == office)
        #expect(overrides.first { $0.date == "2027-02-07" }?.hours == [])
        #expect(overrides.first { $0.date == "2027-02-07" }?.name == "春节 休")
        #expect(overrides.first { $0.date == "2027-05-01" } != nil)
        #expect(overrides.filter { $0.date == "2027-02-07" }.count == 1)
        // And the arithmetic follows: the Friday before is a working day, the festival is not.
        let schedule = try imported.schedule()
        #expect(schedule.hours(on: CivilDate(parsing: "2027-02-10")!).isEmpty)
        #expect(schedule.hours(on: CivilDate(parsing: "2027-02-05")!).count == 2)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let field: String
        var testDescription: String { name }
    }

    static func calendar(_ event: [String]) -> String {
        (["BEGIN:VCALENDAR", "BEGIN:VEVENT"] + event + ["END:VEVENT", "END:VCALENDAR"]).joined(separator: "\n")
    }

    static let bad: [Bad] = [
        Bad(name: "not a calendar at all", text: "date,name\n2027-02-10,春节\n", field: "calendar"),
        Bad(name: "a recurring event", text: calendar(["DTSTART;VALUE=DATE:20270101", "RRULE:FREQ=YEARLY", "SUMMARY:元旦"]), field: "calendar.event[1]"),
        Bad(name: "an event without a start", text: calendar(["SUMMARY:元旦"]), field: "calendar.event[1].DTSTART"),
        Bad(name: "a start that is no date", text: calendar(["DTSTART;VALUE=DATE:20271345", "SUMMARY:?"]), field: "calendar.event[1].DTSTART"),
        Bad(name: "an end before the start", text: calendar(["DTSTART;VALUE=DATE:20270210", "DTEND;VALUE=DATE:20270201"]), field: "calendar.event[1].DTEND"),
        Bad(name: "an event of several years", text: calendar(["DTSTART;VALUE=DATE:20270101", "DTEND;VALUE=DATE:20300101"]), field: "calendar.event[1].DTEND"),
    ]

    @Test("a file that cannot be read as holidays is refused, naming where", arguments: bad)
    func refused(_ example: Bad) {
        #expect {
            try HolidayCalendar.days(in: example.text)
        } throws: { error in
            (error as? ScheduleError)?.field == example.field
        }
    }
}
