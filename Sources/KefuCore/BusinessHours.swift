import Foundation

/// When a support team works: a time zone, hours for each weekday, and dated overrides
/// (a holiday closed all day, a day with other hours, a make-up working day — 调休).
///
/// Hours are wall-clock times in the schedule's zone, so they follow its daylight-saving
/// changes: a 00:00–24:00 day lasts 23 or 25 hours on a change. A wall time the clocks skip
/// opens at the moment they land; one they show twice means its first occurrence.
public struct BusinessSchedule: Sendable, Equatable {
    public let timeZone: TimeZone
    /// The zone's name as given: Foundation reads "UTC" back as "GMT".
    public let timeZoneName: String
    public let weekly: [Weekday: [Interval]]
    public let overrides: [CivilDate: [Interval]]

    /// Every second of every day, in UTC: the schedule of a workspace that has set none.
    public static let alwaysOpen = BusinessSchedule(
        timeZone: TimeZone(identifier: "UTC")!, timeZoneName: "UTC",
        weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [Interval.wholeDay]) }), overrides: [:], checked: ())

    /// Hours are checked here, so a schedule that exists is one the arithmetic can trust.
    public init(timeZone: TimeZone, timeZoneName: String? = nil, weekly: [Weekday: [Interval]], overrides: [CivilDate: [Interval]] = [:]) throws(ScheduleError) {
        for (day, intervals) in weekly { try Interval.checkDay(intervals, field: "weekly.\(day.rawValue)") }
        for (date, intervals) in overrides { try Interval.checkDay(intervals, field: "overrides[\(date)]") }
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName ?? timeZone.identifier
        // Every weekday present, a closed one as no hours, so equal schedules compare equal.
        self.weekly = Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, (weekly[$0] ?? []).sorted()) })
        self.overrides = overrides.mapValues { $0.sorted() }
    }

    private init(timeZone: TimeZone, timeZoneName: String, weekly: [Weekday: [Interval]], overrides: [CivilDate: [Interval]], checked: ()) {
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName
        self.weekly = weekly
        self.overrides = overrides
    }

    /// The hours a calendar day has: its override if it has one, otherwise its weekday's.
    public func hours(on date: CivilDate) -> [Interval] {
        overrides[date] ?? weekly[date.weekday] ?? []
    }

    // MARK: Arithmetic

    /// The instant at which the `seconds`-th business second after `start` completes: it can
    /// be the end of an interval (12:00) rather than the next opening (13:00), and 0 gives
    /// `start` itself. Nil when the schedule never opens again.
    public func adding(_ seconds: TimeInterval, to start: Date) -> Date? {
        precondition(seconds >= 0, "business time is added, never subtracted")
        guard seconds > 0 else { return start }
        var remaining = seconds
        let from = start.timeIntervalSince1970
        for (open, close) in openPeriods(from: from) {
            let begin = max(open, from)
            guard close > begin else { continue }
            if remaining <= close - begin { return Date(timeIntervalSince1970: begin + remaining) }
            remaining -= close - begin
        }
        return nil
    }

    /// Business seconds in [start, end); zero when end is not after start.
    public func seconds(from start: Date, to end: Date) -> TimeInterval {
        let from = start.timeIntervalSince1970, to = end.timeIntervalSince1970
        guard to > from else { return 0 }
        var total: TimeInterval = 0
        for (open, close) in openPeriods(from: from) {
            if open >= to { break }
            total += max(0, min(close, to) - max(open, from))
        }
        return total
    }

    /// Whether the team works at this instant.
    public func isOpen(at instant: Date) -> Bool {
        let at = instant.timeIntervalSince1970
        for (open, close) in openPeriods(from: at) {
            if open > at { return false }
            if at < close { return true }
        }
        return false
    }

    /// `instant` itself when the team works then, otherwise the next moment it opens; nil
    /// when it never opens again.
    public func nextOpening(atOrAfter instant: Date) -> Date? {
        let at = instant.timeIntervalSince1970
        for (open, close) in openPeriods(from: at) where close > at {
            return Date(timeIntervalSince1970: max(open, at))
        }
        return nil
    }

    /// The open periods, as instants, that end after `from`, in order (a day open until
    /// 24:00 and the next from 00:00 come as two that touch). Ends after the last day that
    /// can have hours, or after ten years, whichever is first.
    func openPeriods(from: TimeInterval) -> AnySequence<(TimeInterval, TimeInterval)> {
        let zone = ZoneClock(timeZone)
        // From the day before the local day of `from`: its hours end at the latest at its 24:00.
        let firstDay = zone.localDay(of: from) - 1
        let weeklyEmpty = weekly.values.allSatisfy(\.isEmpty)
        let lastOverride = overrides.keys.map(\.dayNumber).max() ?? Int64.min
        let lastDay = weeklyEmpty ? min(lastOverride, firstDay + 3_660) : firstDay + 3_660
        return AnySequence { () -> AnyIterator<(TimeInterval, TimeInterval)> in
            var day = firstDay
            var pending: [(TimeInterval, TimeInterval)] = []
            return AnyIterator {
                while true {
                    while pending.isEmpty {
                        guard day <= lastDay else { return nil }
                        let midnight = day * 86_400
                        pending = hours(on: CivilDate(dayNumber: day)).map { interval in
                            (zone.instant(wallSeconds: midnight + Int64(interval.start)), zone.instant(wallSeconds: midnight + Int64(interval.end)))
                        }.filter { $0.1 > $0.0 }
                        day += 1
                    }
                    let next = pending.removeFirst()
                    if next.1 > from { return next }
                }
            }
        }
    }

    // MARK: Parts

    public enum Weekday: String, CaseIterable, Sendable, Hashable, Codable {
        case mon, tue, wed, thu, fri, sat, sun
    }

    /// Wall-clock hours within one day, in seconds since its midnight: [start, end), with
    /// 86,400 for 24:00. An interval never crosses midnight.
    public struct Interval: Sendable, Hashable, Comparable {
        public let start: Int
        public let end: Int

        public static let wholeDay = Interval(uncheckedStart: 0, end: 86_400)

        public init(start: Int, end: Int) throws(ScheduleError) {
            guard (0...86_400).contains(start), (0...86_400).contains(end), start < end else {
                throw ScheduleError(english: "an interval must start before it ends, within 00:00–24:00",
                                    chinese: "时间段必须在 00:00–24:00 之内，且开始早于结束")
            }
            self.start = start
            self.end = end
        }

        private init(uncheckedStart start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        /// `["09:00", "12:00"]`; seconds are allowed (`"09:00:30"`), `"24:00"` only as an end.
        public init(parsing pair: [String], field: String) throws(ScheduleError) {
            guard pair.count == 2 else {
                throw ScheduleError(field: field, english: "an interval is two times, [\"09:00\", \"12:00\"]",
                                    chinese: "时间段应为两个时间，例如 [\"09:00\", \"12:00\"]")
            }
            guard let start = Self.seconds(pair[0]), let end = Self.seconds(pair[1]) else {
                throw ScheduleError(field: field, english: "times are written HH:MM, from 00:00 to 24:00",
                                    chinese: "时间格式为 HH:MM，范围 00:00 到 24:00")
            }
            guard start < end, start < 86_400 else {
                throw ScheduleError(field: field, english: "an interval must start before it ends and may not cross midnight",
                                    chinese: "时间段必须开始早于结束，且不能跨过午夜")
            }
            self.init(uncheckedStart: start, end: end)
        }

        static func seconds(_ text: String) -> Int? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
            let second = parts.count == 3 ? Int(parts[2]) : 0
            guard let second, (0...59).contains(minute), (0...59).contains(second), (0...24).contains(hour) else { return nil }
            let total = hour * 3_600 + minute * 60 + second
            return total <= 86_400 ? total : nil
        }

        static func checkDay(_ intervals: [Interval], field: String) throws(ScheduleError) {
            let sorted = intervals.sorted()
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.start < earlier.end {
                throw ScheduleError(field: field, english: "intervals of one day may not overlap", chinese: "同一天的时间段不能重叠")
            }
        }

        public static func < (a: Interval, b: Interval) -> Bool { (a.start, a.end) < (b.start, b.end) }

        /// `"09:00"`, or `"09:00:30"` when there are seconds; `"24:00"` for the day's end.
        public static func text(_ seconds: Int) -> String {
            let clock = String(format: "%02d:%02d", seconds / 3_600, seconds / 60 % 60)
            return seconds % 60 == 0 ? clock : clock + String(format: ":%02d", seconds % 60)
        }
    }
}

/// A calendar date with no time or zone: an override's day, a holiday.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...CivilDate.days(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2027-02-10`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), by H. Hinnant's `days_from_civil`.
    public var dayNumber: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month), d = Int64(day)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `dayNumber` (`civil_from_days`).
    public init(dayNumber: Int64) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        self.month = Int(m)
        self.day = Int(d)
    }

    public var weekday: BusinessSchedule.Weekday {
        // 1970-01-01 was a Thursday.
        let index = Int(((dayNumber % 7) + 7 + 3) % 7)
        return BusinessSchedule.Weekday.allCases[index]
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A schedule that cannot be used, with the field at fault, in both languages.
public struct ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String?
    public let message: BilingualText

    public init(field: String? = nil, english: String, chinese: String) {
        self.field = field
        self.message = BilingualText(english: english, chinese: chinese)
    }

    public var description: String {
        guard let field else { return message.both }
        return "\(field): \(message.english) / \(field)：\(message.chinese)"
    }
}

/// Wall clock to instant and back in one zone, in whole seconds of wall time.
struct ZoneClock {
    let zone: TimeZone

    init(_ zone: TimeZone) { self.zone = zone }

    func offset(at instant: TimeInterval) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: instant)))
    }

    /// The local calendar day (days since 1970-01-01) that contains `instant`.
    func localDay(of instant: TimeInterval) -> Int64 {
        let wall = Int64(instant.rounded(.down)) + offset(at: instant)
        return wall >= 0 ? wall / 86_400 : (wall - 86_399) / 86_400
    }

    /// The instant at which the zone's clocks show `wall` (seconds since 1970-01-01 00:00 of
    /// wall time). Of two such instants (clocks set back) the first; of none (clocks set
    /// forward over it) the moment the clocks land after the jump. Zones change offset at
    /// most once in any two days, so the offsets a day either side are the only candidates.
    func instant(wallSeconds wall: Int64) -> TimeInterval {
        let before = offset(at: TimeInterval(wall - 86_400)), after = offset(at: TimeInterval(wall + 86_400))
        let solutions = Set([before, after]).map { wall - $0 }.filter { offset(at: TimeInterval($0)) == wall - $0 }
        if let first = solutions.min() { return TimeInterval(first) }
        let lastBeforeJump = Date(timeIntervalSince1970: TimeInterval(wall - max(before, after)))
        return zone.nextDaylightSavingTimeTransition(after: lastBeforeJump)?.timeIntervalSince1970 ?? TimeInterval(wall - after)
    }
}

/// A schedule as the API and the command line take it:
/// `{"timeZone": "Asia/Shanghai", "weekly": {"mon": [["09:00","12:00"],["13:00","18:00"]], …},
///   "overrides": [{"date": "2027-02-10", "hours": []}]}`. A weekday left out is closed.
public struct ScheduleDocument: Codable, Sendable, Equatable {
    public var timeZone: String
    public var weekly: [String: [[String]]]
    public var overrides: [Override]?

    public struct Override: Codable, Sendable, Equatable {
        public var date: String
        public var hours: [[String]]
        /// What the day is, for the people reading the schedule: "春节", "调休".
        public var name: String?

        public init(date: String, hours: [[String]], name: String? = nil) {
            self.date = date
            self.hours = hours
            self.name = name
        }
    }

    public init(timeZone: String, weekly: [String: [[String]]], overrides: [Override]? = nil) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.overrides = overrides
    }

    /// The document as a schedule, or the first thing wrong with it, naming its field.
    public func schedule() throws(ScheduleError) -> BusinessSchedule {
        guard !timeZone.isEmpty, let zone = TimeZone(identifier: timeZone) else {
            throw ScheduleError(field: "timeZone", english: "not a time zone Kefu knows; use an IANA name such as Asia/Shanghai",
                                chinese: "不是可识别的时区；请使用 IANA 名称，例如 Asia/Shanghai")
        }
        var days: [BusinessSchedule.Weekday: [BusinessSchedule.Interval]] = [:]
        for key in weekly.keys.sorted() {
            guard let day = BusinessSchedule.Weekday(rawValue: key) else {
                throw ScheduleError(field: "weekly.\(key)", english: "weekdays are mon, tue, wed, thu, fri, sat and sun",
                                    chinese: "星期应写作 mon、tue、wed、thu、fri、sat、sun")
            }
            days[day] = try Self.intervals(weekly[key]!, field: "weekly.\(key)")
        }
        var dated: [CivilDate: [BusinessSchedule.Interval]] = [:]
        for (index, override) in (overrides ?? []).enumerated() {
            guard let date = CivilDate(parsing: override.date) else {
                throw ScheduleError(field: "overrides[\(index)].date", english: "a date is written YYYY-MM-DD", chinese: "日期格式为 YYYY-MM-DD")
            }
            guard dated[date] == nil else {
                throw ScheduleError(field: "overrides[\(index)].date", english: "this date already has an override", chinese: "该日期已有特殊安排")
            }
            dated[date] = try Self.intervals(override.hours, field: "overrides[\(index)].hours")
        }
        return try BusinessSchedule(timeZone: zone, timeZoneName: timeZone, weekly: days, overrides: dated)
    }

    /// The document a schedule reads back as: every weekday given, overrides by date.
    public init(_ schedule: BusinessSchedule, names: [CivilDate: String] = [:]) {
        func pairs(_ intervals: [BusinessSchedule.Interval]) -> [[String]] {
            intervals.map { [BusinessSchedule.Interval.text($0.start), BusinessSchedule.Interval.text($0.end)] }
        }
        self.timeZone = schedule.timeZoneName
        self.weekly = Dictionary(uniqueKeysWithValues: BusinessSchedule.Weekday.allCases.map { ($0.rawValue, pairs(schedule.weekly[$0] ?? [])) })
        let dates = schedule.overrides.keys.sorted()
        self.overrides = dates.map { Override(date: $0.description, hours: pairs(schedule.overrides[$0]!), name: names[$0]) }
    }

    private static func intervals(_ pairs: [[String]], field: String) throws(ScheduleError) -> [BusinessSchedule.Interval] {
        var intervals: [BusinessSchedule.Interval] = []
        for (index, pair) in pairs.enumerated() {
            intervals.append(try BusinessSchedule.Interval(parsing: pair, field: "\(field)[\(index)]"))
        }
        try BusinessSchedule.Interval.checkDay(intervals, field: field)
        return intervals
    }
}
