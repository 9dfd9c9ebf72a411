import Foundation
import Testing
import KefuCore

@Suite("Report metrics: cycles, first and next response, resolution, first-contact resolution, deflection")
struct ServiceCyclesTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let li = UUID(uuidString: "00000000-0000-0000-0000-00000000001a")!
    static let wang = UUID(uuidString: "00000000-0000-0000-0000-00000000002b")!
    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }
    /// Equal to the millisecond: times are stored and compared as dates, not as exact sums.
    static func about(_ value: Double?, _ expected: Double) -> Bool { value.map { abs($0 - expected) < 0.001 } ?? false }

    @Test("first response is measured from the bot's handoff, not from when the bot answered")
    func botFirst() throws {
        let cycles = ServiceCycles.read([
            .opened(Self.at(0)), .customerWrote(Self.at(0)), .botAnswered(Self.at(0.1)), .customerWrote(Self.at(3)),
            .handedOver(Self.at(3), reason: "asked_for_human"), .personReplied(Self.at(8), agent: Self.li), .resolved(Self.at(20), byBot: false),
        ])
        let cycle = try #require(cycles.first)
        #expect(cycles.count == 1)
        #expect(Self.about(cycle.firstResponseSeconds, 5 * 60), "8 − 3 minutes, not 8 − 0")
        #expect(cycle.firstResponder == Self.li)
        #expect(Self.about(cycle.resolutionSeconds, 20 * 60))
        #expect(cycle.handoffReason == "asked_for_human")
        #expect(cycle.firstContactResolution)
        #expect(!cycle.deflected)
    }

    @Test("a reopened conversation is a new cycle with its own clocks; the first is no longer a first-contact resolution")
    func reopened() throws {
        let cycles = ServiceCycles.read([
            .opened(Self.at(0)), .customerWrote(Self.at(0)), .personReplied(Self.at(2), agent: Self.li), .resolved(Self.at(10), byBot: false),
            .reopened(Self.at(1_440)), .customerWrote(Self.at(1_440)), .personReplied(Self.at(1_441), agent: Self.wang),
            .customerWrote(Self.at(1_450)), .personReplied(Self.at(1_470), agent: Self.wang), .resolved(Self.at(1_500), byBot: false),
        ])
        #expect(cycles.count == 2)
        #expect(cycles[0].reopened == Self.at(1_440))
        #expect(!cycles[0].firstContactResolution)
        #expect(cycles[1].index == 1)
        #expect(Self.about(cycles[1].firstResponseSeconds, 60), "from the reopening, not from the conversation's start")
        #expect(cycles[1].firstResponder == Self.wang)
        #expect(cycles[1].nextResponses.count == 1 && Self.about(cycles[1].nextResponses.first?.seconds, 20 * 60))
        #expect(Self.about(cycles[1].resolutionSeconds, 60 * 60))
        #expect(!cycles[1].firstContactResolution, "two replies")
    }

    @Test("next response: each wait that follows a person's reply, ended by the next one; a second message does not restart it")
    func nextResponses() {
        let cycle = ServiceCycles.read([
            .opened(Self.at(0)), .customerWrote(Self.at(0)), .personReplied(Self.at(1), agent: Self.li),
            .customerWrote(Self.at(5)), .customerWrote(Self.at(6)), .personReplied(Self.at(15), agent: Self.wang),
            .personReplied(Self.at(16), agent: Self.wang), .customerWrote(Self.at(30)),
        ])[0]
        #expect(cycle.nextResponses.count == 1 && Self.about(cycle.nextResponses.first?.seconds, 10 * 60))
        #expect(cycle.nextResponses.map(\.agent) == [Self.wang])
        #expect(cycle.resolved == nil && cycle.resolutionSeconds == nil)
    }

    @Test("deflection", arguments: [
        (nil as Double?, true),
        (60.0 * 24, false),
        (60.0 * 72, true),
    ])
    func deflection(reopenAfterMinutes: Double?, deflected: Bool) {
        var moments: [ConversationMoment] = [.opened(Self.at(0)), .customerWrote(Self.at(0)), .botAnswered(Self.at(0.1)), .resolved(Self.at(2), byBot: true)]
        if let minutes = reopenAfterMinutes { moments += [.reopened(Self.at(2 + minutes)), .customerWrote(Self.at(2 + minutes))] }
        #expect(ServiceCycles.read(moments)[0].deflected == deflected)
    }

    @Test("a person's reply before the bot's resolution makes it a person's resolution")
    func notDeflectedWhenAPersonSpoke() {
        let cycle = ServiceCycles.read([.opened(Self.at(0)), .personReplied(Self.at(1), agent: Self.li), .resolved(Self.at(2), byBot: true)])[0]
        #expect(!cycle.resolvedByBot && !cycle.deflected && cycle.firstContactResolution)
    }

    @Test("moments given out of order are read in time order")
    func order() {
        let cycles = ServiceCycles.read([.resolved(Self.at(10), byBot: false), .personReplied(Self.at(4), agent: Self.li), .opened(Self.at(0))])
        #expect(cycles.count == 1 && Self.about(cycles[0].firstResponseSeconds, 240) && Self.about(cycles[0].resolutionSeconds, 600))
    }

    @Test("histogram buckets", arguments: [(0.5, 0), (1.0, 1), (1.9, 4), (2.0, 5), (60.0, 24), (3_600.0, 48)])
    func bins(_ seconds: Double, bin: Int) {
        #expect(DurationHistogram.bin(seconds) == bin)
        let (lower, upper) = DurationHistogram.bounds(bin)
        #expect(lower <= seconds && seconds < upper)
    }

    @Test("a percentile read from buckets is within a bucket's width of the exact one")
    func quantiles() throws {
        // 1…1000 seconds: exact median 500, p90 900.
        var counts: [Int: Int] = [:]
        for second in 1...1_000 { counts[DurationHistogram.bin(Double(second)), default: 0] += 1 }
        let median = try #require(DurationHistogram.quantile(0.5, counts: counts))
        let p90 = try #require(DurationHistogram.quantile(0.9, counts: counts))
        #expect(abs(median - 500) / 500 < 0.19, "\(median)")
        #expect(abs(p90 - 900) / 900 < 0.19, "\(p90)")
        #expect(DurationHistogram.quantile(0.5, counts: [:]) == nil)
    }
}

@Suite("Time online: availability intervals clipped to the range")
struct PresenceTimeTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3_600) }

    @Test("clipped", arguments: [
        ([(0.0, 2.0 as Double?)], 1.0, 3.0, 1.0),
        ([(0.0, 2.0), (5.0, 6.0)], 0.0, 10.0, 3.0),
        ([(4.0, nil)], 0.0, 10.0, 2.0),
        ([(7.0, 8.0)], 0.0, 5.0, 0.0),
    ] as [([(Double, Double?)], Double, Double, Double)])
    func online(_ intervals: [(Double, Double?)], from: Double, to: Double, hours: Double) {
        let spans = intervals.map { (start: Self.at($0.0), end: $0.1.map(Self.at)) }
        // "Now" is 6 hours in: an interval still open ends there.
        #expect(abs(PresenceTime.seconds(spans, from: Self.at(from), to: Self.at(to), now: Self.at(6)) - hours * 3_600) < 0.001)
    }
}
