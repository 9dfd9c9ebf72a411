import FluentKit
import Foundation
import KefuCore

/// Gives a new conversation to a person, by `RoutingPolicy`, inside the transaction that
/// stores it: the team and assignee are written with the message, and the chosen agent's
/// turn is taken in the same commit.
struct ConversationRouter: Sendable {
    let policy = RoutingPolicy()

    func route(_ write: inout ConversationWrite, now: Date, on db: any Database) async throws {
        let conversation = write.after
        guard conversation.assigneeID == nil else { return }
        let teams = try await TeamRow.query(on: db).filter(\.$workspaceID == conversation.workspaceID).all()
        let members = try await InboxMemberRow.query(on: db).filter(\.$inboxID == conversation.inboxID).all().map(\.agentID)
        var query = AgentRow.query(on: db).filter(\.$workspaceID == conversation.workspaceID)
            .filter(\.$availability == Availability.online.rawValue)
        if !members.isEmpty { query = query.filter(\.$id ~~ members) }
        let online = try await query.all()
        var memberships: [UUID: Set<String>] = [:]
        if !online.isEmpty, !teams.isEmpty {
            for row in try await TeamMemberRow.query(on: db).filter(\.$workspaceID == conversation.workspaceID).all() {
                memberships[row.agentID, default: []].insert(row.teamID.uuidString)
            }
        }
        let outcome = policy.route(
            .init(category: conversation.category, language: conversation.language, teamID: conversation.teamID?.uuidString),
            teams: teams.map { .init(id: $0.id!.uuidString, name: $0.name) },
            agents: online.map { .init(id: $0.id!.uuidString, availability: .online, locale: $0.locale,
                                       lastAssignedAt: $0.lastAssignedMillis, teamIDs: memberships[$0.id!] ?? []) })
        if let team = outcome.team.flatMap(UUID.init(uuidString:)) {
            write.after.teamID = team
            write.events.append(EventRecord(.teamAssigned, in: conversation, by: .system, data: ["teamId": team.uuidString, "reason": "category"], at: now))
        }
        if let picked = outcome.agent, let agent = online.first(where: { $0.id!.uuidString == picked }), let reason = outcome.reason {
            write.after.assigneeID = agent.id
            write.events.append(EventRecord(.assigned, in: conversation, by: .system, data: ["assigneeId": picked, "reason": reason.rawValue], at: now))
            agent.lastAssignedMillis = now.millisSince1970
            try await agent.update(on: db)
        }
    }
}
