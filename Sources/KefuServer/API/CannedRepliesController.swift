import FluentKit
import Foundation
import Hummingbird
import KefuCore
import SQLKit

/// Canned replies: each agent's own, their teams' and the workspace's, with a body per
/// language, filled for one conversation when used. The reply guard reads them when they
/// are saved, so none can ask a customer for a secret or link to an unofficial domain.
struct CannedRepliesController {
    let services: KefuServices

    struct Bodies: Decodable { let en: String?; let zhHans: String?
        enum CodingKeys: String, CodingKey { case en, zhHans = "zh-Hans" }
    }
    struct Input: Decodable {
        let shortcut: String?
        let title: String?
        let body: Bodies?
        let scope: String?
        let teamId: String?
    }
    struct RenderInput: Decodable { let conversationId: String? }
    struct Rendered: ResponseCodable, Sendable { let text: String; let language: String; let cannedReplyId: UUID }
    struct List: ResponseCodable, Sendable { let items: [CannedReplyView] }

    static let maxShortcut = 40
    static let maxTitle = 200
    static let maxPerWorkspace = 2_000

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/render", use: render)
    }

    /// Those the agent may use: their own, their teams', the workspace's; `q` matches the
    /// shortcut or the title.
    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> List {
        let agent = try context.requireAgent()
        let db = services.persistence.reader
        var rows = try await CannedReplies.visible(to: agent, on: db)
        if let q = request.uri.formParameters["q"].map({ String($0).lowercased() }), !q.isEmpty {
            rows = rows.filter { $0.shortcut.lowercased().contains(q) || $0.title.lowercased().contains(q) }
        }
        let stats = try await CannedReplies.satisfaction(of: rows.compactMap(\.id), workspaceID: agent.workspaceID, on: db)
        return List(items: rows.map(CannedReplyView.init).rated(stats))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<CannedReplyView> {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(Input.self, context: context)
        let row = CannedReplyRow.new(by: agent)
        try await apply(input, to: row, by: agent, creating: true)
        try await row.create(limit: Self.maxPerWorkspace, plural: "canned replies", persistence: services.persistence)
        return EditedResponse(status: .created, response: CannedReplyView(row))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> CannedReplyView {
        let agent = try context.requireAgent()
        let row = try await editable(context, agent: agent)
        let input = try await request.decodeJSON(Input.self, context: context)
        try await apply(input, to: row, by: agent, creating: false)
        try await row.update(on: services.persistence.db)
        return CannedReplyView(row)
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        try await editable(context, agent: agent).delete(on: services.persistence.db)
        return Response(status: .noContent)
    }

    /// The reply filled for one conversation, in its customer's language.
    @Sendable func render(_ request: Request, context: KefuRequestContext) async throws -> Rendered {
        let agent = try context.requireAgent()
        let row = try await usable(context, agent: agent)
        let input = try await request.decodeJSON(RenderInput.self, context: context)
        guard let id = input.conversationId.flatMap(UUID.init(uuidString:)) else {
            throw Problem.invalid([.init(field: "conversationId", detail: "the conversation it is used in / 使用该回复的会话")])
        }
        let db = services.persistence.reader
        guard let conversation = try await ConversationRepository().find(id, workspaceID: agent.workspaceID, on: db) else { throw Problem.notFound("Conversation") }
        let (text, chinese) = try await CannedReplies.fill(row, for: conversation, by: agent, on: db)
        return Rendered(text: text, language: chinese ? "zh-Hans" : "en", cannedReplyId: row.id!)
    }

    // MARK: rules

    private func apply(_ input: Input, to row: CannedReplyRow, by agent: AgentPrincipal, creating: Bool) async throws {
        var validation = Validation()
        if creating || input.shortcut != nil {
            let shortcut = (input.shortcut ?? "").trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if shortcut.isEmpty || shortcut.count > Self.maxShortcut || !shortcut.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) {
                validation.fail("shortcut", "1 to 40 letters, digits, - or _, typed after / in the composer / 1 到 40 个字母、数字、- 或 _，在输入框中输入 / 后使用")
            } else { row.shortcut = shortcut }
        }
        if creating || input.title != nil {
            if let title = validation.text(input.title, field: "title", max: Self.maxTitle, required: true) { row.title = title }
        }
        if creating || input.body != nil {
            let english = validation.text(input.body?.en, field: "body.en", max: Limits.messageText)
            let chinese = validation.text(input.body?.zhHans, field: "body.zh-Hans", max: Limits.messageText)
            if english == nil && chinese == nil { validation.fail("body", "a body in English, Chinese or both / 请至少填写英文或中文内容之一") }
            for (field, text) in [("body.en", english), ("body.zh-Hans", chinese)] {
                guard let text else { continue }
                let unknown = CannedReplyTemplate.unknownVariables(in: text)
                if !unknown.isEmpty {
                    validation.fail(field, "unknown variables \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")); known: \(CannedReplyTemplate.variables.map { "{{\($0)}}" }.joined(separator: ", ")) / 未知变量")
                }
                for problem in try await services.pipeline.replyGuard.problems(in: text, workspaceID: agent.workspaceID, isPrivate: false) {
                    validation.fail(field, problem)
                }
            }
            row.bodyEnglish = english
            row.bodyChinese = chinese
        }
        if creating || input.scope != nil {
            row.share(try await Sharing.requested(scope: input.scope, teamID: input.teamId, current: creating ? nil : row.sharing, by: agent,
                                                  into: &validation, on: services.persistence.reader))
        }
        try validation.check()
        let others = try await CannedReplyRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$shortcut == row.shortcut).all().filter { $0.id != row.id && ($0.scope != .personal || $0.ownerID == agent.agentID) }
        if !others.isEmpty {
            throw Problem.invalid([.init(field: "shortcut", detail: "/\(row.shortcut) is taken / 快捷词 /\(row.shortcut) 已被使用")])
        }
        row.updatedMillis = Date().millisSince1970
    }

    /// A reply the agent may change: their own personal ones; shared ones for owners and admins.
    private func editable(_ context: KefuRequestContext, agent: AgentPrincipal) async throws -> CannedReplyRow {
        let row = try await usable(context, agent: agent)
        guard row.sharing.isEditable(by: agent) else {
            throw Problem.forbidden("Only owners and admins change shared canned replies.")
        }
        return row
    }

    private func usable(_ context: KefuRequestContext, agent: AgentPrincipal) async throws -> CannedReplyRow {
        let id = try context.uuidParameter("id", what: "Canned reply")
        guard let row = try await CannedReplies.visible(to: agent, on: services.persistence.reader).first(where: { $0.id == id }) else {
            throw Problem.notFound("Canned reply")
        }
        return row
    }
}

/// The canned replies an agent sees, and what their use earned.
enum CannedReplies {
    static func visible(to agent: AgentPrincipal, on db: any Database) async throws -> [CannedReplyRow] {
        let teams = try await Sharing.teams(of: agent, on: db)
        return try await CannedReplyRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).sort(\.$shortcut).limit(CannedRepliesController.maxPerWorkspace).all()
            .filter { $0.sharing.isVisible(to: agent, teams: teams) }
    }

    /// The reply's body in the conversation's customer's language, its variables filled;
    /// and whether that language is Chinese.
    static func fill(_ row: CannedReplyRow, for conversation: ConversationRecord, by agent: AgentPrincipal, on db: any Database) async throws -> (String, Bool) {
        let contact = try await ContactRow.find(conversation.contactID, on: db)
        let chinese = try await conversation.answersInChinese(on: db)
        let me = try await AgentRow.find(agent.agentID, on: db)
        let workspace = try await WorkspaceRow.find(agent.workspaceID, on: db)
        let values = ["contact.name": contact?.name ?? "", "contact.email": contact?.email ?? "", "conversation.number": String(conversation.number),
                      "agent.name": me?.name ?? "", "workspace.name": workspace?.name ?? ""]
        let fallbacks = ["contact.name": chinese ? "您" : "there", "contact.email": "", "agent.name": "", "workspace.name": ""]
        return (CannedReplyTemplate.render(row.body(chinese: chinese) ?? "", values: values, fallbacks: fallbacks), chinese)
    }

    /// Per reply (or macro: `kind` and `key` name the event that records a use): ratings of
    /// the conversations it was used in, and how many were 4 or 5.
    static func satisfaction(of ids: [UUID], workspaceID: UUID, kind: ConversationEventKind = .cannedReplyUsed, key: String = "cannedReplyId",
                             on db: any Database) async throws -> [UUID: (Int, Int)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT e.data AS data, s.id AS survey, s.rating AS rating FROM conversation_events e JOIN csat_surveys s ON s.conversation_id = e.conversation_id
            WHERE e.workspace_id = \(bind: workspaceID) AND e.kind = \(bind: kind.rawValue) AND s.rating IS NOT NULL
            """).all()
        // One rating counts once per reply, however often the reply was used in its conversation.
        var seen = Set<String>()
        var result: [UUID: (Int, Int)] = [:]
        for row in rows {
            let data = StoredJSON.decode([String: String].self, from: try row.decode(column: "data", as: String.self), default: [:])
            guard let id = data[key].flatMap(UUID.init(uuidString:)), ids.contains(id) else { continue }
            let survey = try row.decode(column: "survey", as: UUID.self)
            guard seen.insert(id.uuidString + survey.uuidString).inserted else { continue }
            let rating = try row.decode(column: "rating", as: Int.self)
            var entry = result[id] ?? (0, 0)
            entry.0 += 1
            if rating >= 4 { entry.1 += 1 }
            result[id] = entry
        }
        return result
    }
}
