import FluentKit
import Foundation
import Hummingbird

/// Help-center categories. Every agent may create and edit them; only owners and admins
/// delete one, because that leaves its articles without a category.
struct CategoriesController {
    let services: KefuServices

    struct Input: Decodable {
        let name: String?
        let slug: String?
        let description: Patch<String>
        let locale: String?
        let position: Int?

        enum CodingKeys: String, CodingKey { case name, slug, description, locale, position }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            slug = try c.decodeIfPresent(String.self, forKey: .slug)
            description = try c.decodePatch(String.self, forKey: .description)
            locale = try c.decodeIfPresent(String.self, forKey: .locale)
            position = try c.decodeIfPresent(Int.self, forKey: .position)
        }
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    /// By locale, then position, then name; `?locale=` keeps to one language.
    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<CategoryView> {
        let agent = try context.requireAgent()
        var query = CategoryRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID)
        if let raw = request.uri.formParameters["locale"].map(String.init), !raw.isEmpty {
            guard let locale = ArticleLocale(rawValue: raw) else { throw Problem.badRequest("locale must be one of en, zh-Hans.") }
            query = query.filter(\.$locale == locale.rawValue)
        }
        let rows = try await query.sort(\.$locale).sort(\.$position).sort(\.$name).sort(\.$id).all()
        return Page(items: rows.map(CategoryView.init), nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> CategoryView {
        let agent = try context.requireAgent()
        return CategoryView(try await find(context: context, in: agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<CategoryView> {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: ArticleLimits.categoryName, required: true)
        let locale = validation.enumValue(input.locale ?? ArticleLocale.en.rawValue, as: ArticleLocale.self, field: "locale")
        let summary = description(input.description, into: &validation)
        let position = self.position(input.position, into: &validation) ?? 0
        let id = TimeOrderedID.make()
        var slug: String?
        if let raw = input.slug {
            if Slug.isValid(raw) { slug = raw } else { validation.fail("slug", "must be 1 to \(ArticleLimits.slug) lower-case letters, digits and single hyphens") }
        } else if let name {
            slug = Slug.make(from: name, fallback: "category-" + id.uuidString.suffix(8).lowercased())
        }
        try validation.check()
        try await requireFreeSlug(slug!, locale: locale!.rawValue, workspaceID: agent.workspaceID, except: nil)
        let row = CategoryRow(id: id, workspaceID: agent.workspaceID, name: name!, slug: slug!, summary: summary ?? nil,
                              locale: locale!.rawValue, position: position)
        try await row.create(on: services.persistence.db)
        return EditedResponse(status: .created, response: CategoryView(row))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> CategoryView {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = input.name == nil ? nil : validation.text(input.name, field: "name", max: ArticleLimits.categoryName, required: true)
        let locale = validation.enumValue(input.locale, as: ArticleLocale.self, field: "locale")
        let summary = description(input.description, into: &validation)
        let position = self.position(input.position, into: &validation)
        if let slug = input.slug, !Slug.isValid(slug) {
            validation.fail("slug", "must be 1 to \(ArticleLimits.slug) lower-case letters, digits and single hyphens")
        }
        try validation.check()
        if let name { row.name = name }
        if let locale { row.locale = locale.rawValue }
        if let summary { row.summary = summary }
        if let position { row.position = position }
        if let slug = input.slug { row.slug = slug }
        if input.slug != nil || locale != nil {
            try await requireFreeSlug(row.slug, locale: row.locale, workspaceID: agent.workspaceID, except: row.id)
        }
        row.updatedMillis = Date().millisSince1970
        try await row.save(on: services.persistence.db)
        return CategoryView(row)
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let row = try await find(context: context, in: agent.workspaceID)
        let categoryID = row.id!
        try await services.persistence.transaction { db in
            try await ArticleRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$categoryID == categoryID)
                .set(\.$categoryID, to: nil).update()
            try await row.delete(on: db)
        }
        // Category ids are part of what the index hands back; a rebuild drops the stale one.
        await services.knowledgeBase.invalidate(workspaceID: agent.workspaceID)
        return .noContent
    }

    private func description(_ patch: Patch<String>, into validation: inout Validation) -> String?? {
        switch patch {
        case .absent: return nil
        case .null: return .some(nil)
        case .value(let raw): return .some(validation.text(raw, field: "description", max: ArticleLimits.categoryDescription))
        }
    }

    private func position(_ value: Int?, into validation: inout Validation) -> Int? {
        guard let value else { return nil }
        guard (0...ArticleLimits.position).contains(value) else {
            validation.fail("position", "must be a whole number from 0 to \(ArticleLimits.position)")
            return nil
        }
        return value
    }

    private func requireFreeSlug(_ slug: String, locale: String, workspaceID: UUID, except id: UUID?) async throws {
        var query = CategoryRow.query(on: services.persistence.db).filter(\.$workspaceID == workspaceID)
            .filter(\.$locale == locale).filter(\.$slug == slug)
        if let id { query = query.filter(\.$id != id) }
        if try await query.first() != nil {
            throw Problem.conflict("A category with the slug '\(slug)' already exists in \(locale).")
        }
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> CategoryRow {
        let id = try context.uuidParameter("id", what: "Category")
        guard let row = try await CategoryRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else {
            throw Problem.notFound("Category")
        }
        return row
    }
}
