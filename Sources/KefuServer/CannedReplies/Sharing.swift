import FluentKit
import Foundation
import KefuCore

/// Who sees and who changes what agents write for each other — canned replies and macros:
/// one's own, a team's, the workspace's.
struct Sharing: Sendable, Equatable {
    var scope: CannedReplyScope
    var ownerID: UUID?
    var teamID: UUID?

    /// Whether `agent`, a member of `teams`, may use it. Owners and admins see every team's.
    func isVisible(to agent: AgentPrincipal, teams: Set<UUID>) -> Bool {
        switch scope {
        case .workspace: true
        case .personal: ownerID == agent.agentID
        case .team: agent.role.canAdminister || teamID.map(teams.contains) == true
        }
    }

    /// Whether `agent` may change or delete it: their own personal ones; shared ones for owners and admins.
    func isEditable(by agent: AgentPrincipal) -> Bool {
        scope == .personal ? ownerID == agent.agentID : agent.role.canAdminister
    }

    static func teams(of agent: AgentPrincipal, on db: any Database) async throws -> Set<UUID> {
        Set(try await TeamMemberRow.query(on: db).filter(\.$agentID == agent.agentID).all().map(\.teamID))
    }

    /// The sharing a request asks for, checked: a team of this workspace for team scope, and
    /// only owners and admins share beyond themselves. `current` is what it had before.
    static func requested(scope raw: String?, teamID rawTeam: String?, current: Sharing?, by agent: AgentPrincipal,
                          into validation: inout Validation, on db: any Database) async throws -> Sharing {
        let scope = validation.enumValue(raw ?? "personal", as: CannedReplyScope.self, field: "scope") ?? .personal
        var sharing = Sharing(scope: scope, ownerID: nil, teamID: nil)
        switch scope {
        case .personal:
            sharing.ownerID = current?.scope == .personal ? current?.ownerID : agent.agentID
        case .team:
            if let team = rawTeam.flatMap(UUID.init(uuidString:)), let found = try await TeamRow.find(team, on: db), found.workspaceID == agent.workspaceID {
                sharing.teamID = team
            } else {
                validation.fail("teamId", "the team that shares it / 共享的团队")
            }
        case .workspace: break
        }
        if scope != .personal && !agent.role.canAdminister {
            throw Problem.forbidden("Only owners and admins share with a team or the workspace; yours can be personal.")
        }
        return sharing
    }
}
