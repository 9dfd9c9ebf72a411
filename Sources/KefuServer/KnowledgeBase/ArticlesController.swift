import FluentKit
import Foundation
import Hummingbird
import KefuText

/// Articles as agents write them: drafts, publishing, revisions and translations. Every
/// agent of the workspace may edit; every save keeps a revision.
struct ArticlesController {
    let services: KefuServices

    struct Input: Decodable {
        let title: String?
        let slug: String?
        let bodyMarkdown: String?
        let locale: String?
        let categoryId: Patch<String>
        let translationOfId: String?
        let questions: [String]?
        let status: String?

        enum CodingKeys: String, CodingKey { case title, slug, bodyMarkdown, locale, categoryId, translationOfId, questions, status }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            slug = try c.decodeIfPresent(String.self, forKey: .slug)
            bodyMarkdown = try c.decodeIfPresent(String.self, forKey: .bodyMarkdown)
            locale = try c.decodeIfPresent(String.self, forKey: .locale)
            categoryId = try c.decodePatch(String.self, forKey: .categoryId)
            translationOfId = try c.decodeIfPresent(String.self, forKey: .translationOfId)
            questions = try c.decodeIfPresent([String].self, forKey: .questions)
            status = try c.decodeIfPresent(String.self, forKey: .status)
        }
    }

    struct PreviewInput: Decodable { let bodyMarkdown: String }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post("preview", use: preview)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.get(":id/revisions", use: revisions)
        group.get(":id/translations", use: translations)
        group.post(":id/publish", use: publish)
        group.post(":id/unpublish", use: unpublish)
    }

    /// Most recently edited first; `locale`, `status` and `categoryId` narrow the list, and `q`
    /// ranks drafts and published articles alike by relevance (one page, no cursor).
    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<ArticleView> {
        let agent = try context.requireAgent()
        let page = try PageRequest(request)
        let params = request.uri.formParameters
        let db = services.persistence.db
        var query = ArticleRow.query(on: db).filter(\.$workspaceID == agent.workspaceID)
        if let raw = params["locale"].map(String.init), !raw.isEmpty {
            guard let locale = ArticleLocale(rawValue: raw) else { throw Problem.badRequest("locale must be one of en, zh-Hans.") }
            query = query.filter(\.$locale == locale.rawValue)
        }
        if let raw = params["status"].map(String.init), !raw.isEmpty {
            guard let status = ArticleStatus(rawValue: raw) else { throw Problem.badRequest("status must be one of draft, published.") }
            query = query.filter(\.$status == status.rawValue)
        }
        if let raw = params["categoryId"].map(String.init), !raw.isEmpty {
            if raw == "none" {
                query = query.filter(\.$categoryID == nil)
            } else {
                guard let id = UUID(uuidString: raw) else { throw Problem.badRequest("categoryId must be an id or none.") }
                query = query.filter(\.$categoryID == id)
            }
        }
        let slug = try await workspaceSlug(agent.workspaceID)
        if let text = try request.queryText("q", max: ArticleLimits.searchQuery) {
            // A throwaway index over the candidates: the same ranking as the help center,
            // with drafts included, and small enough to build per request.
            let rows = try await query.limit(2000).all()
            var index = SearchIndex()
            var byID: [String: ArticleRow] = [:]
            for row in rows {
                byID[row.id!.uuidString] = row
                index.upsert(id: row.id!.uuidString, title: row.title,
                             body: Markdown.plainText(row.bodyMarkdown) + "\n" + row.questionList.joined(separator: "\n"), locale: row.locale)
            }
            let hits = index.search(text, limit: page.limit)
            return Page(items: hits.compactMap { byID[$0.id] }.map { ArticleView($0, workspaceSlug: slug) }, nextCursor: nil)
        }
        if let cursor = page.cursor {
            let parts = try Cursor.decode(cursor, parts: 2)
            guard let millis = Int64(parts[0]), let id = UUID(uuidString: parts[1]) else { throw Problem.badRequest("cursor is not one this server handed out.") }
            query = query.group(.or) { group in
                group.filter(\.$updatedMillis < millis)
                group.group(.and) { same in
                    same.filter(\.$updatedMillis == millis)
                    same.filter(\.$id < id)
                }
            }
        }
        let rows = try await query.sort(\.$updatedMillis, .descending).sort(\.$id, .descending).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit)
        let next = rows.count > page.limit ? items.last.map { Cursor.encode([String($0.updatedMillis), $0.id!.uuidString]) } : nil
        return Page(items: items.map { ArticleView($0, workspaceSlug: slug) }, nextCursor: next)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ArticleView {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        return ArticleView(row, workspaceSlug: try await workspaceSlug(agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<ArticleView> {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let title = validation.text(input.title, field: "title", max: ArticleLimits.title, required: true)
        let body = self.body(input.bodyMarkdown, into: &validation) ?? ""
        let locale = validation.enumValue(input.locale ?? ArticleLocale.en.rawValue, as: ArticleLocale.self, field: "locale")
        let status = validation.enumValue(input.status ?? ArticleStatus.draft.rawValue, as: ArticleStatus.self, field: "status")
        let questions = self.questions(input.questions, into: &validation) ?? []
        let category = try await self.category(input.categoryId, locale: locale, workspaceID: agent.workspaceID, into: &validation)
        var group = TimeOrderedID.make()
        if let raw = input.translationOfId {
            if let id = UUID(uuidString: raw), let original = try await ArticleRow.find(id, on: services.persistence.db),
               original.workspaceID == agent.workspaceID {
                group = original.translationGroup
            } else {
                validation.fail("translationOfId", "no such article in this workspace")
            }
        }
        let id = TimeOrderedID.make()
        var slug: String?
        if let raw = input.slug {
            if Slug.isValid(raw) { slug = raw } else { validation.fail("slug", Self.slugRule) }
        } else if let title {
            slug = Slug.make(from: title, fallback: "article-" + id.uuidString.suffix(8).lowercased())
        }
        try validation.check()
        let row = ArticleRow(id: id, workspaceID: agent.workspaceID, title: title!, slug: slug!, bodyMarkdown: body,
                             locale: locale!.rawValue, translationGroup: group, authorID: agent.agentID)
        if case .value(let categoryID)? = category { row.categoryID = categoryID }
        row.questionList = questions
        if status == .published { row.status = ArticleStatus.published.rawValue; row.publishedMillis = row.createdMillis }
        try await requireUnique(row)
        try await services.persistence.transaction { db in
            try await row.create(on: db)
            try await ArticleRevisionRow(of: row, authorID: agent.agentID).create(on: db)
        }
        await services.knowledgeBase.articleSaved(row)
        return EditedResponse(status: .created, response: ArticleView(row, workspaceSlug: try await workspaceSlug(agent.workspaceID)))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> ArticleView {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let title = input.title == nil ? nil : validation.text(input.title, field: "title", max: ArticleLimits.title, required: true)
        let body = self.body(input.bodyMarkdown, into: &validation)
        let locale = validation.enumValue(input.locale, as: ArticleLocale.self, field: "locale")
        let questions = self.questions(input.questions, into: &validation)
        if input.status != nil { validation.fail("status", "publish or unpublish with POST /api/v1/articles/{id}/publish or /unpublish") }
        if input.translationOfId != nil { validation.fail("translationOfId", "is set when the translation is created") }
        if let slug = input.slug, !Slug.isValid(slug) { validation.fail("slug", Self.slugRule) }
        let category = try await self.category(input.categoryId, locale: locale ?? ArticleLocale(rawValue: row.locale),
                                               workspaceID: agent.workspaceID, into: &validation)
        try validation.check()
        let contentChanged = (title != nil && title != row.title) || (body != nil && body != row.bodyMarkdown)
        if let title { row.title = title }
        if let body { row.bodyMarkdown = body }
        if let locale { row.locale = locale.rawValue }
        if let questions { row.questionList = questions }
        if let slug = input.slug { row.slug = slug }
        switch category {
        case .value(let id)?: row.categoryID = id
        case .null?: row.categoryID = nil
        default: break
        }
        row.updatedMillis = max(Date().millisSince1970, row.updatedMillis + 1)
        if input.slug != nil || locale != nil { try await requireUnique(row) }
        try await services.persistence.transaction { db in
            try await row.save(on: db)
            if contentChanged { try await ArticleRevisionRow(of: row, authorID: agent.agentID).create(on: db) }
        }
        await services.knowledgeBase.articleSaved(row)
        return ArticleView(row, workspaceSlug: try await workspaceSlug(agent.workspaceID))
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        let id = row.id!
        try await services.persistence.transaction { db in
            try await ArticleVoteRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$articleID == id).delete()
            try await ArticleRevisionRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$articleID == id).delete()
            try await row.delete(on: db)
        }
        await services.knowledgeBase.articleDeleted(id, workspaceID: agent.workspaceID)
        return .noContent
    }

    @Sendable func publish(_ request: Request, context: KefuRequestContext) async throws -> ArticleView {
        try await setStatus(.published, context: context)
    }

    @Sendable func unpublish(_ request: Request, context: KefuRequestContext) async throws -> ArticleView {
        try await setStatus(.draft, context: context)
    }

    /// Newest first.
    @Sendable func revisions(_ request: Request, context: KefuRequestContext) async throws -> Page<ArticleRevisionView> {
        let agent = try context.requireAgent()
        let article = try await find(context: context, in: agent.workspaceID)
        let page = try PageRequest(request)
        var query = ArticleRevisionRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$articleID == article.id!)
        if let cursor = page.cursor { query = query.filter(\.$id < (try Cursor.id(cursor))) }
        let rows = try await query.sort(\.$id, .descending).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map(ArticleRevisionView.init)
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }

    /// The same article in the other languages.
    @Sendable func translations(_ request: Request, context: KefuRequestContext) async throws -> Page<ArticleView> {
        let agent = try context.requireAgent()
        let article = try await find(context: context, in: agent.workspaceID)
        let rows = try await ArticleRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$translationGroup == article.translationGroup).filter(\.$id != article.id!).sort(\.$locale).all()
        let slug = try await workspaceSlug(agent.workspaceID)
        return Page(items: rows.map { ArticleView($0, workspaceSlug: slug) }, nextCursor: nil)
    }

    /// The body as the help center will show it, so the editor's preview is the real thing.
    @Sendable func preview(_ request: Request, context: KefuRequestContext) async throws -> ArticlePreview {
        _ = try context.requireAgent()
        let input = try await request.decodeJSON(PreviewInput.self, context: context)
        var validation = Validation()
        _ = body(input.bodyMarkdown, into: &validation)
        try validation.check()
        return ArticlePreview(html: Markdown.html(input.bodyMarkdown), plainText: Markdown.plainText(input.bodyMarkdown))
    }

    // MARK: - Helpers

    static let slugRule = "must be 1 to \(ArticleLimits.slug) lower-case letters, digits and single hyphens"

    private func setStatus(_ status: ArticleStatus, context: KefuRequestContext) async throws -> ArticleView {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        let now = max(Date().millisSince1970, row.updatedMillis + 1)
        row.status = status.rawValue
        row.updatedMillis = now
        if status == .published { row.publishedMillis = now }
        try await row.save(on: services.persistence.db)
        await services.knowledgeBase.articleSaved(row)
        return ArticleView(row, workspaceSlug: try await workspaceSlug(agent.workspaceID))
    }

    private func body(_ raw: String?, into validation: inout Validation) -> String? {
        guard let raw else { return nil }
        if raw.count > ArticleLimits.body { validation.fail("bodyMarkdown", "must be at most \(ArticleLimits.body) characters"); return nil }
        if raw.unicodeScalars.contains(where: { $0.value == 0 }) { validation.fail("bodyMarkdown", "must not contain NUL characters"); return nil }
        return raw
    }

    private func questions(_ raw: [String]?, into validation: inout Validation) -> [String]? {
        guard let raw else { return nil }
        if raw.count > ArticleLimits.questions { validation.fail("questions", "at most \(ArticleLimits.questions) questions"); return nil }
        var cleaned: [String] = []
        for (index, question) in raw.enumerated() {
            if let text = validation.text(question, field: "questions[\(index)]", max: ArticleLimits.question, required: true),
               !cleaned.contains(text) {
                cleaned.append(text)
            }
        }
        return cleaned
    }

    private func category(_ patch: Patch<String>, locale: ArticleLocale?, workspaceID: UUID,
                          into validation: inout Validation) async throws -> Patch<UUID>? {
        switch patch {
        case .absent: return nil
        case .null: return .null
        case .value(let raw):
            guard let id = UUID(uuidString: raw), let category = try await CategoryRow.find(id, on: services.persistence.db),
                  category.workspaceID == workspaceID else {
                validation.fail("categoryId", "no such category in this workspace")
                return nil
            }
            if let locale, category.locale != locale.rawValue {
                validation.fail("categoryId", "the category is for \(category.locale), the article is in \(locale.rawValue)")
            }
            return .value(id)
        }
    }

    /// One slug per language, and one article per language in each translation group.
    private func requireUnique(_ row: ArticleRow) async throws {
        let db = services.persistence.db
        var sameSlug = ArticleRow.query(on: db).filter(\.$workspaceID == row.workspaceID).filter(\.$locale == row.locale)
            .filter(\.$slug == row.slug)
        var sameGroup = ArticleRow.query(on: db).filter(\.$workspaceID == row.workspaceID).filter(\.$locale == row.locale)
            .filter(\.$translationGroup == row.translationGroup)
        if let id = row.id, try await ArticleRow.find(id, on: db) != nil {
            sameSlug = sameSlug.filter(\.$id != id)
            sameGroup = sameGroup.filter(\.$id != id)
        }
        if try await sameSlug.first() != nil {
            throw Problem.conflict("An article with the slug '\(row.slug)' already exists in \(row.locale).")
        }
        if try await sameGroup.first() != nil {
            throw Problem.conflict("This article already has a translation in \(row.locale).")
        }
    }

    private func workspaceSlug(_ workspaceID: UUID) async throws -> String {
        try await WorkspaceRow.find(workspaceID, on: services.persistence.db)?.slug ?? ""
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> ArticleRow {
        let id = try context.uuidParameter("id", what: "Article")
        guard let row = try await ArticleRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else {
            throw Problem.notFound("Article")
        }
        return row
    }
}
