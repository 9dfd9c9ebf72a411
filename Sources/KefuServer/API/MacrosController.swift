import FluentKit
import Foundation
import Hummingbird
import KefuCore

/// Macros: each agent's own, their teams' and the workspace's; previewed on a conversation,
/// then applied to it in one click.
struct MacrosController {
    let services: KefuServices

    struct Input: Decodable {
        let name: String?
        let actions: [MacroAction]?
        let scope: String?
        let teamId: String?
    }
    struct Target: Decodable { let conversationId: String? }
    struct List: ResponseCodable, Sendable { let items: [MacroView] }

    var desk: MacroDesk { services.macros }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/preview", use: preview)
        group.post(":id/apply", use: apply)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> List {
        let agent = try context.requireAgent()
        let db = services.persistence.reader
        var rows = try await desk.visible(to: agent, on: db)
        if let q = request.uri.formParameters["q"].map({ String($0).lowercased() }), !q.isEmpty {
            rows = rows.filter { $0.name.lowercased().contains(q) }
        }
        let stats = try await CannedReplies.satisfaction(of: rows.compactMap(\.id), workspaceID: agent.workspaceID, kind: .macroApplied, key: "macroId", on: db)
        return List(items: rows.map(MacroView.init).rated(stats))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<MacroView> {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(Input.self, context: context)
        let row = MacroRow.new(by: agent)
        try await apply(input, to: row, by: agent, creating: true)
        try await row.create(limit: MacroDesk.maxPerWorkspace, plural: "macros", persistence: services.persistence)
        return EditedResponse(status: .created, response: MacroView(row))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> MacroView {
        let agent = try context.requireAgent()
        let row = try await editable(context, agent: agent)
        let input = try await request.decodeJSON(Input.self, context: context)
        try await apply(input, to: row, by: agent, creating: false)
        try await row.update(on: services.persistence.db)
        return MacroView(row)
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        try await editable(context, agent: agent).delete(on: services.persistence.db)
        return Response(status: .noContent)
    }

    /// What the macro would send and change on one conversation; nothing is written.
    @Sendable func preview(_ request: Request, context: KefuRequestContext) async throws -> MacroPreview {
        let agent = try context.requireAgent()
        let row = try await usable(context, agent: agent)
        return try await desk.preview(row, conversationID: try await target(request, context: context), by: agent)
    }

    @Sendable func apply(_ request: Request, context: KefuRequestContext) async throws -> ConversationView {
        let agent = try context.requireAgent()
        let row = try await usable(context, agent: agent)
        return try await desk.apply(row, conversationID: try await target(request, context: context), by: agent)
    }

    // MARK: rules

    private func target(_ request: Request, context: KefuRequestContext) async throws -> UUID {
        let input = try await request.decodeJSON(Target.self, context: context)
        guard let id = input.conversationId.flatMap(UUID.init(uuidString:)) else {
            throw Problem.invalid([.init(field: "conversationId", detail: "the conversation to apply it to / 要应用的会话")])
        }
        return id
    }

    private func apply(_ input: Input, to row: MacroRow, by agent: AgentPrincipal, creating: Bool) async throws {
        var validation = Validation()
        if creating || input.name != nil {
            if let name = validation.text(input.name, field: "name", max: MacroPlan.maxName, required: true) { row.name = name }
        }
        if creating || input.scope != nil {
            row.share(try await Sharing.requested(scope: input.scope, teamID: input.teamId, current: creating ? nil : row.sharing, by: agent,
                                                  into: &validation, on: services.persistence.reader))
        }
        if creating || input.actions != nil {
            let (actions, problems) = try await desk.checked(input.actions ?? [], sharing: row.sharing, by: agent)
            for problem in problems { validation.fail(problem.field, problem.detail) }
            row.actionsJSON = StoredJSON.encode(actions)
        } else if input.scope != nil {
            // A macro shared more widely must still only send replies its new users can see.
            let (_, problems) = try await desk.checked(row.actions, sharing: row.sharing, by: agent)
            for problem in problems { validation.fail(problem.field, problem.detail) }
        }
        try validation.check()
        let others = try await MacroRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$name == row.name).all().filter { $0.id != row.id && ($0.sharing.scope != .personal || $0.ownerID == agent.agentID) }
        if !others.isEmpty {
            throw Problem.invalid([.init(field: "name", detail: "a macro named \(row.name) exists / 已有同名的宏")])
        }
        row.updatedMillis = Date().millisSince1970
    }

    private func editable(_ context: KefuRequestContext, agent: AgentPrincipal) async throws -> MacroRow {
        let row = try await usable(context, agent: agent)
        guard row.sharing.isEditable(by: agent) else { throw Problem.forbidden("Only owners and admins change shared macros.") }
        return row
    }

    private func usable(_ context: KefuRequestContext, agent: AgentPrincipal) async throws -> MacroRow {
        let id = try context.uuidParameter("id", what: "Macro")
        guard let row = try await desk.visible(to: agent, on: services.persistence.reader).first(where: { $0.id == id }) else {
            throw Problem.notFound("Macro")
        }
        return row
    }
}
