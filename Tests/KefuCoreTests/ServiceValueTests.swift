import Foundation
import Testing
import KefuCore

@Suite("Service-level outcomes per round, and the value of service: costs, savings, retention bands, utilisation")
struct ServiceValueTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
    /// Ten minutes to a first answer, twenty to the next, a day to resolve, in calendar time.
    static let levels = ServiceLevels(targets: ServiceTargets(firstResponse: [.normal: .init(seconds: 600, businessHours: false)],
                                                              nextResponse: [.normal: .init(seconds: 1_200, businessHours: false)],
                                                              resolution: [.normal: .init(seconds: 86_400, businessHours: false)]),
                                      schedule: .alwaysOpen)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let facts: [ServiceFact]
        let breaches: [Double]
        /// clock → (met, missed)
        let expected: [ServiceClock: (Int, Int)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "answered in 5 minutes, resolved the same hour: both met",
             facts: [.customerMessage(at: at(0)), .personReply(at: at(5)), .status(.resolved, at: at(50))], breaches: [],
             expected: [.firstResponse: (1, 0), .resolution: (1, 0)]),
        Case(name: "answered after 15 minutes: first response missed, at its target",
             facts: [.customerMessage(at: at(0)), .personReply(at: at(15)), .status(.resolved, at: at(50))], breaches: [10],
             expected: [.firstResponse: (0, 1), .resolution: (1, 0)]),
        Case(name: "three rounds of next response: two met, one missed",
             facts: [.customerMessage(at: at(0)), .personReply(at: at(1)), .customerMessage(at: at(2)), .personReply(at: at(5)),
                     .customerMessage(at: at(10)), .personReply(at: at(40)), .customerMessage(at: at(50)), .personReply(at: at(51))], breaches: [30],
             expected: [.firstResponse: (1, 0), .nextResponse: (2, 1)]),
        Case(name: "pending pauses the clock: 8 minutes before and 4 after a wait is 12 of 10, missed",
             facts: [.customerMessage(at: at(0)), .status(.pending, at: at(8)), .status(.open, at: at(60)), .personReply(at: at(64))], breaches: [],
             expected: [.firstResponse: (0, 1)]),
        Case(name: "still running within its target: no outcome yet",
             facts: [.customerMessage(at: at(0))], breaches: [], expected: [:]),
        Case(name: "reopened: each cycle's rounds count on their own",
             facts: [.customerMessage(at: at(0)), .personReply(at: at(2)), .status(.resolved, at: at(10)),
                     .customerMessage(at: at(2_000)), .personReply(at: at(2_030)), .status(.resolved, at: at(2_040))], breaches: [2_010],
             expected: [.firstResponse: (1, 1), .resolution: (2, 0)]),
    ]

    @Test("each round of each clock settles once, met or missed", arguments: cases)
    func outcomes(_ example: Case) {
        let outcomes = Self.levels.outcomes(example.facts, priority: .normal, breaches: example.breaches.map(Self.at), now: .distantFuture)
        var counted: [ServiceClock: (Int, Int)] = [:]
        for outcome in outcomes {
            let known = counted[outcome.clock] ?? (0, 0)
            counted[outcome.clock] = outcome.met ? (known.0 + 1, known.1) : (known.0, known.1 + 1)
        }
        #expect(counted.count == example.expected.count, "\(outcomes)")
        for (clock, expected) in example.expected {
            #expect(counted[clock]?.0 == expected.0 && counted[clock]?.1 == expected.1, "\(clock): \(String(describing: counted[clock])) in \(outcomes)")
        }
    }

    @Test("a missed round is dated when its target was reached; a met one when it was answered, with the time left")
    func outcomeTimes() throws {
        let outcomes = Self.levels.outcomes([.customerMessage(at: Self.at(0)), .personReply(at: Self.at(15)), .customerMessage(at: Self.at(16)), .personReply(at: Self.at(20))],
                                            priority: .normal, now: .distantFuture)
        let first = try #require(outcomes.first { $0.clock == .firstResponse })
        #expect(!first.met && first.at == Self.at(10))
        let next = try #require(outcomes.first { $0.clock == .nextResponse })
        #expect(next.met && next.at == Self.at(20) && next.secondsLeft.map { abs($0 - 16 * 60) < 0.001 } == true, "\(next)")
    }

    struct ValueCase: Sendable, CustomTestStringConvertible {
        let name: String
        let prices: ServicePrices
        let hours: Double
        let resolved: Int64
        let deflected: Int64
        let botAnswers: Int64
        let costPerResolution: Double?
        let botSavings: Double?
        let hoursSaved: Double?
        var testDescription: String { name }
    }

    static let values: [ValueCase] = [
        ValueCase(name: "40 agent hours at 50 for 100 resolutions, 20 of them deflected by 60 bot answers at 0.1",
                  prices: ServicePrices(currency: "USD", agentHourCost: 50, botAnswerCost: 0.1), hours: 40, resolved: 100, deflected: 20, botAnswers: 60,
                  costPerResolution: 25, botSavings: 20 * 25 - 6, hoursSaved: 10),
        ValueCase(name: "no resolution by people: no cost per resolution, no savings to claim",
                  prices: ServicePrices(currency: "CNY", agentHourCost: 80, botAnswerCost: 1), hours: 8, resolved: 3, deflected: 3, botAnswers: 5,
                  costPerResolution: nil, botSavings: nil, hoursSaved: nil),
        ValueCase(name: "a bot that costs more than it saves shows a loss",
                  prices: ServicePrices(currency: "USD", agentHourCost: 10, botAnswerCost: 2), hours: 10, resolved: 11, deflected: 1, botAnswers: 40,
                  costPerResolution: 10, botSavings: 10 - 80, hoursSaved: 1),
    ]

    @Test("cost per resolution, bot savings and hours saved", arguments: values)
    func value(_ example: ValueCase) {
        let value = ServiceValue(prices: example.prices, agentSeconds: example.hours * 3_600, resolved: example.resolved, deflected: example.deflected, botAnswers: example.botAnswers)
        func same(_ a: Double?, _ b: Double?) -> Bool { a == nil && b == nil || (a != nil && b != nil && abs(a! - b!) < 1e-9) }
        #expect(same(value.costPerResolution, example.costPerResolution), "\(value)")
        #expect(same(value.botSavings, example.botSavings), "\(value)")
        #expect(same(value.hoursSaved, example.hoursSaved), "\(value)")
        #expect(value.humanResolutions == example.resolved - example.deflected)
    }

    @Test("value kept, and what good service keeps beyond poor service")
    func valueKept() {
        let prices = ServicePrices(currency: "USD", agentHourCost: 1, botAnswerCost: 0, retainedCustomerValue: 200)
        #expect(ServiceValue.valueKept(returned: 7, prices: prices) == 1_400)
        #expect(ServiceValue.valueKept(returned: 7, prices: .defaults) == nil, "no price, no estimate")
        let good = RetentionShare(resolved: 100, returned: 80), bad = RetentionShare(resolved: 20, returned: 10)
        #expect(ServiceValue.valueOfGoodService(good: good, bad: bad, prices: prices).map { abs($0 - 0.3 * 100 * 200) < 1e-9 } == true)
        #expect(ServiceValue.valueOfGoodService(good: good, bad: RetentionShare(resolved: 0, returned: 0), prices: prices) == nil)
    }

    @Test("bands: ratings 4–5 good, 1–3 bad; first response under 5 minutes, an hour, 8 hours, longer, none", arguments: [
        (nil, 299.0, "unrated", "under_5m"), (5, 300, "good", "under_1h"), (4, 3_599, "good", "under_1h"), (3, 3_600, "bad", "under_8h"),
        (1, 28_800, "bad", "over_8h"), (2, nil, "bad", "none"),
    ] as [(Int?, Double?, String, String)])
    func bands(rating: Int?, seconds: Double?, ratingBand: String, responseBand: String) {
        #expect(RatingBand(rating: rating).rawValue == ratingBand)
        #expect(FirstResponseBand(seconds: seconds).rawValue == responseBand)
    }

    @Test("prices: a three-letter currency and amounts from 0 to a billion")
    func prices() {
        #expect(ServicePrices(currency: "CNY", agentHourCost: 60, botAnswerCost: 0.02, retainedCustomerValue: 500).problems.isEmpty)
        #expect(ServicePrices(currency: "yuan").problems.map(\.field) == ["currency"])
        #expect(ServicePrices(currency: "USD", agentHourCost: -1, botAnswerCost: .nan).problems.map(\.field) == ["agentHourCost", "botAnswerCost"])
        #expect(ServicePrices(currency: "USD", retainedCustomerValue: 2e9).problems.map(\.field) == ["retainedCustomerValue"])
    }

    @Test("utilisation: assigned over capacity across samples; none without capacity")
    func utilisation() {
        #expect(Utilisation.share([(2, 5), (5, 5), (0, 5)]) == 7.0 / 15)
        #expect(Utilisation.share([]) == nil)
        #expect(Utilisation.share([(3, 0)]) == nil)
    }
}
