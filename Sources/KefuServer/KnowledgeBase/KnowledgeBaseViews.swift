import Foundation
import Hummingbird
import KefuText

/// Limits on what the knowledge base stores, shared by the API and the import.
enum ArticleLimits {
    static let title = 200
    static let slug = 100
    static let body = 100_000
    static let questions = 20
    static let question = 300
    static let categoryName = 100
    static let categoryDescription = 1000
    static let position = 100_000
    static let searchQuery = 500
}

/// URL-safe names: lower-case ASCII letters, digits and single hyphens.
enum Slug {
    static func isValid(_ slug: String) -> Bool {
        guard (1...ArticleLimits.slug).contains(slug.count), !slug.hasPrefix("-"), !slug.hasSuffix("-"), !slug.contains("--") else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A slug from a title; titles in other scripts get `fallback`.
    static func make(from text: String, fallback: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        slug = String(slug.prefix(80))
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? fallback : slug
    }
}

struct CategoryView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let slug: String
    let description: String?
    let locale: String
    let position: Int
    let createdAt: Date
    let updatedAt: Date
    init(_ row: CategoryRow) {
        id = row.id!; name = row.name; slug = row.slug; description = row.summary; locale = row.locale; position = row.position
        createdAt = Date(millisSince1970: row.createdMillis); updatedAt = Date(millisSince1970: row.updatedMillis)
    }
}

struct ArticleView: ResponseCodable, Sendable {
    let id: UUID
    let workspaceId: UUID
    let categoryId: UUID?
    let title: String
    let slug: String
    let locale: String
    let translationGroup: UUID
    let status: String
    let bodyMarkdown: String
    let questions: [String]
    let authorId: UUID?
    /// Where the article is (or will be, once published) in the public help center.
    let url: String
    let publishedAt: Date?
    let createdAt: Date
    let updatedAt: Date
    let helpfulCount: Int
    let notHelpfulCount: Int
    init(_ row: ArticleRow, workspaceSlug: String) {
        id = row.id!; workspaceId = row.workspaceID; categoryId = row.categoryID; title = row.title; slug = row.slug
        locale = row.locale; translationGroup = row.translationGroup; status = row.status; bodyMarkdown = row.bodyMarkdown
        questions = row.questionList; authorId = row.authorID
        url = KnowledgeBase.url(workspace: workspaceSlug, locale: row.locale, slug: row.slug)
        publishedAt = row.publishedMillis.map(Date.init(millisSince1970:)); createdAt = Date(millisSince1970: row.createdMillis)
        updatedAt = Date(millisSince1970: row.updatedMillis); helpfulCount = row.helpfulCount; notHelpfulCount = row.notHelpfulCount
    }
}

struct ArticleRevisionView: ResponseCodable, Sendable {
    let id: UUID
    let articleId: UUID
    let title: String
    let bodyMarkdown: String
    let authorId: UUID?
    let createdAt: Date
    init(_ row: ArticleRevisionRow) {
        id = row.id!; articleId = row.articleID; title = row.title; bodyMarkdown = row.body; authorId = row.authorID
        createdAt = Date(millisSince1970: row.createdMillis)
    }
}

struct ArticlePreview: ResponseCodable, Sendable {
    let html: String
    let plainText: String
}
