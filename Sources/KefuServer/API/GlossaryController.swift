import FluentKit
import Foundation
import Hummingbird
import KefuCore
import KefuText

/// The workspace's glossary: everyone reads it and the composer scans drafts against it;
/// owners and admins change it.
struct GlossaryController {
    let services: KefuServices

    struct Explanation: Decodable { let en: String?; let zhHans: String?
        enum CodingKeys: String, CodingKey { case en, zhHans = "zh-Hans" }
    }
    struct Input: Decodable { let key: String?; let terms: [String]?; let explanation: Explanation? }
    struct ScanInput: Decodable { let text: String? }
    struct List: ResponseCodable, Sendable { let items: [GlossaryTermView] }

    static let maxTerms = 20
    static let maxTerm = 60
    static let maxExplanation = 500
    static let maxEntries = 1_000

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post("scan", use: scan)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> List {
        let agent = try context.requireAgent()
        let rows = try await GlossaryTermRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID).sort(\.$key).all()
        return List(items: rows.map(GlossaryTermView.init))
    }

    /// The terms a draft uses, first use first: the composer offers their plain explanation.
    @Sendable func scan(_ request: Request, context: KefuRequestContext) async throws -> List {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(ScanInput.self, context: context)
        var validation = Validation()
        let text = validation.text(input.text, field: "text", max: Limits.messageText, required: true)
        try validation.check()
        let found = try await services.glossary.matcher(workspaceID: agent.workspaceID).entries(in: text!).map(\.key)
        let rows = try await GlossaryTermRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID).all()
        let byKey = Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        return List(items: found.compactMap { byKey[$0] }.map(GlossaryTermView.init))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<GlossaryTermView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        let row = GlossaryTermRow()
        row.id = TimeOrderedID.make()
        row.workspaceID = agent.workspaceID
        try apply(input, to: row, creating: true)
        let db = services.persistence.db
        if try await GlossaryTermRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).count() >= Self.maxEntries {
            throw Problem.conflict("This glossary has \(Self.maxEntries) terms; delete some first.")
        }
        if try await GlossaryTermRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$key == row.key).first() != nil {
            throw Problem.invalid([.init(field: "key", detail: "\(row.key) is in the glossary already / 术语已存在")])
        }
        try await row.create(on: db)
        services.glossary.forget(agent.workspaceID)
        return EditedResponse(status: .created, response: GlossaryTermView(row))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> GlossaryTermView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let row = try await find(context, agent: agent)
        let input = try await request.decodeJSON(Input.self, context: context)
        let key = row.key
        try apply(input, to: row, creating: false)
        row.key = key
        try await row.update(on: services.persistence.db)
        services.glossary.forget(agent.workspaceID)
        return GlossaryTermView(row)
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        try await find(context, agent: agent).delete(on: services.persistence.db)
        services.glossary.forget(agent.workspaceID)
        return Response(status: .noContent)
    }

    private func find(_ context: KefuRequestContext, agent: AgentPrincipal) async throws -> GlossaryTermRow {
        let id = try context.uuidParameter("id", what: "Glossary term")
        guard let row = try await GlossaryTermRow.find(id, on: services.persistence.reader), row.workspaceID == agent.workspaceID else {
            throw Problem.notFound("Glossary term")
        }
        return row
    }

    private func apply(_ input: Input, to row: GlossaryTermRow, creating: Bool) throws {
        var validation = Validation()
        if creating || input.terms != nil {
            let terms = (input.terms ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if terms.isEmpty || terms.count > Self.maxTerms || terms.contains(where: { $0.count > Self.maxTerm }) {
                validation.fail("terms", "1 to 20 spellings of at most 60 characters, English and Chinese / 1 到 20 种写法，每种不超过 60 个字符")
            } else {
                row.termsJSON = StoredJSON.encode(terms)
                if creating { row.key = input.key.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : String($0.prefix(Self.maxTerm)) } ?? terms[0].lowercased() }
            }
        }
        if creating || input.explanation != nil {
            if let en = validation.text(input.explanation?.en, field: "explanation.en", max: Self.maxExplanation, required: true) { row.explainEnglish = en }
            if let zh = validation.text(input.explanation?.zhHans, field: "explanation.zh-Hans", max: Self.maxExplanation, required: true) { row.explainChinese = zh }
        }
        try validation.check()
        row.updatedMillis = Date().millisSince1970
    }
}
