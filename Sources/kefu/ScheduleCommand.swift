import ArgumentParser
import Foundation
import KefuCore

/// Business-hours arithmetic from the command line, for operators checking a schedule
/// before they give it to the desk. The file is what the API accepts.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Check a business-hours schedule: when N business seconds from an instant are up, or how many lie between two instants.",
        discussion: """
            FILE.json: {"timeZone": "Asia/Shanghai", "weekly": {"mon": [["09:00","12:00"],["13:00","18:00"]], …, "sun": []},
            "overrides": [{"date": "2027-02-10", "hours": []}]}. Instants are ISO 8601 with a zone (2027-02-01T09:00:00+08:00).
            A bad file or instant is reported on standard error with exit status 2.
            """,
        subcommands: [Due.self, Between.self, ImportHolidays.self]
    )

    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, in ISO 8601 UTC, the instant at which the N-th business second after --from completes.",
            discussion: "That can be the end of an interval (12:00) rather than the next opening; --seconds 0 prints --from itself. Exit status 1 when the schedule never opens again.")

        @Option(help: "The schedule, as JSON.") var schedule: String
        @Option(help: "The instant to count from, ISO 8601 with a zone.") var from: String
        @Option(help: "Business seconds to add, 0 or more.") var seconds: String

        func run() throws {
            let schedule = try ScheduleInput.schedule(at: self.schedule)
            let start = try ScheduleInput.instant(from, option: "--from")
            guard let amount = Double(seconds), amount.isFinite, amount >= 0, amount <= 3_153_600_000 else {
                throw ScheduleInput.fail("--seconds must be a number of seconds, 0 or more", "--seconds 必须是大于或等于 0 的秒数")
            }
            guard let due = schedule.adding(amount, to: start) else {
                FileHandle.standardError.write(Data("the schedule never opens again after --from / 该时间表在 --from 之后不再开放\n".utf8))
                throw ExitCode(1)
            }
            print(ScheduleInput.text(due))
        }
    }

    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the business seconds in [--from, --to): the start counts, the end does not; 0 when --to is not after --from.")

        @Option(help: "The schedule, as JSON.") var schedule: String
        @Option(help: "The first instant, ISO 8601 with a zone.") var from: String
        @Option(help: "The instant after the last one counted, ISO 8601 with a zone.") var to: String

        func run() throws {
            let schedule = try ScheduleInput.schedule(at: self.schedule)
            let start = try ScheduleInput.instant(from, option: "--from")
            let end = try ScheduleInput.instant(to, option: "--to")
            let seconds = schedule.seconds(from: start, to: end)
            print(seconds == seconds.rounded() ? String(Int64(seconds)) : String(format: "%.3f", seconds))
        }
    }
}

extension ScheduleCommand {
    struct ImportHolidays: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-holidays",
            abstract: "Print the schedule with an iCalendar file's holidays as overrides: days off closed, make-up working days (补班, 调休上班) open.",
            discussion: "Make-up working days get the hours of --working-day (default mon). A date the schedule already overrides takes the calendar's word. Recurring events are refused.")

        @Option(help: "The schedule, as JSON.") var schedule: String
        @Option(help: "The iCalendar (.ics) file.") var ics: String
        @Option(name: .customLong("working-day"), help: "The weekday whose hours a make-up working day has.") var workingDay: String = "mon"

        func run() throws {
            _ = try ScheduleInput.schedule(at: schedule)
            let document = try JSONDecoder().decode(ScheduleDocument.self, from: FileManager.default.contents(atPath: schedule) ?? Data())
            guard let data = FileManager.default.contents(atPath: ics), let text = String(data: data, encoding: .utf8) else {
                throw ScheduleInput.fail("cannot read the calendar file \(ics) as UTF-8 text", "无法以 UTF-8 文本读取日历文件 \(ics)")
            }
            guard BusinessSchedule.Weekday(rawValue: workingDay) != nil else {
                throw ScheduleInput.fail("--working-day is one of mon, tue, wed, thu, fri, sat, sun", "--working-day 应为 mon、tue、wed、thu、fri、sat、sun 之一")
            }
            let days: [HolidayCalendar.Day]
            do {
                days = try HolidayCalendar.days(in: text)
            } catch {
                FileHandle.standardError.write(Data("\(ics): \(error)\n".utf8))
                throw ExitCode(2)
            }
            let merged = document.importing(days, workingHours: document.weekly[workingDay] ?? [])
            do {
                _ = try merged.schedule()
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(merged) + Data("\n".utf8))
        }
    }
}

/// Reading what the operator gave; every mistake ends the command with exit status 2.
enum ScheduleInput {
    static func fail(_ english: String, _ chinese: String) -> ExitCode {
        FileHandle.standardError.write(Data("\(english) / \(chinese)\n".utf8))
        return ExitCode(2)
    }

    static func schedule(at path: String) throws -> BusinessSchedule {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("cannot read the schedule file \(path)", "无法读取时间表文件 \(path)")
        }
        let document: ScheduleDocument
        do {
            document = try JSONDecoder().decode(ScheduleDocument.self, from: data)
        } catch {
            throw fail("\(path) is not a schedule: expected {\"timeZone\": …, \"weekly\": {…}, \"overrides\": […]} (\(reason(error)))",
                       "\(path) 不是有效的时间表：应为 {\"timeZone\": …, \"weekly\": {…}, \"overrides\": […]}")
        }
        do {
            return try document.schedule()
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func instant(_ text: String, option: String) throws -> Date {
        for fractional in [false, true] {
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: fractional).parse(text) { return date }
        }
        throw fail("\(option) must be an ISO 8601 instant with a zone, such as 2027-02-01T09:00:00+08:00",
                   "\(option) 必须是带时区的 ISO 8601 时间，例如 2027-02-01T09:00:00+08:00")
    }

    /// UTC, with milliseconds only when the instant has a fraction of a second.
    static func text(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970 == date.timeIntervalSince1970.rounded()
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole))
    }

    /// What the JSON decoder found wrong, by the field's path; no values from the file.
    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: return "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "not valid JSON"
        }
    }
}
