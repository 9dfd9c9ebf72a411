import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct AgentsController {
    let services: KefuServices

    struct CreateInput: Decodable { let email: String; let name: String; let password: String; let role: String? }
    struct UpdateInput: Decodable {
        let name: String?; let availability: String?; let locale: String?; let role: String?; let password: String?
        let languages: [String]?; let skills: [String]?; let capacity: Int?
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<AgentView> {
        let agent = try context.requireAgent()
        let rows = try await AgentRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).sort(\.$id).all()
        return Page(items: rows.map(AgentView.init), nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> AgentView {
        let agent = try context.requireAgent()
        return AgentView(try await find(context: context, in: agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<AgentView> {
        let principal = try context.requireAgent()
        try principal.requireAdmin()
        let input = try await request.decodeJSON(CreateInput.self, context: context)
        var validation = Validation()
        let email = validation.email(input.email, field: "email", required: true)
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        validatePassword(input.password, into: &validation)
        let role = validation.enumValue(input.role ?? "agent", as: AgentRole.self, field: "role")
        if role == .owner && principal.role != .owner { validation.fail("role", "only an owner may add another owner") }
        try validation.check()
        if try await AgentRow.query(on: services.persistence.db).filter(\.$email == email!).first() != nil {
            throw Problem.conflict("An account with this email already exists.")
        }
        let row = AgentRow(workspaceID: principal.workspaceID, email: email!, name: name!,
                           passwordHash: try await services.hasher.hash(input.password), role: role!.rawValue)
        try await row.create(on: services.persistence.db)
        return EditedResponse(status: .created, response: AgentView(row))
    }

    /// Agents change their own name, availability, locale, languages and password; admins
    /// also roles, skills and capacity.
    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> AgentView {
        let principal = try context.requireAgent()
        let row = try await find(context: context, in: principal.workspaceID)
        let isSelf = row.id == principal.agentID
        guard isSelf || principal.role.canAdminister else { throw Problem.forbidden("You may only change your own profile.") }
        let input = try await request.decodeJSON(UpdateInput.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        let availability = validation.enumValue(input.availability, as: Availability.self, field: "availability")
        let locale = validation.text(input.locale, field: "locale", max: 20)
        let role = validation.enumValue(input.role, as: AgentRole.self, field: "role")
        if let role {
            if !principal.role.canAdminister { throw Problem.forbidden("Only owners and admins change roles.") }
            if (role == .owner || row.role == AgentRole.owner.rawValue) && principal.role != .owner {
                throw Problem.forbidden("Only an owner may grant or take away the owner role.")
            }
            if isSelf && row.role == AgentRole.owner.rawValue && role != .owner {
                validation.fail("role", "an owner cannot demote themselves; another owner must do it")
            }
        }
        let languages = input.languages.map { Self.tags($0, field: "languages", max: 20, into: &validation) }
        let skills = input.skills.map { Self.tags($0, field: "skills", max: Limits.name, into: &validation) }
        if (input.skills != nil || input.capacity != nil) && !principal.role.canAdminister {
            throw Problem.forbidden("Only owners and admins set skills and capacity.")
        }
        if let capacity = input.capacity, !(0...100).contains(capacity) {
            validation.fail("capacity", "between 0 and 100 open conversations at once / 同时处理的会话数应在 0 到 100 之间")
        }
        if let password = input.password {
            if !isSelf { validation.fail("password", "agents set their own password") }
            validatePassword(password, into: &validation)
        }
        try validation.check()
        if let name { row.name = name }
        var presenceChanged = false
        if let availability, availability.rawValue != row.availability {
            row.availability = availability.rawValue
            row.availabilityChangedMillis = Date().millisSince1970
            presenceChanged = true
        }
        if let languages { row.languages = StoredJSON.encode(languages) }
        if let skills { row.skills = StoredJSON.encode(skills) }
        if let capacity = input.capacity { row.capacity = capacity }
        if let locale { row.locale = locale }
        if let role { row.role = role.rawValue }
        if let password = input.password { row.passwordHash = try await services.hasher.hash(password) }
        let (saved, presence) = (row, presenceChanged)
        try await services.persistence.transaction { db in
            try await saved.update(on: db)
            if presence { try await Presence.record(saved, on: db) }
        }
        // Someone online with room, or newly able to take a language or skill, may serve the queue now.
        if availability == .online || input.capacity != nil || languages != nil || skills != nil { services.queueDoorbell.ring() }
        return AgentView(row)
    }

    /// Trimmed, without duplicates (case-insensitively), each within `max` characters.
    static func tags(_ values: [String], field: String, max: Int, into validation: inout Validation) -> [String] {
        var seen = Set<String>()
        var kept: [String] = []
        for (index, raw) in values.enumerated() {
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, value.count <= max else {
                validation.fail("\(field)[\(index)]", "1 to \(max) characters / 应为 1 到 \(max) 个字符")
                continue
            }
            if seen.insert(value.lowercased()).inserted { kept.append(value) }
        }
        if kept.count > 50 { validation.fail(field, "at most 50 / 最多 50 个") }
        return kept
    }

    private func validatePassword(_ password: String, into validation: inout Validation) {
        if let problem = Password.problem(with: password) { validation.fail("password", problem) }
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> AgentRow {
        let id = try context.uuidParameter("id", what: "Agent")
        guard let row = try await AgentRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else {
            throw Problem.notFound("Agent")
        }
        return row
    }
}

struct TeamsController {
    let services: KefuServices

    struct Input: Decodable { let name: String?; let description: String?; let agentIds: [String]? }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<TeamView> {
        let agent = try context.requireAgent()
        let db = services.persistence.db
        let teams = try await TeamRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).sort(\.$name).all()
        let members = try await TeamMemberRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).all()
        let byTeam = Dictionary(grouping: members, by: \.teamID)
        return Page(items: teams.map { TeamView($0, agentIDs: (byTeam[$0.id!] ?? []).map(\.agentID)) }, nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> TeamView {
        let agent = try context.requireAgent()
        let team = try await find(context: context, in: agent.workspaceID)
        return TeamView(team, agentIDs: try await memberIDs(team.id!))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<TeamView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        let summary = validation.text(input.description, field: "description", max: 1_000)
        try validation.check()
        let agentIDs = try await WorkspaceAgents(persistence: services.persistence).resolve(input.agentIds ?? [], in: agent.workspaceID, field: "agentIds")
        if try await TeamRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).filter(\.$name == name!).first() != nil {
            throw Problem.conflict("A team with this name already exists. / 已有同名的团队。")
        }
        let team = TeamRow(workspaceID: agent.workspaceID, name: name!, summary: summary)
        try await services.persistence.transaction { db in
            try await team.create(on: db)
            for id in agentIDs { try await TeamMemberRow(workspaceID: agent.workspaceID, teamID: team.id!, agentID: id).create(on: db) }
        }
        return EditedResponse(status: .created, response: TeamView(team, agentIDs: agentIDs))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> TeamView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let team = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        let summary = validation.text(input.description, field: "description", max: 1_000)
        try validation.check()
        var agentIDs: [UUID]?
        if let raw = input.agentIds {
            agentIDs = try await WorkspaceAgents(persistence: services.persistence).resolve(raw, in: agent.workspaceID, field: "agentIds")
        }
        if let name, name != team.name,
           try await TeamRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).filter(\.$name == name).first() != nil {
            throw Problem.conflict("A team with this name already exists. / 已有同名的团队。")
        }
        let members = agentIDs
        try await services.persistence.transaction { db in
            if let name { team.name = name }
            if input.description != nil { team.summary = summary }
            try await team.update(on: db)
            if let agentIDs = members {
                try await TeamMemberRow.query(on: db).filter(\.$teamID == team.id!).delete()
                for id in agentIDs { try await TeamMemberRow(workspaceID: agent.workspaceID, teamID: team.id!, agentID: id).create(on: db) }
            }
        }
        return TeamView(team, agentIDs: try await memberIDs(team.id!))
    }

    private func memberIDs(_ teamID: UUID) async throws -> [UUID] {
        try await TeamMemberRow.query(on: services.persistence.db).filter(\.$teamID == teamID).all().map(\.agentID)
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> TeamRow {
        let id = try context.uuidParameter("id", what: "Team")
        guard let row = try await TeamRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else { throw Problem.notFound("Team") }
        return row
    }
}

/// Turns agent ids from a request into agents of the caller's workspace, or a 422.
struct WorkspaceAgents {
    let persistence: Persistence

    func resolve(_ raw: [String], in workspaceID: UUID, field: String) async throws -> [UUID] {
        guard raw.count <= 500 else { throw Problem.invalid([.init(field: field, detail: "at most 500 agents")]) }
        var ids: [UUID] = []
        for value in raw {
            guard let id = UUID(uuidString: value) else { throw Problem.invalid([.init(field: field, detail: "'\(value.prefix(64))' is not an agent id")]) }
            if !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else { return [] }
        let found = try await AgentRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).filter(\.$id ~~ ids).all().compactMap(\.id)
        let missing = ids.filter { !found.contains($0) }
        guard missing.isEmpty else {
            throw Problem.invalid([.init(field: field, detail: "no agent \(missing[0].uuidString) in this workspace")])
        }
        return ids
    }
}
