import FluentKit
import Foundation
import KefuCore
import Logging
import ServiceLifecycle

/// Raises `sla_warning` and `sla_breached` when a conversation's clocks reach them, and
/// takes the policy's escalation steps. It reads only the watches that are due (an index on
/// due time), so its cost follows what is due, not how many conversations are open.
struct ServiceLevelScheduler: Sendable {
    /// Watches evaluated per tick; the rest wait for the next one, soonest first.
    static let batch = 200

    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let clock: DeskClock
    let logger: Logger
    var watches: ServiceLevelWatches { ServiceLevelWatches(persistence: persistence) }
    let conversations = ConversationRepository()

    /// Evaluates what is due at `now`; returns how many watches it looked at.
    @discardableResult
    func tick(now: Date) async throws -> Int {
        let due = try await watches.takeDue(now: now.millisSince1970, limit: Self.batch)
        let rules = ServiceLevelRulesCache(persistence: persistence)
        for watch in due {
            do {
                try await evaluate(watch, now: now, rules: try await rules.rules(workspaceID: watch.workspaceID))
            } catch {
                // The watch stays taken until its lease ends, then it is tried again.
                logger.warning("a conversation's service levels could not be evaluated; will try again",
                               metadata: ["error.type": "\(type(of: error))"])
            }
        }
        return due.count
    }

    func evaluate(_ watch: ServiceLevelWatches.Due, now: Date, rules: ServiceLevelRules) async throws {
        guard let conversation = try await conversations.find(watch.conversationID, workspaceID: watch.workspaceID, on: persistence.reader) else {
            try await watches.forget(watch.conversationID)
            return
        }
        let result = try await ConversationServiceLevels(persistence: persistence).current(conversation, now: now, rules: rules)
        let summary = RealtimeEvent.encode(ConversationServiceLevelsView(result, now: now))
        let standing = result.report?.standing(now: now) ?? .none
        guard let report = result.report, let policy = result.policy else {
            try await watches.settle(watch, next: nil, raised: [], standing: standing, summary: summary, now: now.millisSince1970)
            return
        }
        let alerts = report.alerts(now: now, raised: watch.raised)
        let kept = Self.stillNeeded(watch.raised, in: report)
        guard !alerts.isEmpty else {
            try await watches.settle(watch, next: report.nextDeadline, raised: kept, standing: standing, summary: summary, now: now.millisSince1970)
            return
        }
        do {
            let committed = try await persistence.transaction { [writer, watches] db -> Committed? in
                guard let before = try await conversations.find(conversation.id, workspaceID: conversation.workspaceID, on: db),
                      before.version == conversation.version else { throw ConversationRepository.VersionConflict() }
                // Another node may have raised some of them since the watch was read.
                let raised = try await watches.raised(conversation.id, on: db)
                let fresh = alerts.filter { !raised.contains($0.key) }
                guard !fresh.isEmpty else { return nil }
                let members = try await teamMembers(of: before.teamID, on: db)
                let write = Self.alerted(before, by: fresh, policy: policy, teamMembers: members, now: now)
                let committed = try await writer.write(write, on: db)
                // A raised priority or a new team may put the conversation under other
                // targets: then it is looked at again at once.
                let moved = committed.conversation.priority != before.priority || committed.conversation.teamID != before.teamID
                try await watches.settle(watch, next: moved ? now : report.nextDeadline, raised: kept.union(raised).union(fresh.map(\.key)), standing: standing,
                                         summary: summary, now: now.millisSince1970, on: db, anyGeneration: true)
                return committed
            }
            if let committed { await publish.committed(committed) }
        } catch is ConversationRepository.VersionConflict {
            // The conversation changed meanwhile, and that change made its watch due again.
        }
    }

    private func teamMembers(of team: UUID?, on db: any Database) async throws -> [UUID] {
        guard let team else { return [] }
        return try await TeamMemberRow.query(on: db).filter(\.$teamID == team).all().map(\.agentID)
    }

    /// Keys of alerts raised for rounds the report still has: older rounds cannot raise again.
    static func stillNeeded(_ raised: Set<String>, in report: ServiceLevels.Report) -> Set<String> {
        let rounds = Set(report.clocks.compactMap { clock in
            clock.startedAt.map { "\(clock.clock.rawValue)@\(Int64(($0.timeIntervalSince1970 * 1000).rounded())):" }
        })
        return raised.filter { key in rounds.contains { key.hasPrefix($0) } }
    }

    /// The change the alerts make: each alert on the timeline, then the policy's escalation
    /// steps, each an event with its reason, and one announcement per alert naming whom it
    /// tells.
    static func alerted(_ before: ConversationRecord, by alerts: [ServiceAlert], policy: ServicePolicyRecord, teamMembers: [UUID],
                        now: Date) -> ConversationWrite {
        var after = before
        var events: [EventRecord] = []
        var announcements: [(ServiceAlert, [UUID])] = []
        var raisedPriority = false
        let escalation = policy.policy.escalation
        for alert in alerts {
            let reason = "\(alert.clock.rawValue) \(alert.kind.rawValue)"
            events.append(EventRecord(alert.kind == .warning ? .slaWarning : .slaBreached, in: before, by: .system, data: [
                "clock": alert.clock.rawValue, "at": alert.at.formatted(.iso8601), "policyId": policy.id.uuidString, "policyName": policy.name,
            ], at: now))
            var notify: [UUID] = []
            for action in escalation.actions(for: alert, assignee: after.assigneeID, team: after.teamID, priority: after.priority) {
                switch action {
                case .notifyAssignee(let agent):
                    notify.append(agent)
                    events.append(EventRecord(.slaEscalated, in: before, by: .system, data: ["step": "notify_assignee", "assigneeId": agent.uuidString, "reason": reason], at: now))
                case .notifyTeam(let team):
                    notify.append(contentsOf: teamMembers)
                    events.append(EventRecord(.slaEscalated, in: before, by: .system, data: ["step": "notify_team", "teamId": team.uuidString, "reason": reason], at: now))
                case .raisePriority(let from, let to):
                    // However many clocks alert at once, the priority rises one step.
                    guard !raisedPriority else { continue }
                    raisedPriority = true
                    after.priority = to
                    events.append(EventRecord(.slaEscalated, in: before, by: .system, data: ["step": "raise_priority", "reason": reason], at: now))
                    events.append(EventRecord(.priorityChanged, in: before, by: .system, data: ["from": from.rawValue, "to": to.rawValue, "reason": reason], at: now))
                case .handTo(let team):
                    events.append(EventRecord(.slaEscalated, in: before, by: .system, data: ["step": "hand_to_team", "teamId": team.uuidString, "reason": reason], at: now))
                    events.append(EventRecord(.teamAssigned, in: before, by: .system, data: ["teamId": team.uuidString, "reason": reason], at: now))
                    if let previous = after.assigneeID {
                        events.append(EventRecord(.assigned, in: before, by: .system, data: ["previousAssigneeId": previous.uuidString, "reason": reason], at: now))
                    }
                    after.teamID = team
                    after.assigneeID = nil
                }
            }
            var seen = Set<UUID>()
            announcements.append((alert, notify.filter { seen.insert($0).inserted }))
        }
        after.updatedAt = now
        var write = ConversationWrite(before: before, after: after, events: events)
        write.extraAnnouncements = announcements.map { alert, notify in
            RealtimeEvent(type: "conversation.sla_\(alert.kind.rawValue)", workspaceID: before.workspaceID, conversationID: before.id,
                          contactID: before.contactID, visibleToContact: false,
                          payload: ServiceAlertView(conversation: after.view, clock: alert.clock.rawValue, kind: alert.kind.rawValue, at: alert.at,
                                                    policy: .init(id: policy.id, name: policy.name), notify: notify))
        }
        return write
    }
}

/// What `conversation.sla_warning` and `conversation.sla_breached` carry.
struct ServiceAlertView: Codable, Sendable {
    let conversation: ConversationView
    let clock: String
    let kind: String
    let at: Date
    let policy: ConversationServiceLevelsView.Named
    /// Agents the escalation tells: the assignee, the team's members.
    let notify: [UUID]
}

/// Every `interval` until shutdown: service-level clocks first, then the routing queues
/// (a breach may raise a waiting conversation's priority). One loop for both keeps an idle
/// desk's polling to a couple of reads a tick.
struct ServiceLevelService: Service {
    let scheduler: ServiceLevelScheduler
    let dispatcher: QueueDispatcher
    let interval: Duration
    let doorbell: QueueDoorbell
    /// However often the doorbell rings, the queue is looked at no more often than this.
    static let quietAfterTick: Duration = .milliseconds(50)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var more = false
                do {
                    // A full batch means more is due: go on without waiting.
                    more = try await scheduler.tick(now: scheduler.clock.now()) == ServiceLevelScheduler.batch
                } catch {
                    scheduler.logger.warning("service-level check failed; will try again", metadata: ["error.type": "\(type(of: error))"])
                }
                do {
                    try await dispatcher.tick(now: dispatcher.clock.now())
                } catch {
                    dispatcher.logger.warning("serving the queue failed; will try again", metadata: ["error.type": "\(type(of: error))"])
                }
                if !more {
                    try? await Task.sleep(for: Self.quietAfterTick)
                    await doorbell.wait(upTo: interval)
                }
            }
        }
    }
}
