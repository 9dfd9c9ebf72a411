import Foundation

/// What a service-level policy promises, per priority: how soon a person first answers,
/// answers again after the customer writes, and resolves. Each target counts business time
/// (the schedule's hours) or calendar time.
public struct ServiceTargets: Sendable, Equatable {
    public struct Target: Sendable, Equatable {
        public let seconds: Int
        public let businessHours: Bool

        public init(seconds: Int, businessHours: Bool) {
            self.seconds = seconds
            self.businessHours = businessHours
        }
    }

    public var firstResponse: [Priority: Target]
    public var nextResponse: [Priority: Target]
    public var resolution: [Priority: Target]
    /// The share of a target at which the desk warns that it is about to be missed.
    public var warningShare: Double

    public init(firstResponse: [Priority: Target] = [:], nextResponse: [Priority: Target] = [:], resolution: [Priority: Target] = [:],
                warningShare: Double = 0.8) {
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
        self.warningShare = warningShare
    }

    public func target(_ clock: ServiceClock, priority: Priority) -> Target? {
        switch clock {
        case .firstResponse: firstResponse[priority]
        case .nextResponse: nextResponse[priority]
        case .resolution: resolution[priority]
        }
    }
}

public enum ServiceClock: String, Sendable, Codable, CaseIterable {
    case firstResponse = "first_response"
    case nextResponse = "next_response"
    case resolution
}

/// What happened in a conversation, as far as its service levels care.
public enum ServiceFact: Sendable, Equatable {
    case customerMessage(at: Date)
    /// A person's public reply; the bot's, the desk's and private notes are not facts here.
    case personReply(at: Date)
    case botAnswered(at: Date)
    case botHandoff(at: Date)
    case status(ConversationStatus, at: Date)
    case priority(Priority, at: Date)

    public var at: Date {
        switch self {
        case .customerMessage(let at), .personReply(let at), .botAnswered(let at), .botHandoff(let at), .status(_, let at), .priority(_, let at): at
        }
    }
}

/// One clock of the current resolution cycle, as of an instant.
public struct ServiceClockReport: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case running, paused, met, breached
    }

    public let clock: ServiceClock
    public let state: State
    public let target: ServiceTargets.Target
    /// Seconds of the target's own kind (business or calendar) used so far.
    public let used: TimeInterval
    /// When the target is (or was) reached, while the clock runs or once it was missed; nil
    /// while paused with time left, or once met.
    public let due: Date?
    /// When the warning share is (or was) reached, on the same terms.
    public let warningAt: Date?
    /// When this clock started: with the clock, it names one round of it (each next-response
    /// round, each cycle's first response), so an alert is raised once per round.
    public var startedAt: Date? = nil

    /// Target seconds not yet used; negative once breached.
    public var left: TimeInterval { TimeInterval(target.seconds) - used }
}

/// The service-level clocks of one conversation, replayed from its facts — the same facts
/// its timeline records — so every node, the scheduler and the reports agree on them.
///
/// - A cycle starts with a customer's message on a conversation that has none running, and
///   again when a resolved conversation is reopened.
/// - First response runs from the cycle's first message; a bot that answers stops it, and
///   its hand-over starts it afresh. Only a person's public reply fulfils it.
/// - Next response runs from the oldest customer message a person has not yet answered,
///   once the first response is fulfilled; each reply ends one round.
/// - Resolution runs from the cycle's start to resolved.
/// - Every clock pauses while the conversation is pending or snoozed and resumes when it
///   opens again; a change of priority applies the new target to the time already used.
public struct ServiceLevels: Sendable {
    public let targets: ServiceTargets
    public let schedule: BusinessSchedule

    public init(targets: ServiceTargets, schedule: BusinessSchedule) {
        self.targets = targets
        self.schedule = schedule
    }

    public struct Report: Sendable, Equatable {
        public let clocks: [ServiceClockReport]
        /// The next instant after `now` at which a running clock warns or breaches: what the
        /// scheduler indexes, so it never scans conversations that have nothing due.
        public let nextDeadline: Date?

        public func clock(_ kind: ServiceClock) -> ServiceClockReport? { clocks.first { $0.clock == kind } }
    }

    public func report(_ facts: [ServiceFact], priority initial: Priority, now: Date) -> Report {
        var replay = Replay(priority: initial)
        for fact in facts.enumerated().sorted(by: { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }).map(\.element) where fact.at <= now {
            replay.apply(fact)
        }
        var clocks: [ServiceClockReport] = []
        for kind in ServiceClock.allCases {
            guard let timer = replay.timers[kind], let target = targets.target(kind, priority: replay.priority),
                  let report = evaluate(timer, kind: kind, target: target, now: now) else { continue }
            clocks.append(report)
        }
        let upcoming = clocks.filter { $0.state == .running }.flatMap { [$0.warningAt, $0.due] }.compactMap { $0 }.filter { $0 > now }
        return Report(clocks: clocks, nextDeadline: upcoming.min())
    }

    private func evaluate(_ timer: Stopwatch, kind: ServiceClock, target: ServiceTargets.Target, now: Date) -> ServiceClockReport? {
        guard var report = state(timer, kind: kind, target: target, now: now) else { return nil }
        report.startedAt = timer.startedAt
        return report
    }

    private func state(_ timer: Stopwatch, kind: ServiceClock, target: ServiceTargets.Target, now: Date) -> ServiceClockReport? {
        let end = timer.fulfilledAt ?? now
        let used = timer.runs.reduce(0) { $0 + measure(from: $1.start, to: min($1.end ?? end, end), target) }
        let limit = TimeInterval(target.seconds)
        let due = instant(reaching: limit, in: timer, target)
        let warning = instant(reaching: limit * targets.warningShare, in: timer, target)
        if timer.fulfilledAt != nil {
            if used <= limit { return ServiceClockReport(clock: kind, state: .met, target: target, used: used, due: nil, warningAt: nil) }
            return ServiceClockReport(clock: kind, state: .breached, target: target, used: used, due: due, warningAt: warning)
        }
        if timer.stopped {
            // The cycle ended without this clock's answer being needed (a bot resolved it):
            // only a clock already missed is kept, as missed.
            return used > limit ? ServiceClockReport(clock: kind, state: .breached, target: target, used: used, due: due, warningAt: warning) : nil
        }
        if used >= limit { return ServiceClockReport(clock: kind, state: .breached, target: target, used: used, due: due, warningAt: warning) }
        if timer.isRunning { return ServiceClockReport(clock: kind, state: .running, target: target, used: used, due: due, warningAt: warning) }
        return ServiceClockReport(clock: kind, state: .paused, target: target, used: used, due: nil,
                                  warningAt: warning.flatMap { $0 <= now ? $0 : nil })
    }

    private func measure(from start: Date, to end: Date, _ target: ServiceTargets.Target) -> TimeInterval {
        guard end > start else { return 0 }
        return target.businessHours ? schedule.seconds(from: start, to: end) : end.timeIntervalSince(start)
    }

    /// The instant at which `amount` of the clock's time is used up, past or future; nil when
    /// the clock stops short of it (paused, or the schedule never opens again).
    private func instant(reaching amount: TimeInterval, in timer: Stopwatch, _ target: ServiceTargets.Target) -> Date? {
        var used: TimeInterval = 0
        for run in timer.runs {
            let capacity = run.end.map { measure(from: run.start, to: $0, target) } ?? .infinity
            if amount <= used + capacity {
                let rest = amount - used
                return target.businessHours ? schedule.adding(rest, to: run.start) : run.start.addingTimeInterval(rest)
            }
            used += capacity
        }
        return nil
    }

    // MARK: Replay

    struct Stopwatch {
        struct Run { let start: Date; var end: Date? }
        var runs: [Run] = []
        var startedAt: Date?
        var fulfilledAt: Date?
        /// Ended by the end of the cycle, unanswered.
        var stopped = false
        /// Held by the bot: starts at its hand-over.
        var awaitingHandoff = false

        var isRunning: Bool { fulfilledAt == nil && !stopped && runs.last.map { $0.end == nil } == true }
        var isDone: Bool { fulfilledAt != nil || stopped }

        static func started(at instant: Date, paused: Bool) -> Stopwatch {
            var timer = Stopwatch()
            timer.startedAt = instant
            timer.pausedSince = paused ? instant : nil
            if !paused { timer.runs = [Run(start: instant, end: nil)] }
            return timer
        }

        /// Set while the conversation waits on the customer: the clock resumes from here.
        var pausedSince: Date?

        mutating func pause(at instant: Date) {
            guard isRunning else { return }
            runs[runs.count - 1].end = instant
            pausedSince = instant
        }

        mutating func resume(at instant: Date) {
            guard !isDone, !awaitingHandoff, pausedSince != nil else { return }
            runs.append(Run(start: instant, end: nil))
            pausedSince = nil
        }

        mutating func fulfil(at instant: Date) {
            guard !isDone else { return }
            if isRunning { runs[runs.count - 1].end = instant }
            fulfilledAt = instant
        }

        mutating func stop(at instant: Date) {
            guard !isDone else { return }
            if isRunning { runs[runs.count - 1].end = instant }
            stopped = true
        }
    }

    struct Replay {
        var priority: Priority
        var status: ConversationStatus = .open
        var timers: [ServiceClock: Stopwatch] = [:]
        var cycleRunning = false

        init(priority: Priority) { self.priority = priority }

        var waiting: Bool { status == .pending || status == .snoozed }

        mutating func apply(_ fact: ServiceFact) {
            switch fact {
            case .customerMessage(let at):
                if status == .resolved || status == .closed || !cycleRunning { startCycle(at: at) }
                if waiting { setStatus(.open, at: at) }
                if timers[.firstResponse]?.fulfilledAt != nil, timers[.nextResponse].map({ $0.isDone }) ?? true {
                    timers[.nextResponse] = .started(at: at, paused: waiting)
                }
            case .personReply(let at):
                timers[.firstResponse]?.fulfil(at: at)
                if timers[.nextResponse]?.isDone == false { timers[.nextResponse]?.fulfil(at: at) }
            case .botAnswered:
                // Until the bot hands over, no person was asked to answer.
                if var first = timers[.firstResponse], first.fulfilledAt == nil {
                    first = Stopwatch()
                    first.awaitingHandoff = true
                    timers[.firstResponse] = first
                }
            case .botHandoff(let at):
                if timers[.firstResponse]?.awaitingHandoff == true { timers[.firstResponse] = .started(at: at, paused: waiting) }
            case .status(let next, let at):
                setStatus(next, at: at)
            case .priority(let next, _):
                priority = next
            }
        }

        mutating func startCycle(at instant: Date) {
            cycleRunning = true
            timers = [.firstResponse: .started(at: instant, paused: false), .resolution: .started(at: instant, paused: false)]
            status = .open
        }

        mutating func setStatus(_ next: ConversationStatus, at instant: Date) {
            let previous = status
            status = next
            switch next {
            case .pending, .snoozed:
                for kind in Array(timers.keys) { timers[kind]?.pause(at: instant) }
            case .open:
                if previous == .resolved || previous == .closed {
                    // Reopened: a new cycle, started by the message that reopens it.
                    cycleRunning = false
                } else {
                    for kind in Array(timers.keys) { timers[kind]?.resume(at: instant) }
                }
            case .resolved, .closed:
                timers[.resolution]?.fulfil(at: instant)
                for kind in [ServiceClock.firstResponse, .nextResponse] { timers[kind]?.stop(at: instant) }
                cycleRunning = false
            }
        }
    }
}
