import Foundation

/// How one round of a service-level clock ended: met (answered within its target) or missed.
public struct ServiceOutcome: Sendable, Equatable {
    public let clock: ServiceClock
    /// When the round began: with the clock, it names the round.
    public let startedAt: Date
    public let met: Bool
    /// Met: when it was fulfilled. Missed: when the target was reached.
    public let at: Date
    /// Met: the target's time still left when it was fulfilled (seconds of the target's own kind).
    public let secondsLeft: TimeInterval?
}

extension ServiceLevels {
    /// Every round of every clock that has settled by `now`, over all of a conversation's
    /// cycles — the replay read at each instant something could settle one (a reply, a
    /// status change, a breach the scheduler raised), each round counted once, by the first
    /// state it settled in. A round still running with time left has no outcome yet; one
    /// the cycle ended without needing (a bot resolved it) has none either.
    public func outcomes(_ facts: [ServiceFact], priority: Priority, breaches: [Date] = [], now: Date) -> [ServiceOutcome] {
        let instants = Set(facts.map(\.at) + breaches).filter { $0 <= now }.sorted()
        var settled: [String: ServiceOutcome] = [:]
        var order: [String] = []
        for instant in instants {
            for clock in report(facts, priority: priority, now: instant).clocks {
                guard let started = clock.startedAt, clock.state == .met || clock.state == .breached else { continue }
                let key = "\(clock.clock.rawValue)@\(started.timeIntervalSince1970)"
                guard settled[key] == nil else { continue }
                let met = clock.state == .met
                settled[key] = ServiceOutcome(clock: clock.clock, startedAt: started, met: met, at: met ? instant : (clock.due ?? instant),
                                              secondsLeft: met ? max(0, clock.left) : nil)
                order.append(key)
            }
        }
        return order.compactMap { settled[$0] }
    }
}
