import FluentKit
import Foundation
import SQLKit

/// Categories, articles, their revisions and the public's votes on them.
struct CreateKnowledgeBaseSchema: AsyncMigration {
    var name: String { "0002_knowledge_base" }

    func prepare(on database: any Database) async throws {
        try await database.schema("categories")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("description", .string)
            .field("locale", .string, .required)
            .field("position", .int, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "workspace_id", "locale", "slug")
            .create()
        try await database.schema("articles")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("category_id", .uuid, .references("categories", "id"))
            .field("title", .string, .required)
            .field("slug", .string, .required)
            .field("body_markdown", .string, .required)
            .field("locale", .string, .required)
            .field("translation_group", .uuid, .required)
            .field("status", .string, .required)
            .field("questions", .string, .required)
            .field("author_id", .uuid, .references("agents", "id"))
            .field("published_ms", .int64)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .field("helpful_count", .int, .required)
            .field("not_helpful_count", .int, .required)
            .unique(on: "workspace_id", "locale", "slug")
            .create()
        try await database.schema("article_revisions")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("article_id", .uuid, .required, .references("articles", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("author_id", .uuid, .references("agents", "id"))
            .field("created_ms", .int64, .required)
            .create()
        try await database.schema("article_votes")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("article_id", .uuid, .required, .references("articles", "id", onDelete: .cascade))
            .field("helpful", .bool, .required)
            .field("fingerprint", .string, .required)
            .field("created_ms", .int64, .required)
            .unique(on: "article_id", "fingerprint")
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        let indexes: [(String, String, [String])] = [
            ("idx_articles_list", "articles", ["workspace_id", "updated_ms"]),
            ("idx_articles_group", "articles", ["workspace_id", "translation_group"]),
            ("idx_articles_status", "articles", ["workspace_id", "status", "locale"]),
            ("idx_revisions_article", "article_revisions", ["article_id", "id"]),
            ("idx_categories_workspace", "categories", ["workspace_id", "locale", "position"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["article_votes", "article_revisions", "articles", "categories"] {
            try await database.schema(table).delete()
        }
    }
}

// The `@unchecked Sendable` below rests on the same ground as in Models.swift: each
// instance lives within one request or one job and is never shared between tasks.

final class CategoryRow: Model, @unchecked Sendable {
    static let schema = "categories"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @OptionalField(key: "description") var summary: String?
    @Field(key: "locale") var locale: String
    @Field(key: "position") var position: Int
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, name: String, slug: String, summary: String?, locale: String, position: Int) {
        let now = Date().millisSince1970
        self.id = id; self.workspaceID = workspaceID; self.name = name; self.slug = slug; self.summary = summary
        self.locale = locale; self.position = position; self.createdMillis = now; self.updatedMillis = now
    }
}

final class ArticleRow: Model, @unchecked Sendable {
    static let schema = "articles"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @OptionalField(key: "category_id") var categoryID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "slug") var slug: String
    @Field(key: "body_markdown") var bodyMarkdown: String
    @Field(key: "locale") var locale: String
    /// Shared by the same article in every language.
    @Field(key: "translation_group") var translationGroup: UUID
    @Field(key: "status") var status: String
    /// JSON array of sample customer questions.
    @Field(key: "questions") var questions: String
    @OptionalField(key: "author_id") var authorID: UUID?
    @OptionalField(key: "published_ms") var publishedMillis: Int64?
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    @Field(key: "helpful_count") var helpfulCount: Int
    @Field(key: "not_helpful_count") var notHelpfulCount: Int
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, title: String, slug: String, bodyMarkdown: String, locale: String,
         translationGroup: UUID, authorID: UUID?) {
        let now = Date().millisSince1970
        self.id = id; self.workspaceID = workspaceID; self.title = title; self.slug = slug; self.bodyMarkdown = bodyMarkdown
        self.locale = locale; self.translationGroup = translationGroup; self.status = ArticleStatus.draft.rawValue
        self.questions = "[]"; self.authorID = authorID; self.createdMillis = now; self.updatedMillis = now
        self.helpfulCount = 0; self.notHelpfulCount = 0
    }

    var questionList: [String] {
        get { StoredJSON.decode([String].self, from: questions, default: []) }
        set { questions = StoredJSON.encode(newValue) }
    }
    var isPublished: Bool { status == ArticleStatus.published.rawValue }
}

final class ArticleRevisionRow: Model, @unchecked Sendable {
    static let schema = "article_revisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "article_id") var articleID: UUID
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "created_ms") var createdMillis: Int64
    init() {}
    init(of article: ArticleRow, authorID: UUID?) {
        self.id = TimeOrderedID.make(); self.workspaceID = article.workspaceID; self.articleID = article.id!
        self.title = article.title; self.body = article.bodyMarkdown; self.authorID = authorID; self.createdMillis = Date().millisSince1970
    }
}

final class ArticleVoteRow: Model, @unchecked Sendable {
    static let schema = "article_votes"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "article_id") var articleID: UUID
    @Field(key: "helpful") var helpful: Bool
    /// A hash of the visitor's cookie, never the cookie itself.
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "created_ms") var createdMillis: Int64
    init() {}
    init(workspaceID: UUID, articleID: UUID, helpful: Bool, fingerprint: String) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.articleID = articleID
        self.helpful = helpful; self.fingerprint = fingerprint; self.createdMillis = Date().millisSince1970
    }
}

enum ArticleStatus: String, Sendable, Codable, CaseIterable {
    case draft, published
}

/// The languages articles are written in; the help center speaks the same two.
enum ArticleLocale: String, Sendable, Codable, CaseIterable {
    case en
    case zhHans = "zh-Hans"

    /// Accepts what browsers and customers send: "zh", "zh-CN", "zh_Hans", "en-US", …
    static func parse(_ raw: String?) -> ArticleLocale? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces).lowercased(), !raw.isEmpty else { return nil }
        if raw == "zh-hant" || raw.hasPrefix("zh-tw") || raw.hasPrefix("zh-hk") { return nil }
        if raw.hasPrefix("zh") { return .zhHans }
        if raw.hasPrefix("en") { return .en }
        return nil
    }
}
