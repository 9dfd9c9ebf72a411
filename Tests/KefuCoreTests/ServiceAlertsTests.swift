import Foundation
import Testing
@testable import KefuCore

/// Monday 2027-02-01, 10:00 in Beijing, and minutes after it.
private let start = Date(timeIntervalSince1970: 1_801_447_200)
private func minute(_ n: Double) -> Date { start.addingTimeInterval(n * 60) }

/// First response 60 min (warned at 48), next response 30 min (warned at 24), resolution a day.
private let levels = ServiceLevels(targets: ServiceTargets(
    firstResponse: [.normal: .init(seconds: 3_600, businessHours: false)],
    nextResponse: [.normal: .init(seconds: 1_800, businessHours: false)],
    resolution: [.normal: .init(seconds: 86_400, businessHours: false)]), schedule: .alwaysOpen)

@Suite("Service-level alerts: what warns, what breaches, and each only once per round")
struct ServiceAlertsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let facts: [ServiceFact]
        let now: Double
        var raised: [String] = []
        /// Clock, kind and the minute it happened at.
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing is raised before a clock reaches its warning share",
             facts: [.customerMessage(at: minute(0))], now: 47, expected: []),
        Case(name: "first response warns at 80% of its target",
             facts: [.customerMessage(at: minute(0))], now: 48, expected: ["first_response warning 48"]),
        Case(name: "a warning already raised is not raised again",
             facts: [.customerMessage(at: minute(0))], now: 50,
             raised: ["first_response@\(Int64(start.timeIntervalSince1970 * 1000)):warning"], expected: []),
        Case(name: "a clock found past its target raises the breach alone, not a late warning too",
             facts: [.customerMessage(at: minute(0))], now: 61, expected: ["first_response breached 60"]),
        Case(name: "after the warning, the breach follows at the target",
             facts: [.customerMessage(at: minute(0))], now: 61,
             raised: ["first_response@\(Int64(start.timeIntervalSince1970 * 1000)):warning"], expected: ["first_response breached 60"]),
        Case(name: "a reply within the target raises nothing",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(30))], now: 200, expected: []),
        Case(name: "a reply after the target still counts as a breach not yet raised",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(70))], now: 71, expected: ["first_response breached 60"]),
        Case(name: "each round of next response warns on its own",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(5)), .customerMessage(at: minute(10)),
                     .personReply(at: minute(20)), .customerMessage(at: minute(100))], now: 124,
             raised: ["next_response@\(Int64(minute(10).timeIntervalSince1970 * 1000)):warning"],
             expected: ["next_response warning 124"]),
        Case(name: "a paused clock past its warning share has warned, and raises nothing more while paused",
             facts: [.customerMessage(at: minute(0)), .status(.pending, at: minute(50))], now: 500, expected: ["first_response warning 48"]),
        Case(name: "a resolved conversation raises nothing for clocks it no longer needs",
             facts: [.customerMessage(at: minute(0)), .personReply(at: minute(5)), .status(.resolved, at: minute(10))], now: 2_000, expected: []),
    ]

    @Test(arguments: cases)
    func alerts(_ c: Case) {
        let report = levels.report(c.facts, priority: .normal, now: minute(c.now))
        let alerts = report.alerts(now: minute(c.now), raised: Set(c.raised))
        let described = alerts.map { "\($0.clock.rawValue) \($0.kind.rawValue) \(Int($0.at.timeIntervalSince(start) / 60))" }
        #expect(described == c.expected)
    }

    @Test("a conversation's standing: breached over at risk over running")
    func standing() {
        let cases: [([ServiceFact], Double, ServiceStanding)] = [
            ([.customerMessage(at: minute(0))], 10, .running),
            ([.customerMessage(at: minute(0))], 50, .atRisk),
            ([.customerMessage(at: minute(0))], 61, .breached),
            ([.customerMessage(at: minute(0)), .status(.pending, at: minute(5))], 61, .paused),
            ([.customerMessage(at: minute(0)), .personReply(at: minute(5)), .status(.resolved, at: minute(6))], 61, .met),
            ([], 61, .none),
        ]
        for (facts, now, expected) in cases {
            #expect(levels.report(facts, priority: .normal, now: minute(now)).standing(now: minute(now)) == expected)
        }
    }

    @Test("the soonest target ahead is what a countdown shows")
    func soonest() throws {
        let report = levels.report([.customerMessage(at: minute(0))], priority: .normal, now: minute(10))
        let soonest = try #require(report.soonestDue(after: minute(10)))
        #expect(soonest.clock == .firstResponse)
        #expect(soonest.due == minute(60))
    }
}

@Suite("Escalation: the steps a warning or a breach takes")
struct EscalationTests {
    let agent = UUID()
    let team = UUID()
    let escalationTeam = UUID()

    func alert(_ kind: ServiceAlert.Kind) -> ServiceAlert {
        ServiceAlert(clock: .firstResponse, kind: kind, at: start, roundStartedAt: start)
    }

    @Test("by default a warning tells the assignee, a breach the assignee and the team")
    func standard() {
        let escalation = ServiceEscalation.standard
        #expect(escalation.actions(for: alert(.warning), assignee: agent, team: team, priority: .normal) == [.notifyAssignee(agent)])
        #expect(escalation.actions(for: alert(.breached), assignee: agent, team: team, priority: .normal)
            == [.notifyAssignee(agent), .notifyTeam(team)])
    }

    @Test("a breach can raise the priority one step and hand the conversation to an escalation team")
    func raiseAndHand() {
        let escalation = ServiceEscalation(onWarning: EscalationSteps(),
                                           onBreach: EscalationSteps(raisePriority: true, handToTeam: escalationTeam))
        #expect(escalation.actions(for: alert(.warning), assignee: agent, team: team, priority: .normal) == [])
        #expect(escalation.actions(for: alert(.breached), assignee: agent, team: team, priority: .normal)
            == [.raisePriority(from: .normal, to: .high), .handTo(team: escalationTeam)])
    }

    @Test("steps with nothing to act on are left out: no assignee, already urgent, already the team's")
    func nothingToActOn() {
        let escalation = ServiceEscalation(onWarning: EscalationSteps(),
                                           onBreach: EscalationSteps(notifyAssignee: true, notifyTeam: true, raisePriority: true,
                                                                     handToTeam: escalationTeam))
        #expect(escalation.actions(for: alert(.breached), assignee: nil, team: escalationTeam, priority: .urgent) == [.notifyTeam(escalationTeam)])
    }

    @Test("priorities rise one step at a time and stop at urgent")
    func raised() {
        #expect(Priority.low.raised == .normal)
        #expect(Priority.normal.raised == .high)
        #expect(Priority.high.raised == .urgent)
        #expect(Priority.urgent.raised == nil)
    }
}
