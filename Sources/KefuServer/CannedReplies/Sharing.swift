import FluentKit
import Foundation
import KefuCore
import SQLKit

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

/// A row agents write for each other — a canned reply, a macro: who made it, who shares
/// it, how often it was used.
protocol SharedByAgents: Model where IDValue == UUID {
    var workspaceID: UUID { get set }
    var createdBy: UUID { get set }
    var createdMillis: Int64 { get set }
    var usageCount: Int { get set }
    var scopeRaw: String { get set }
    var ownerID: UUID? { get set }
    var teamID: UUID? { get set }
}

extension SharedByAgents {
    var sharing: Sharing { Sharing(scope: CannedReplyScope(rawValue: scopeRaw) ?? .personal, ownerID: ownerID, teamID: teamID) }

    /// A new one by `agent`, not yet used or stored.
    static func new(by agent: AgentPrincipal) -> Self {
        let row = Self()
        row.id = TimeOrderedID.make()
        row.workspaceID = agent.workspaceID
        row.createdBy = agent.agentID
        row.createdMillis = Date().millisSince1970
        row.usageCount = 0
        return row
    }

    func share(_ sharing: Sharing) {
        scopeRaw = sharing.scope.rawValue
        ownerID = sharing.ownerID
        teamID = sharing.teamID
    }

    /// Stores a new one, unless its workspace has `limit` already (`plural` names them in the refusal).
    func create(limit: Int, plural: String, persistence: Persistence) async throws {
        let count = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT COUNT(*) AS n FROM \(ident: Self.schema) WHERE workspace_id = \(bind: workspaceID)
            """).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        guard count < limit else { throw Problem.conflict("This workspace has \(limit) \(plural); delete some first.") }
        try await create(on: persistence.db)
    }
}

/// A list item that shows how customers rated the conversations it was used in.
protocol RatedWhenUsed {
    var id: UUID { get }
    var csat: Double? { get set }
    var ratings: Int? { get set }
}

extension Array where Element: RatedWhenUsed {
    /// Each item with its ratings (rated, satisfied) from `stats`; those never rated keep none.
    func rated(_ stats: [UUID: (Int, Int)]) -> [Element] {
        map { item in
            guard let (rated, satisfied) = stats[item.id], rated > 0 else { return item }
            var item = item
            item.ratings = rated
            item.csat = Double(satisfied) / Double(rated)
            return item
        }
    }
}
