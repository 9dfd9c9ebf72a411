import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Gives a new or returning conversation to a person, by `RoutingPolicy`, inside the
/// transaction that stores it: the team and assignee are written with the message, the
/// chosen agent's turn is taken in the same commit, and a conversation nobody eligible has
/// room for joins its inbox's queue.
struct ConversationRouter: Sendable {
    let policy = RoutingPolicy()

    func route(_ write: inout ConversationWrite, now: Date, in batch: RoutingBatch, on db: any Database) async throws {
        let conversation = write.after
        let reopened = write.before.map { !$0.status.isActive } ?? false
        guard conversation.assigneeID == nil || reopened else { return }
        let directory = try await batch.directory(workspaceID: conversation.workspaceID, inboxID: conversation.inboxID, on: db)
        let previous = reopened ? conversation.assigneeID : nil
        let outcome = policy.route(
            .init(category: conversation.category, language: conversation.language, teamID: conversation.teamID?.uuidString,
                  previousAssignee: previous?.uuidString),
            teams: directory.teams, agents: directory.agents.map { batch.current($0) })
        if let team = outcome.team.flatMap(UUID.init(uuidString:)) {
            write.after.teamID = team
            write.events.append(EventRecord(.teamAssigned, in: conversation, by: .system, data: ["teamId": team.uuidString, "reason": "category"], at: now))
        }
        if outcome.reason == .returning { return }
        if let previous {
            // Its agent is away or full: it is routed again like a new one.
            write.after.assigneeID = nil
            write.events.append(EventRecord(.assigned, in: conversation, by: .system, data: ["previousAssigneeId": previous.uuidString,
                                                                                             "reason": "previous_agent_unavailable"], at: now))
        }
        guard let picked = outcome.agent.flatMap(UUID.init(uuidString:)) else {
            let reason = outcome.reason?.rawValue ?? RoutingPolicy.Reason.nobodyOnline.rawValue
            write.events.append(EventRecord(.queued, in: conversation, by: .system, data: Self.explained(outcome, reason: reason), at: now))
            batch.queue(write.after, since: now.millisSince1970, reason: reason)
            return
        }
        write.after.assigneeID = picked
        var data = Self.explained(outcome, reason: outcome.reason?.rawValue ?? "")
        data["assigneeId"] = picked.uuidString
        data["queuedAt"] = now.formatted(.iso8601)
        write.events.append(EventRecord(.assigned, in: conversation, by: .system, data: data, at: now))
        batch.assigned(picked, at: now.millisSince1970)
    }

    /// What decided it, for the timeline: "lowest_load", language zh, skill nft, load 2/5.
    static func explained(_ outcome: RoutingPolicy.Outcome, reason: String) -> [String: String] {
        var data = ["reason": reason]
        if let language = outcome.language { data["language"] = language }
        if let skill = outcome.skill { data["skill"] = skill }
        if let load = outcome.load { data["load"] = load }
        return data
    }
}

/// What routing reads, read once per transaction however many conversations it opens, and
/// whose turn each agent has had within it: the next opening in the same batch goes to the
/// next agent, and each agent's turn is written once at the end.
///
/// `@unchecked Sendable`: one batch's transaction uses it from its own sequential code only.
final class RoutingBatch: @unchecked Sendable {
    struct Directory {
        let teams: [RoutingPolicy.Team]
        let agents: [RoutingPolicy.Agent]
    }

    private struct Key: Hashable { let workspace: UUID; let inbox: UUID }
    private var directories: [Key: Directory] = [:]
    private var turns: [UUID: Int64] = [:]
    private var taken: [UUID: Int] = [:]
    private var queued: [(ConversationRecord, Int64, String)] = []

    func directory(workspaceID: UUID, inboxID: UUID, on db: any Database) async throws -> Directory {
        let key = Key(workspace: workspaceID, inbox: inboxID)
        if let known = directories[key] { return known }
        let directory = try await Self.read(workspaceID: workspaceID, inboxID: inboxID, on: db)
        directories[key] = directory
        return directory
    }

    /// The inbox's online agents with their languages, skills, capacity and load now.
    static func read(workspaceID: UUID, inboxID: UUID, on db: any Database) async throws -> Directory {
        let teams = try await TeamRow.query(on: db).filter(\.$workspaceID == workspaceID).all()
        let members = try await InboxMemberRow.query(on: db).filter(\.$inboxID == inboxID).all().map(\.agentID)
        var query = AgentRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$availability == Availability.online.rawValue)
        if !members.isEmpty { query = query.filter(\.$id ~~ members) }
        let online = try await query.all()
        var memberships: [UUID: Set<String>] = [:]
        if !online.isEmpty, !teams.isEmpty {
            for row in try await TeamMemberRow.query(on: db).filter(\.$workspaceID == workspaceID).all() {
                memberships[row.agentID, default: []].insert(row.teamID.uuidString)
            }
        }
        var loads: [UUID: Int] = [:]
        if !online.isEmpty {
            let ids = online.compactMap(\.id).map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            for row in try await (db as! any SQLDatabase).raw("""
                SELECT assignee_id, COUNT(*) AS load FROM conversations
                WHERE workspace_id = \(bind: workspaceID) AND assignee_id IN (\(ids)) AND status = \(bind: ConversationStatus.open.rawValue)
                GROUP BY assignee_id
                """).all() {
                loads[try row.decode(column: "assignee_id", as: UUID.self)] = try row.decode(column: "load", as: Int.self)
            }
        }
        return Directory(
            teams: teams.map { .init(id: $0.id!.uuidString, name: $0.name) },
            agents: online.map { .init(id: $0.id!.uuidString, availability: .online, locale: $0.locale, lastAssignedAt: $0.lastAssignedMillis,
                                       teamIDs: memberships[$0.id!] ?? [],
                                       languages: Set(StoredJSON.decode([String].self, from: $0.languages, default: [])),
                                       skills: Set(StoredJSON.decode([String].self, from: $0.skills, default: [])),
                                       capacity: $0.capacity, load: loads[$0.id!] ?? 0) })
    }

    /// The agent as this batch has left them: with the turns and conversations they took in it.
    func current(_ agent: RoutingPolicy.Agent) -> RoutingPolicy.Agent {
        guard let id = UUID(uuidString: agent.id), let turn = turns[id] else { return agent }
        return .init(id: agent.id, availability: agent.availability, locale: agent.locale, lastAssignedAt: turn, teamIDs: agent.teamIDs,
                     languages: agent.languages, skills: agent.skills, capacity: agent.capacity, load: agent.load + (taken[id] ?? 0))
    }

    func assigned(_ agent: UUID, at millis: Int64) {
        // Within one millisecond the next opening still goes to someone else.
        turns[agent] = max(millis, (turns.values.max() ?? 0) + 1)
        taken[agent, default: 0] += 1
    }

    func queue(_ conversation: ConversationRecord, since millis: Int64, reason: String) {
        queued.append((conversation, millis, reason))
    }

    /// Writes each agent's last turn, once, and which of the conversations `stored` joined the queue.
    func save(on db: any Database, stored: Set<UUID>) async throws {
        for (agent, turn) in turns {
            try await AgentRow.query(on: db).filter(\.$id == agent).set(\.$lastAssignedMillis, to: turn).update()
        }
        for (conversation, millis, reason) in queued where stored.contains(conversation.id) {
            try await RoutingQueueRepository.enqueue(conversation, since: millis, reason: reason, on: db)
        }
    }
}
