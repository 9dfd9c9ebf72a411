import Foundation

/// What happened in a conversation, as reports read it: the moments that open, answer and
/// end its cycles. Built from its events and messages; nothing else decides a metric.
public enum ConversationMoment: Sendable, Equatable {
    case opened(Date)
    case customerWrote(Date)
    /// A public reply by a person (notes do not count).
    case personReplied(Date, agent: UUID)
    /// The answer bot answered from the help center (its handoff notices do not count).
    case botAnswered(Date)
    case handedOver(Date, reason: String)
    case resolved(Date, byBot: Bool)
    case reopened(Date)

    public var at: Date {
        switch self {
        case .opened(let at), .customerWrote(let at), .personReplied(let at, _), .botAnswered(let at), .handedOver(let at, _),
             .resolved(let at, _), .reopened(let at):
            at
        }
    }
}

/// One cycle of a conversation: from its opening (or a reopening) to its resolution. Every
/// time metric is measured within a cycle, so a conversation reopened a month later does
/// not report a month-long first response.
public struct ServiceCycle: Sendable, Equatable {
    /// The cycle's first, second, … : 0 opened the conversation, later ones reopened it.
    public var index: Int
    public var start: Date
    /// When the answer bot handed the customer to a person, and why.
    public var handoff: Date?
    public var handoffReason: String?
    public var firstPersonReply: Date?
    public var firstResponder: UUID?
    public var personReplies = 0
    public var botAnswers = 0
    /// Each wait of a customer who wrote after a person's reply, until the next one, and who answered.
    public var nextResponses: [(seconds: TimeInterval, start: Date, end: Date, agent: UUID)] = []
    public var resolved: Date?
    public var resolvedByBot = false
    /// When the next cycle began, if the conversation was reopened.
    public var reopened: Date?

    public init(index: Int, start: Date) { self.index = index; self.start = start }

    /// Deflection holds when no reopen comes within this long of a bot's resolution.
    public static let deflectionWindow: TimeInterval = 72 * 3_600

    /// First public reply by a person − max(cycle start, the bot's handoff). A bot answering
    /// first does not start the clock for people, and does not stop it either.
    public var firstResponseStart: Date { max(start, handoff ?? start) }
    public var firstResponseSeconds: TimeInterval? { firstPersonReply.map { $0.timeIntervalSince(firstResponseStart) } }
    public var resolutionSeconds: TimeInterval? { resolved.map { $0.timeIntervalSince(start) } }

    /// Resolved with one reply by a person and never reopened.
    public var firstContactResolution: Bool { resolved != nil && !resolvedByBot && personReplies == 1 && reopened == nil }

    /// Resolved by the bot with no person's message and no reopen within 72 hours. Until the
    /// 72 hours pass a bot resolution counts as deflected; a reopen in time takes it back.
    public var deflected: Bool {
        guard let resolved, resolvedByBot, personReplies == 0 else { return false }
        guard let reopened else { return true }
        return reopened.timeIntervalSince(resolved) >= Self.deflectionWindow
    }

    public static func == (a: ServiceCycle, b: ServiceCycle) -> Bool {
        a.index == b.index && a.start == b.start && a.handoff == b.handoff && a.handoffReason == b.handoffReason && a.firstPersonReply == b.firstPersonReply
            && a.firstResponder == b.firstResponder && a.personReplies == b.personReplies && a.botAnswers == b.botAnswers
            && a.nextResponses.map(\.seconds) == b.nextResponses.map(\.seconds) && a.nextResponses.map(\.agent) == b.nextResponses.map(\.agent)
            && a.resolved == b.resolved && a.resolvedByBot == b.resolvedByBot && a.reopened == b.reopened
    }
}

public enum ServiceCycles {
    /// The cycles of one conversation, from its moments in any order (ties keep their order).
    public static func read(_ moments: [ConversationMoment]) -> [ServiceCycle] {
        let ordered = moments.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        var cycles: [ServiceCycle] = []
        var waitingSince: Date?
        var personHasReplied = false
        func beginCycle(at date: Date) {
            if let last = cycles.indices.last { cycles[last].reopened = date }
            cycles.append(ServiceCycle(index: cycles.count, start: date))
            waitingSince = nil
            personHasReplied = false
        }
        for moment in ordered {
            switch moment {
            case .opened(let at):
                if cycles.isEmpty { beginCycle(at: at) }
            case .reopened(let at):
                if cycles.isEmpty || cycles[cycles.count - 1].resolved != nil { beginCycle(at: at) }
            case .customerWrote(let at):
                if cycles.isEmpty { beginCycle(at: at) }
                if personHasReplied && waitingSince == nil { waitingSince = at }
            case .personReplied(let at, let agent):
                guard !cycles.isEmpty else { continue }
                let last = cycles.count - 1
                if cycles[last].firstPersonReply == nil {
                    cycles[last].firstPersonReply = at
                    cycles[last].firstResponder = agent
                } else if let since = waitingSince {
                    cycles[last].nextResponses.append((at.timeIntervalSince(since), since, at, agent))
                }
                cycles[last].personReplies += 1
                personHasReplied = true
                waitingSince = nil
            case .botAnswered:
                if !cycles.isEmpty { cycles[cycles.count - 1].botAnswers += 1 }
            case .handedOver(let at, let reason):
                guard !cycles.isEmpty else { continue }
                let last = cycles.count - 1
                if cycles[last].handoff == nil {
                    cycles[last].handoff = at
                    cycles[last].handoffReason = reason
                }
            case .resolved(let at, let byBot):
                guard !cycles.isEmpty else { continue }
                let last = cycles.count - 1
                if cycles[last].resolved == nil {
                    cycles[last].resolved = at
                    cycles[last].resolvedByBot = byBot && cycles[last].personReplies == 0
                }
                waitingSince = nil
            }
        }
        return cycles
    }
}

/// Durations kept as counts in buckets, so the median and 90th percentile of any range are
/// read from a few summed rows instead of every conversation. Buckets grow by a quarter
/// power of two (about 19 % wide), so a percentile read from them is within that of the
/// exact one; the mean is exact, from the summed seconds.
public enum DurationHistogram {
    /// The bucket of a duration: 0 for under a second, then ⌊4·log₂(seconds)⌋ + 1.
    public static func bin(_ seconds: TimeInterval) -> Int {
        guard seconds >= 1 else { return 0 }
        return Int((log2(seconds) * 4).rounded(.down)) + 1
    }

    /// The durations a bucket holds: [lower, upper).
    public static func bounds(_ bin: Int) -> (lower: TimeInterval, upper: TimeInterval) {
        guard bin > 0 else { return (0, 1) }
        return (pow(2, Double(bin - 1) / 4), pow(2, Double(bin) / 4))
    }

    /// The `p`-th quantile (0…1) of the durations counted in `counts` (bucket → count): the
    /// bucket where it falls, interpolated geometrically by its place in the bucket.
    public static func quantile(_ p: Double, counts: [Int: Int]) -> TimeInterval? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = p * Double(total)
        var below = 0
        for bin in counts.keys.sorted() {
            let n = counts[bin]!
            guard n > 0 else { continue }
            if Double(below + n) >= rank {
                let (lower, upper) = bounds(bin)
                let share = min(1, max(0, (rank - Double(below)) / Double(n)))
                if bin == 0 { return share }
                return lower * pow(upper / lower, share)
            }
            below += n
        }
        return bounds(counts.keys.max()!).upper
    }
}
