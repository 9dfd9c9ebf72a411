import Foundation
import Testing
import KefuCore

@Suite("Complaint rules: the promise, the check-back, the reopen window and the customer's milestones")
struct ComplaintPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ minutes: Double) -> Date { now.addingTimeInterval(minutes * 60) }

    @Test("the reply promise comes from the covering policy's next or first response target, else the standard hours")
    func replyDue() throws {
        let policy = ComplaintPolicy.standard
        let always = BusinessSchedule.alwaysOpen
        #expect(policy.replyDue(targets: nil, priority: .high, schedule: always, now: Self.now) == Self.now.addingTimeInterval(24 * 3600))
        let next = ServiceTargets(firstResponse: [.high: .init(seconds: 7200, businessHours: false)], nextResponse: [.high: .init(seconds: 1800, businessHours: false)])
        #expect(policy.replyDue(targets: next, priority: .high, schedule: always, now: Self.now) == Self.now.addingTimeInterval(1800))
        let first = ServiceTargets(firstResponse: [.normal: .init(seconds: 7200, businessHours: false)])
        #expect(policy.replyDue(targets: first, priority: .normal, schedule: always, now: Self.now) == Self.now.addingTimeInterval(7200))
        #expect(policy.replyDue(targets: first, priority: .urgent, schedule: always, now: Self.now) == Self.now.addingTimeInterval(24 * 3600),
                "no target for the priority: the standard promise")
        // In business hours: a Friday-evening complaint is answered on Monday morning.
        let utc = TimeZone(identifier: "UTC")!
        var weekly: [BusinessSchedule.Weekday: [BusinessSchedule.Interval]] = [:]
        for day in [BusinessSchedule.Weekday.mon, .tue, .wed, .thu, .fri] { weekly[day] = [try BusinessSchedule.Interval(start: 9 * 3600, end: 17 * 3600)] }
        let nineToFive = try BusinessSchedule(timeZone: utc, weekly: weekly)
        let friday = ISO8601DateFormatter().date(from: "2026-12-04T18:00:00Z")!
        let business = ServiceTargets(nextResponse: [.normal: .init(seconds: 3600, businessHours: true)])
        #expect(policy.replyDue(targets: business, priority: .normal, schedule: nineToFive, now: friday) == ISO8601DateFormatter().date(from: "2026-12-07T10:00:00Z"))
    }

    @Test("check-back and reopen window", arguments: [(0, nil as Double?), (3, 3.0), (14, 14.0)])
    func followUp(_ days: Int, expected: Double?) {
        let policy = ComplaintPolicy(followUpDays: days, reopenDays: 7, replyHours: 24, detect: true)
        #expect(policy.followUpAt(resolvedAt: Self.now) == expected.map { Self.now.addingTimeInterval($0 * 86_400) })
        #expect(policy.mayReopen(resolvedAt: Self.now, now: Self.now.addingTimeInterval(7 * 86_400)))
        #expect(!policy.mayReopen(resolvedAt: Self.now, now: Self.now.addingTimeInterval(7 * 86_400 + 1)))
    }

    @Test("milestones as the customer sees them", arguments: [
        ([ComplaintFact.opened(at: at(0))], [ComplaintMilestone.received], ComplaintMilestone.received),
        ([.opened(at: at(0)), .reviewed(at: at(5))], [.received, .inReview], .inReview),
        ([.opened(at: at(0)), .reviewed(at: at(5)), .askedCustomer(at: at(6))], [.received, .inReview, .waitingForCustomer], .waitingForCustomer),
        ([.opened(at: at(0)), .reviewed(at: at(5)), .askedCustomer(at: at(6)), .customerAnswered(at: at(9))], [.received, .inReview, .waitingForCustomer], .inReview),
        ([.opened(at: at(0)), .escalated(at: at(3))], [.received, .inReview, .escalated], .escalated),
        ([.opened(at: at(0)), .escalated(at: at(3)), .reviewed(at: at(4))], [.received, .inReview, .escalated], .escalated),
        ([.opened(at: at(0)), .reviewed(at: at(1)), .resolved(at: at(9))], [.received, .inReview, .resolved], .resolved),
        ([.opened(at: at(0)), .reviewed(at: at(1)), .resolved(at: at(9)), .reopened(at: at(20))], [.received, .inReview], .inReview),
        ([.opened(at: at(0)), .escalated(at: at(1)), .resolved(at: at(9)), .reopened(at: at(20)), .resolved(at: at(30))],
         [.received, .inReview, .escalated, .resolved], .resolved),
    ])
    func progress(_ facts: [ComplaintFact], reached: [ComplaintMilestone], current: ComplaintMilestone) {
        let result = ComplaintPolicy.progress(facts.reversed())
        #expect(result.reached.map(\.milestone) == reached)
        #expect(result.current == current)
    }

    @Test("a reopened complaint shows its second resolution's time")
    func resolvedAgain() {
        let result = ComplaintPolicy.progress([.opened(at: Self.at(0)), .resolved(at: Self.at(9)), .reopened(at: Self.at(20)), .resolved(at: Self.at(30))])
        #expect(result.reached.last?.milestone == .resolved && result.reached.last?.at == Self.at(30))
    }
}
