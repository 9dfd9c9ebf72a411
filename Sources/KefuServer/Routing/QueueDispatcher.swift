import FluentKit
import Foundation
import KefuCore
import Logging
import ServiceLifecycle
import SQLKit

/// Serves each inbox's queue as capacity frees — an agent comes online, a conversation is
/// resolved, a capacity is raised — and takes conversations back from agents who went
/// away once the workspace's grace period has passed. Each decision is an event with its
/// reason, written through the one domain path.
struct QueueDispatcher: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let clock: DeskClock
    let logger: Logger
    let conversations = ConversationRepository()
    var queue: RoutingQueueRepository { RoutingQueueRepository(persistence: persistence) }

    func tick(now: Date) async throws {
        try await requeueFromAwayAgents(now: now)
        for (workspace, inbox) in try await queue.inboxesWaiting() {
            do {
                try await serve(workspaceID: workspace, inboxID: inbox, now: now)
            } catch is ConversationRepository.VersionConflict {
                // Someone changed a waiting conversation meanwhile: served on the next tick.
            }
        }
    }

    /// Assigns what the inbox's agents have room for, in queue order, in one transaction.
    func serve(workspaceID: UUID, inboxID: UUID, now: Date) async throws {
        // Looked at on a reading connection first: with nobody online, or everyone full,
        // a tick writes nothing and holds no transaction.
        guard try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT 1 AS online FROM agents WHERE workspace_id = \(bind: workspaceID) AND availability = \(bind: Availability.online.rawValue) LIMIT 1
            """).first() != nil,
            try await RoutingBatch.read(workspaceID: workspaceID, inboxID: inboxID, on: persistence.reader).agents.contains(where: \.hasRoomForMore)
        else { return }
        let committed = try await persistence.transaction { [writer, persistence] db -> [Committed] in
            let queue = try await QueueSnapshot.read(workspaceID: workspaceID, inboxID: inboxID, persistence: persistence, on: db)
            guard !queue.items.isEmpty else { return [] }
            let directory = try await RoutingBatch.read(workspaceID: workspaceID, inboxID: inboxID, on: db)
            guard directory.agents.contains(where: \.hasRoomForMore) else { return [] }
            let records = Dictionary(queue.items.map { ($0.conversation.id, ($0.conversation, $0.waiting)) }, uniquingKeysWith: { first, _ in first })
            let entries = queue.items.map(\.entry)
            let assignments = RoutingQueue().dispatch(entries, teams: directory.teams, agents: directory.agents, now: now.millisSince1970)
            var done: [Committed] = []
            for (turn, assignment) in assignments.enumerated() {
                guard let id = UUID(uuidString: assignment.conversationID), let (before, entry) = records[id],
                      let agent = assignment.outcome.agent.flatMap(UUID.init(uuidString:)) else { continue }
                var after = before
                after.assigneeID = agent
                after.updatedAt = now
                var events: [EventRecord] = []
                if let team = assignment.outcome.team.flatMap(UUID.init(uuidString:)), before.teamID == nil {
                    after.teamID = team
                    events.append(EventRecord(.teamAssigned, in: before, by: .system, data: ["teamId": team.uuidString, "reason": "category"], at: now))
                }
                var data = ConversationRouter.explained(assignment.outcome, reason: assignment.outcome.reason?.rawValue ?? "")
                data["assigneeId"] = agent.uuidString
                data["from"] = "queue"
                data["queuedAt"] = Date(millisSince1970: entry.queuedMillis).formatted(.iso8601)
                data["waitedSeconds"] = String(max(0, (now.millisSince1970 - entry.queuedMillis) / 1000))
                if let because = assignment.servedFirstBecause { data["because"] = because }
                events.append(EventRecord(.assigned, in: before, by: .system, data: data, at: now))
                done.append(try await writer.write(ConversationWrite(before: before, after: after, events: events), on: db))
                try await AgentRow.query(on: db).filter(\.$id == agent).set(\.$lastAssignedMillis, to: now.millisSince1970 + Int64(turn)).update()
                try await (db as! any SQLDatabase).raw("""
                    INSERT INTO routing_waits (id, inbox_id, assigned_ms, waited_ms)
                    VALUES (\(bind: TimeOrderedID.make()), \(bind: inboxID), \(bind: now.millisSince1970), \(bind: max(0, now.millisSince1970 - entry.queuedMillis)))
                    """).run()
            }
            return done
        }
        for change in committed { await publish.committed(change) }
    }

    /// Each waiting conversation's contact tier and soonest service-level target, as the
    /// scheduler last evaluated it (a watch's due time can be "look again now", not a target).
    static func queueFacts(_ ids: [UUID], on db: any Database) async throws -> [UUID: (tier: ContactTier, due: Date?)] {
        guard !ids.isEmpty else { return [:] }
        let listed = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        var facts: [UUID: (tier: ContactTier, due: Date?)] = [:]
        for row in try await (db as! any SQLDatabase).raw("""
            SELECT c.id, k.tier, w.summary FROM conversations c JOIN contacts k ON k.id = c.contact_id
            LEFT JOIN sla_watches w ON w.conversation_id = c.id WHERE c.id IN (\(listed))
            """).all() {
            let due = try row.decode(column: "summary", as: String?.self).flatMap(ServiceLevelWatches.soonestDue)
            facts[try row.decode(column: "id", as: UUID.self)] = (ContactTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .standard, due)
        }
        return facts
    }

    /// Open conversations of agents away or offline longer than their workspace's grace
    /// period go back to the queue, with the time they first waited.
    func requeueFromAwayAgents(now: Date) async throws {
        let sql = persistence.reader as! any SQLDatabase
        // Most ticks find nobody away: the agents table alone answers that.
        guard try await sql.raw("""
            SELECT 1 AS away FROM agents WHERE availability <> \(bind: Availability.online.rawValue) AND availability_changed_ms IS NOT NULL LIMIT 1
            """).first() != nil else { return }
        let rows = try await sql.raw("""
            SELECT c.id, c.workspace_id, c.assignee_id, a.availability_changed_ms FROM agents a
            JOIN conversations c ON c.workspace_id = a.workspace_id AND c.assignee_id = a.id
            WHERE c.status = \(bind: ConversationStatus.open.rawValue) AND a.availability <> \(bind: Availability.online.rawValue)
              AND a.availability_changed_ms IS NOT NULL
            """).all()
        guard !rows.isEmpty else { return }
        var graces: [UUID: Int] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self), workspace = try row.decode(column: "workspace_id", as: UUID.self)
            let since = try row.decode(column: "availability_changed_ms", as: Int64.self)
            if graces[workspace] == nil { graces[workspace] = try await RoutingSettings.load(workspaceID: workspace, on: persistence.reader).graceSeconds }
            let grace = graces[workspace]!
            guard now.millisSince1970 - since >= Int64(grace) * 1000 else { continue }
            do {
                try await requeue(id, workspaceID: workspace, graceSeconds: grace, now: now)
            } catch is ConversationRepository.VersionConflict {}
        }
    }

    private func requeue(_ id: UUID, workspaceID: UUID, graceSeconds: Int, now: Date) async throws {
        let committed = try await persistence.transaction { [writer, conversations] db -> Committed? in
            guard let before = try await conversations.find(id, workspaceID: workspaceID, on: db), let agent = before.assigneeID,
                  before.status == .open else { return nil }
            let firstWaited = try await Self.firstQueued(id, on: db) ?? before.lastActivityMillis
            var after = before
            after.assigneeID = nil
            after.updatedAt = now
            let event = EventRecord(.requeued, in: before, by: .system, data: [
                "previousAssigneeId": agent.uuidString, "reason": "agent_away", "graceSeconds": String(graceSeconds),
                "queuedAt": Date(millisSince1970: firstWaited).formatted(.iso8601),
            ], at: now)
            let committed = try await writer.write(ConversationWrite(before: before, after: after, events: [event]), on: db)
            try await RoutingQueueRepository.enqueue(after, since: firstWaited, reason: "agent_away", on: db)
            return committed
        }
        if let committed { await publish.committed(committed) }
    }

    /// When the conversation first waited for its current agent: the queue time its last
    /// assignment recorded.
    static func firstQueued(_ id: UUID, on db: any Database) async throws -> Int64? {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT data FROM conversation_events WHERE conversation_id = \(bind: id) AND kind = \(bind: ConversationEventKind.assigned.rawValue)
            ORDER BY id DESC LIMIT 1
            """).all()
        guard let row = rows.first else { return nil }
        let data = StoredJSON.decode([String: String].self, from: try row.decode(column: "data", as: String.self), default: [:])
        return data["queuedAt"].flatMap(ISO8601Timestamp.parse).map(\.millisSince1970)
    }
}

extension RoutingPolicy.Agent {
    var hasRoomForMore: Bool { load < capacity }
}
