import Foundation

/// Holidays read from an iCalendar file (RFC 5545), such as the public-holiday calendars
/// that calendar apps publish: each all-day event is a day off, except the make-up working
/// days (调休上班, "补班") such calendars list among them, which are working days.
public enum HolidayCalendar {
    public struct Day: Sendable, Equatable {
        public let date: CivilDate
        public let name: String
        public let isWorkingDay: Bool
    }

    /// The most days one file may name: a decade of any country's holidays fits well inside.
    public static let maxDays = 3_660

    /// The days the file's events cover, in date order; a day named twice keeps the last.
    /// Recurring events (RRULE) are refused rather than read as one day.
    public static func days(in text: String) throws(ScheduleError) -> [Day] {
        let lines = unfolded(text)
        guard lines.contains(where: { $0.uppercased() == "BEGIN:VCALENDAR" }) else {
            throw ScheduleError(field: "calendar", english: "not an iCalendar file: it has no BEGIN:VCALENDAR",
                                chinese: "不是 iCalendar 文件：缺少 BEGIN:VCALENDAR")
        }
        var days: [CivilDate: Day] = [:]
        var event: [String: (parameters: String, value: String)]?
        var eventNumber = 0
        for line in lines {
            let upper = line.uppercased()
            if upper == "BEGIN:VEVENT" {
                event = [:]
                eventNumber += 1
                continue
            }
            if upper == "END:VEVENT", let properties = event {
                for day in try Self.days(of: properties, eventNumber: eventNumber) { days[day.date] = day }
                guard days.count <= maxDays else {
                    throw ScheduleError(field: "calendar", english: "the file names more than \(maxDays) days", chinese: "文件中的日期超过 \(maxDays) 天")
                }
                event = nil
                continue
            }
            guard event != nil, let colon = line.firstIndex(of: ":") else { continue }
            let head = line[..<colon]
            let name = head.split(separator: ";", maxSplits: 1).first.map { $0.uppercased() } ?? ""
            let parameters = head.split(separator: ";", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            event?[name] = (parameters, String(line[line.index(after: colon)...]))
        }
        return days.values.sorted { $0.date < $1.date }
    }

    private static func days(of event: [String: (parameters: String, value: String)], eventNumber: Int) throws(ScheduleError) -> [Day] {
        let field = "calendar.event[\(eventNumber)]"
        if event["RRULE"] != nil {
            throw ScheduleError(field: field, english: "recurring events (RRULE) are not read; list each year's days",
                                chinese: "不支持重复事件（RRULE）；请逐年列出日期")
        }
        guard let start = event["DTSTART"], let first = date(start.value) else {
            throw ScheduleError(field: field + ".DTSTART", english: "an event needs a start date, such as DTSTART;VALUE=DATE:20270210",
                                chinese: "事件需要开始日期，例如 DTSTART;VALUE=DATE:20270210")
        }
        var last = first
        if let end = event["DTEND"] {
            guard let endDate = date(end.value) else {
                throw ScheduleError(field: field + ".DTEND", english: "the end is not a date", chinese: "结束日期无效")
            }
            // An all-day event's end is the day after its last; a timed one ends on its own day.
            let exclusive = !end.value.contains("T")
            last = exclusive ? CivilDate(dayNumber: endDate.dayNumber - 1) : endDate
        }
        guard last >= first, last.dayNumber - first.dayNumber < 366 else {
            throw ScheduleError(field: field + ".DTEND", english: "an event must end after it starts, within a year",
                                chinese: "事件必须在开始之后、一年之内结束")
        }
        let summary = unescaped(event["SUMMARY"]?.value ?? "")
        let working = isWorkingDay(summary)
        return (first.dayNumber...last.dayNumber).map { Day(date: CivilDate(dayNumber: $0), name: summary, isWorkingDay: working) }
    }

    /// Make-up working days say so in their name: "补班", "上班", "班", "working day".
    static func isWorkingDay(_ summary: String) -> Bool {
        let lowered = summary.lowercased()
        if lowered.contains("working day") || lowered.contains("workday") { return true }
        if summary.contains("补班") || summary.contains("上班") { return true }
        // "春节（班）" and the like; "休" marks a day off even beside "班".
        return summary.contains("班") && !summary.contains("休")
    }

    /// `20270210`, or the date part of `20270210T090000Z`.
    static func date(_ value: String) -> CivilDate? {
        let digits = value.prefix(8)
        guard digits.count == 8, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)), let day = Int(digits.suffix(2)) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// Lines with their folds undone: a line that begins with a space or tab continues the last.
    static func unfolded(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else if !raw.isEmpty {
                lines.append(String(raw))
            }
        }
        return lines
    }

    static func unescaped(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" || character == "N" ? " " : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}

extension ScheduleDocument {
    /// The document with the calendar's days as overrides: days off closed, make-up working
    /// days with `workingHours` (a weekday's hours, say). A date already overridden takes
    /// the calendar's word for it.
    public func importing(_ days: [HolidayCalendar.Day], workingHours: [[String]]) -> ScheduleDocument {
        var copy = self
        let named = Set(days.map(\.date.description))
        var overrides = (overrides ?? []).filter { !named.contains($0.date) }
        for day in days {
            overrides.append(Override(date: day.date.description, hours: day.isWorkingDay ? workingHours : [], name: day.name.isEmpty ? nil : day.name))
        }
        copy.overrides = overrides.sorted { $0.date < $1.date }
        return copy
    }
}
