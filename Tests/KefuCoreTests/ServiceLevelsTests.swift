import Foundation
import Testing
@testable import KefuCore

/// Monday 2027-02-01, 10:00 in Beijing, and minutes after it.
private let start = Date(timeIntervalSince1970: 1_801_447_200)
private func minute(_ n: Double) -> Date { start.addingTimeInterval(n * 60) }

private let calendarTargets = ServiceTargets(
    firstResponse: [.normal: .init(seconds: 3_600, businessHours: false), .urgent: .init(seconds: 600, businessHours: false)],
    nextResponse: [.normal: .init(seconds: 1_800, businessHours: false)],
    resolution: [.normal: .init(seconds: 86_400, businessHours: false), .urgent: .init(seconds: 14_400, businessHours: false)])

private let levels = ServiceLevels(targets: calendarTargets, schedule: .alwaysOpen)

@Suite("Service-level clocks, replayed from a conversation's facts")
struct ServiceLevelsTests {
    struct Expected: Sendable, Equatable, CustomStringConvertible {
        let state: ServiceClockReport.State
        let usedMinutes: Double
        let dueMinute: Double?
        var description: String { "\(state) used \(usedMinutes) min due \(dueMinute.map { "\($0)" } ?? "-")" }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let facts: [ServiceFact]
        var priority: Priority = .normal
        let now: Double
        let expected: [ServiceClock: Expected]
        var testDescription: String { name }
    }

    static func running(_ used: Double, due: Double) -> Expected { Expected(state: .running, usedMinutes: used, dueMinute: due) }
    static func paused(_ used: Double) -> Expected { Expected(state: .paused, usedMinutes: used, dueMinute: nil) }
    static func met(_ used: Double) -> Expected { Expected(state: .met, usedMinutes: used, dueMinute: nil) }
    static func breached(_ used: Double, due: Double) -> Expected { Expected(state: .breached, usedMinutes: used, dueMinute: due) }

    static let cases: [Case] = [
        Case(name: "a customer's first message starts first response and resolution", facts: [.customerMessage(at: minute(0))], now: 10,
             expected: [.firstResponse: running(10, due: 60), .resolution: running(10, due: 1_440)]),
        Case(name: "a person's reply within the target meets first response; no next response until the customer writes again",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(30))], now: 40,
             expected: [.firstResponse: met(30), .resolution: running(40, due: 1_440)]),
        Case(name: "a reply after the target is a breach", facts: [.customerMessage(at: minute(0)), .personReply(at: minute(90))], now: 100,
             expected: [.firstResponse: breached(90, due: 60), .resolution: running(100, due: 1_440)]),
        Case(name: "no reply by the target is a breach already", facts: [.customerMessage(at: minute(0))], now: 61,
             expected: [.firstResponse: breached(61, due: 60), .resolution: running(61, due: 1_440)]),
        Case(name: "pending pauses every clock; the customer's next message resumes them",
             facts: [.customerMessage(at: minute(0)), .status(.pending, at: minute(20)), .customerMessage(at: minute(50))], now: 70,
             expected: [.firstResponse: running(40, due: 90), .resolution: running(40, due: 1_470)]),
        Case(name: "while pending a clock is paused, with no due time",
             facts: [.customerMessage(at: minute(0)), .status(.pending, at: minute(20))], now: 70,
             expected: [.firstResponse: paused(20), .resolution: paused(20)]),
        Case(name: "snoozed pauses too, and the snooze's end resumes",
             facts: [.customerMessage(at: minute(0)), .status(.snoozed, at: minute(10)), .status(.open, at: minute(40))], now: 50,
             expected: [.firstResponse: running(20, due: 90), .resolution: running(20, due: 1_470)]),
        Case(name: "the bot's answer stops first response and its hand-over starts it afresh",
             facts: [.customerMessage(at: minute(0)), .botAnswered(at: minute(0)), .status(.pending, at: minute(0)),
                     .customerMessage(at: minute(30)), .botHandoff(at: minute(30)), .status(.open, at: minute(30))], now: 40,
             expected: [.firstResponse: running(10, due: 90), .resolution: running(10, due: 1_470)]),
        Case(name: "a conversation the bot resolves shows no first-response clock; resolution is met",
             facts: [.customerMessage(at: minute(0)), .botAnswered(at: minute(0)), .status(.pending, at: minute(0)),
                     .customerMessage(at: minute(5)), .status(.resolved, at: minute(5))], now: 10,
             expected: [.resolution: met(0)]),
        Case(name: "next response runs from the oldest message a person has not answered",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(10)), .customerMessage(at: minute(20)), .customerMessage(at: minute(25))],
             now: 40, expected: [.firstResponse: met(10), .nextResponse: running(20, due: 50), .resolution: running(40, due: 1_440)]),
        Case(name: "the next reply meets it",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(10)), .customerMessage(at: minute(20)), .personReply(at: minute(45))],
             now: 50, expected: [.firstResponse: met(10), .nextResponse: met(25), .resolution: running(50, due: 1_440)]),
        Case(name: "a late next reply is a breach, and the following message starts a new round",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(10)), .customerMessage(at: minute(20)), .personReply(at: minute(60)),
                     .customerMessage(at: minute(70))],
             now: 75, expected: [.firstResponse: met(10), .nextResponse: running(5, due: 100), .resolution: running(75, due: 1_440)]),
        Case(name: "raising the priority applies the urgent target to the time already used",
             facts: [.customerMessage(at: minute(0)), .priority(.urgent, at: minute(5))], now: 8,
             expected: [.firstResponse: running(8, due: 10), .resolution: running(8, due: 240)]),
        Case(name: "and past it, the clock is breached at once",
             facts: [.customerMessage(at: minute(0)), .priority(.urgent, at: minute(15))], now: 16,
             expected: [.firstResponse: breached(16, due: 10), .resolution: running(16, due: 240)]),
        Case(name: "an urgent conversation from the start", facts: [.customerMessage(at: minute(0))], priority: .urgent, now: 1,
             expected: [.firstResponse: running(1, due: 10), .resolution: running(1, due: 240)]),
        Case(name: "a priority with no target has no clock", facts: [.customerMessage(at: minute(0))], priority: .low, now: 1, expected: [:]),
        Case(name: "resolving meets resolution; the customer reopening starts a new cycle with its own clocks",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(10)), .status(.resolved, at: minute(30)),
                     .customerMessage(at: minute(100)), .status(.open, at: minute(100))], now: 110,
             expected: [.firstResponse: running(10, due: 160), .resolution: running(10, due: 1_540)]),
        Case(name: "facts after now are not yet facts", facts: [.customerMessage(at: minute(0)), .personReply(at: minute(30))], now: 20,
             expected: [.firstResponse: running(20, due: 60), .resolution: running(20, due: 1_440)]),
    ]

    @Test("each clock's state, the time used and when it is due", arguments: cases)
    func clocks(_ example: Case) {
        let report = levels.report(example.facts, priority: example.priority, now: minute(example.now))
        var seen: [ServiceClock: Expected] = [:]
        for clock in report.clocks {
            seen[clock.clock] = Expected(state: clock.state, usedMinutes: clock.used / 60,
                                         dueMinute: clock.due.map { $0.timeIntervalSince(start) / 60 })
        }
        #expect(seen == example.expected)
    }

    @Test("the next deadline is the nearest warning or due time of a running clock, for the scheduler's index")
    func nextDeadline() {
        let fresh = levels.report([.customerMessage(at: minute(0))], priority: .normal, now: minute(10))
        #expect(fresh.clock(.firstResponse)?.warningAt == minute(48))
        #expect(fresh.nextDeadline == minute(48))
        let warned = levels.report([.customerMessage(at: minute(0))], priority: .normal, now: minute(50))
        #expect(warned.nextDeadline == minute(60))
        let answered = levels.report([.customerMessage(at: minute(0)), .personReply(at: minute(5))], priority: .normal, now: minute(10))
        #expect(answered.nextDeadline == minute(1_152))
        let paused = levels.report([.customerMessage(at: minute(0)), .status(.pending, at: minute(5))], priority: .normal, now: minute(10))
        #expect(paused.nextDeadline == nil)
        #expect(paused.clock(.firstResponse)?.left == 3_300)
    }

    @Test("business-hours targets count only the team's hours: a message late on Friday is due on Monday")
    func businessHours() throws {
        let weekday = [["09:00", "18:00"]]
        let schedule = try ScheduleDocument(timeZone: "Asia/Shanghai", weekly: ["mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday])
            .schedule()
        let business = ServiceLevels(targets: ServiceTargets(firstResponse: [.normal: .init(seconds: 3_600, businessHours: true)]), schedule: schedule)
        let friday = try Date("2027-02-05T17:30:00+08:00", strategy: .iso8601)
        let report = business.report([.customerMessage(at: friday)], priority: .normal, now: friday.addingTimeInterval(600))
        let clock = try #require(report.clock(.firstResponse))
        #expect(clock.state == .running)
        #expect(clock.used == 600)
        #expect(clock.due == (try Date("2027-02-08T09:30:00+08:00", strategy: .iso8601)))
        #expect(clock.warningAt == (try Date("2027-02-08T09:18:00+08:00", strategy: .iso8601)))
        // Over the weekend nothing is used.
        let monday = business.report([.customerMessage(at: friday)], priority: .normal, now: try Date("2027-02-08T08:00:00+08:00", strategy: .iso8601))
        #expect(monday.clock(.firstResponse)?.used == 1_800)
        #expect(monday.clock(.firstResponse)?.state == .running)
    }
}
