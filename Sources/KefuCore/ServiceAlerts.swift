import Foundation

/// A clock that reached its warning share or its target: what the timeline, realtime,
/// webhooks and reports record as `sla_warning` and `sla_breached`.
public struct ServiceAlert: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case warning
        case breached
    }

    public let clock: ServiceClock
    public let kind: Kind
    /// When the share or the target was reached.
    public let at: Date
    /// When the round of the clock it concerns started.
    public let roundStartedAt: Date

    public init(clock: ServiceClock, kind: Kind, at: Date, roundStartedAt: Date) {
        self.clock = clock
        self.kind = kind
        self.at = at
        self.roundStartedAt = roundStartedAt
    }

    /// Names the alert across evaluations: one per kind, clock and round, however often the
    /// conversation is looked at again.
    public var key: String { "\(clock.rawValue)@\(Int64((roundStartedAt.timeIntervalSince1970 * 1000).rounded())):\(kind.rawValue)" }
}

extension ServiceLevels.Report {
    /// The alerts due by `now` that `raised` (keys of alerts already recorded) does not hold.
    ///
    /// A clock found breached whose warning was never raised (the desk was down, or a
    /// target was shortened) raises only the breach: a warning for what already happened
    /// would be noise.
    public func alerts(now: Date, raised: Set<String>) -> [ServiceAlert] {
        var alerts: [ServiceAlert] = []
        for clock in clocks {
            guard let round = clock.startedAt else { continue }
            switch clock.state {
            case .breached:
                guard let due = clock.due, due <= now else { continue }
                alerts.append(ServiceAlert(clock: clock.clock, kind: .breached, at: due, roundStartedAt: round))
            case .running, .paused:
                guard let warning = clock.warningAt, warning <= now else { continue }
                alerts.append(ServiceAlert(clock: clock.clock, kind: .warning, at: warning, roundStartedAt: round))
            case .met:
                continue
            }
        }
        return alerts.filter { !raised.contains($0.key) }.sorted { ($0.at, $0.clock.rawValue) < ($1.at, $1.clock.rawValue) }
    }

    /// The conversation's standing in one word, for lists and the views that filter on it:
    /// breached when a clock of the cycle was missed, at risk when one running has passed its
    /// warning share, else running, paused, met, or none.
    public func standing(now: Date) -> ServiceStanding {
        if clocks.contains(where: { $0.state == .breached }) { return .breached }
        if clocks.contains(where: { ($0.state == .running || $0.state == .paused) && ($0.warningAt.map { $0 <= now } ?? false) }) { return .atRisk }
        if clocks.contains(where: { $0.state == .running }) { return .running }
        if clocks.contains(where: { $0.state == .paused }) { return .paused }
        if clocks.contains(where: { $0.state == .met }) { return .met }
        return .none
    }

    /// The soonest target still ahead of a running clock: what a list's countdown shows.
    public func soonestDue(after now: Date) -> (clock: ServiceClock, due: Date)? {
        clocks.filter { $0.state == .running }.compactMap { report in report.due.map { (report.clock, $0) } }
            .filter { $0.1 > now }.min { $0.1 < $1.1 }
    }
}

public enum ServiceStanding: String, Sendable, Codable, CaseIterable {
    case breached
    case atRisk = "at_risk"
    case running
    case paused
    case met
    case none
}

/// What a policy does when one of its clocks warns or breaches, in this order: tell the
/// assignee, tell the team, raise the priority, hand the conversation to another team.
public struct EscalationSteps: Sendable, Equatable {
    public var notifyAssignee: Bool
    public var notifyTeam: Bool
    public var raisePriority: Bool
    public var handToTeam: UUID?

    public init(notifyAssignee: Bool = false, notifyTeam: Bool = false, raisePriority: Bool = false, handToTeam: UUID? = nil) {
        self.notifyAssignee = notifyAssignee
        self.notifyTeam = notifyTeam
        self.raisePriority = raisePriority
        self.handToTeam = handToTeam
    }

    public var isEmpty: Bool { !notifyAssignee && !notifyTeam && !raisePriority && handToTeam == nil }
}

public struct ServiceEscalation: Sendable, Equatable {
    public var onWarning: EscalationSteps
    public var onBreach: EscalationSteps

    /// Until a policy says otherwise, the assignee hears of a warning and the assignee and
    /// the team of a breach; nothing is moved or raised.
    public static let standard = ServiceEscalation(onWarning: EscalationSteps(notifyAssignee: true),
                                                   onBreach: EscalationSteps(notifyAssignee: true, notifyTeam: true))

    public init(onWarning: EscalationSteps, onBreach: EscalationSteps) {
        self.onWarning = onWarning
        self.onBreach = onBreach
    }

    public enum Action: Sendable, Equatable {
        /// Tell these people; the team's members when the conversation has a team.
        case notifyAssignee(UUID)
        case notifyTeam(UUID)
        case raisePriority(from: Priority, to: Priority)
        /// Given to the team, and unassigned so its members see it waiting for one of them.
        case handTo(team: UUID)
    }

    /// The steps an alert takes on a conversation as it now stands; a step with nothing to
    /// act on (no assignee, already urgent, already the team's) is left out.
    public func actions(for alert: ServiceAlert, assignee: UUID?, team: UUID?, priority: Priority) -> [Action] {
        let steps = alert.kind == .warning ? onWarning : onBreach
        var actions: [Action] = []
        if steps.notifyAssignee, let assignee { actions.append(.notifyAssignee(assignee)) }
        if steps.notifyTeam, let team { actions.append(.notifyTeam(team)) }
        if steps.raisePriority, let higher = priority.raised { actions.append(.raisePriority(from: priority, to: higher)) }
        if let target = steps.handToTeam, target != team { actions.append(.handTo(team: target)) }
        return actions
    }
}

extension Priority {
    /// One step up; nil for urgent.
    public var raised: Priority? {
        switch self {
        case .low: .normal
        case .normal: .high
        case .high: .urgent
        case .urgent: nil
        }
    }
}
