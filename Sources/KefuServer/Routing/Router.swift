import FluentKit
import Foundation
import KefuCore

/// Gives a new conversation to a person, by `RoutingPolicy`, inside the transaction that
/// stores it: the team and assignee are written with the message, and the chosen agent's
/// turn is taken in the same commit.
struct ConversationRouter: Sendable {
    let policy = RoutingPolicy()

    func route(_ write: inout ConversationWrite, now: Date, in batch: RoutingBatch, on db: any Database) async throws {
        let conversation = write.after
        guard conversation.assigneeID == nil else { return }
        let directory = try await batch.directory(workspaceID: conversation.workspaceID, inboxID: conversation.inboxID, on: db)
        let outcome = policy.route(
            .init(category: conversation.category, language: conversation.language, teamID: conversation.teamID?.uuidString),
            teams: directory.teams, agents: directory.agents.map { batch.current($0) })
        if let team = outcome.team.flatMap(UUID.init(uuidString:)) {
            write.after.teamID = team
            write.events.append(EventRecord(.teamAssigned, in: conversation, by: .system, data: ["teamId": team.uuidString, "reason": "category"], at: now))
        }
        if let picked = outcome.agent, let agent = UUID(uuidString: picked), let reason = outcome.reason {
            write.after.assigneeID = agent
            write.events.append(EventRecord(.assigned, in: conversation, by: .system, data: ["assigneeId": picked, "reason": reason.rawValue], at: now))
            batch.assigned(agent, at: now.millisSince1970)
        }
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

    func directory(workspaceID: UUID, inboxID: UUID, on db: any Database) async throws -> Directory {
        let key = Key(workspace: workspaceID, inbox: inboxID)
        if let known = directories[key] { return known }
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
        let directory = Directory(
            teams: teams.map { .init(id: $0.id!.uuidString, name: $0.name) },
            agents: online.map { .init(id: $0.id!.uuidString, availability: .online, locale: $0.locale,
                                       lastAssignedAt: $0.lastAssignedMillis, teamIDs: memberships[$0.id!] ?? []) })
        directories[key] = directory
        return directory
    }

    /// The agent as this batch has left them: with the turn they took in it.
    func current(_ agent: RoutingPolicy.Agent) -> RoutingPolicy.Agent {
        guard let id = UUID(uuidString: agent.id), let turn = turns[id] else { return agent }
        return .init(id: agent.id, availability: agent.availability, locale: agent.locale, lastAssignedAt: turn, teamIDs: agent.teamIDs)
    }

    func assigned(_ agent: UUID, at millis: Int64) {
        // Within one millisecond the next opening still goes to someone else.
        turns[agent] = max(millis, (turns.values.max() ?? 0) + 1)
    }

    /// Writes each agent's last turn, once.
    func save(on db: any Database) async throws {
        for (agent, turn) in turns {
            try await AgentRow.query(on: db).filter(\.$id == agent).set(\.$lastAssignedMillis, to: turn).update()
        }
    }
}
