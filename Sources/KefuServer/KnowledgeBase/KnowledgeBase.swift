import FluentKit
import Foundation
import KefuText

/// One published article found for a question, as the answer bot and the help center use it.
struct ArticleHit: Sendable, Equatable {
    let articleID: UUID
    let workspaceID: UUID
    let title: String
    let slug: String
    let locale: String
    /// The public help-center path, such as "/help/<workspace-slug>/<locale>/articles/<slug>".
    let url: String
    /// At most 300 characters of plain text: the passage that best matches the question.
    let extract: String
    /// The raw BM25F score.
    let score: Double
    /// The score of the next-best distinct article, 0 when there is none: the margin tells a
    /// clear answer from a guess.
    let secondScore: Double
}

/// A published article without a question to rank it by.
struct PublishedArticle: Sendable, Equatable {
    let articleID: UUID
    let title: String
    let slug: String
    let locale: String
    let url: String
    let categoryID: UUID?
    let translationGroup: UUID
}

/// Search over each workspace's published articles.
///
/// A workspace's index is built from the database the first time it is asked for and then
/// kept up to date one article at a time as articles are published, edited, unpublished or
/// deleted on this node. Another node (several Kefu processes on one PostgreSQL database)
/// changes articles without telling this one, so an index older than `maxAge` is checked
/// against a one-row summary of the table and rebuilt only when that summary differs.
actor KnowledgeBase {
    static let extractLength = 300
    static let maxAge: TimeInterval = 60

    private struct Document: Sendable {
        let id: UUID
        let title: String
        let slug: String
        let locale: String
        let categoryID: UUID?
        let translationGroup: UUID
        let passages: [String]
        let questions: [String]
    }

    private struct Signature: Equatable, Sendable {
        let count: Int
        let lastUpdate: Int64
    }

    private struct WorkspaceIndex: Sendable {
        var slug: String
        var index = SearchIndex()
        var documents: [UUID: Document] = [:]
        var checkedAt: Date
        var signature: Signature
    }

    private let persistence: Persistence
    private var workspaces: [UUID: WorkspaceIndex] = [:]
    private var loading: [UUID: Task<WorkspaceIndex, any Error>] = [:]
    /// How many times each workspace's index was built from the database; tests read it to
    /// tell an incremental update from a rebuild.
    private(set) var builds: [UUID: Int] = [:]
    private var changedWhileBuilding: Set<UUID> = []

    init(persistence: Persistence) {
        self.persistence = persistence
    }

    // MARK: - Reading

    /// Published articles matching `query`, best first, one per translation group. With a
    /// `locale`, that language's articles are searched first and the others only when it has
    /// no match, so a customer is answered in their own language whenever possible.
    func search(workspaceID: UUID, query: String, locale: String?, limit: Int) async throws -> [ArticleHit] {
        guard limit > 0, !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        let entry = try await index(for: workspaceID)
        let preferred = ArticleLocale.parse(locale)?.rawValue
        var hits: [SearchHit] = []
        if let preferred { hits = entry.index.search(query, limit: (limit + 1) * 3, locale: preferred) }
        if hits.isEmpty { hits = entry.index.search(query, limit: (limit + 1) * 3) }

        var seenGroups: Set<UUID> = []
        var ranked: [(Document, Double)] = []
        for hit in hits {
            guard let id = UUID(uuidString: hit.id), let document = entry.documents[id] else { continue }
            // A translation twin is the same answer, not a rival: it must not shrink the margin.
            guard seenGroups.insert(document.translationGroup).inserted else { continue }
            ranked.append((document, hit.score))
            if ranked.count > limit { break }
        }
        let queryTokens = Set(Tokenizer.tokens(query, for: .query))
        return ranked.prefix(limit).enumerated().map { position, pair in
            let (document, score) = pair
            let second = position + 1 < ranked.count ? ranked[position + 1].1 : 0
            return ArticleHit(articleID: document.id, workspaceID: workspaceID, title: document.title, slug: document.slug,
                              locale: document.locale, url: Self.url(workspace: entry.slug, locale: document.locale, slug: document.slug),
                              extract: Self.extract(document.passages, queryTokens: queryTokens), score: score, secondScore: second)
        }
    }

    /// Every published article's sample questions and its title, with the article they belong to.
    func calibrationSamples(workspaceID: UUID) async throws -> [(question: String, articleID: UUID, locale: String)] {
        let entry = try await index(for: workspaceID)
        var samples: [(question: String, articleID: UUID, locale: String)] = []
        for document in entry.documents.values.sorted(by: { $0.id.uuidString < $1.id.uuidString }) {
            samples.append((document.title, document.id, document.locale))
            for question in document.questions { samples.append((question, document.id, document.locale)) }
        }
        return samples
    }

    /// Every published article, in one locale or all, by title.
    func published(workspaceID: UUID, locale: String?) async throws -> [PublishedArticle] {
        let entry = try await index(for: workspaceID)
        let wanted = ArticleLocale.parse(locale)?.rawValue
        return entry.documents.values
            .filter { wanted == nil || $0.locale == wanted }
            .sorted { $0.title.localizedStandardCompare($1.title) == .orderedAscending }
            .map { PublishedArticle(articleID: $0.id, title: $0.title, slug: $0.slug, locale: $0.locale,
                                    url: Self.url(workspace: entry.slug, locale: $0.locale, slug: $0.slug),
                                    categoryID: $0.categoryID, translationGroup: $0.translationGroup) }
    }

    static func url(workspace: String, locale: String, slug: String) -> String {
        "/help/\(workspace)/\(locale)/articles/\(slug)"
    }

    // MARK: - Keeping up to date

    /// Call after an article was saved (created, edited, published or unpublished).
    nonisolated func articleSaved(_ row: ArticleRow) async {
        // The row is read here, before crossing into the actor, so only a value crosses.
        guard let id = row.id else { return }
        await apply(id: id, workspaceID: row.workspaceID, document: row.isPublished ? Self.document(row) : nil)
    }

    private func apply(id: UUID, workspaceID: UUID, document: Document?) {
        if loading[workspaceID] != nil { changedWhileBuilding.insert(workspaceID) }
        guard var entry = workspaces[workspaceID] else { return }
        if let document {
            entry.documents[id] = document
            entry.index.upsert(id: id.uuidString, title: document.title, body: Self.indexedBody(document), locale: document.locale)
        } else {
            entry.documents[id] = nil
            entry.index.remove(id: id.uuidString)
        }
        workspaces[workspaceID] = entry
    }

    /// Call after an article was deleted.
    func articleDeleted(_ id: UUID, workspaceID: UUID) {
        apply(id: id, workspaceID: workspaceID, document: nil)
    }

    /// Forgets a workspace's index, for bulk changes such as an import.
    func invalidate(workspaceID: UUID) {
        workspaces[workspaceID] = nil
    }

    func buildCount(workspaceID: UUID) -> Int { builds[workspaceID] ?? 0 }

    // MARK: - Building

    private func index(for workspaceID: UUID) async throws -> WorkspaceIndex {
        if let entry = workspaces[workspaceID] {
            guard Date().timeIntervalSince(entry.checkedAt) > Self.maxAge else { return entry }
            let current = try await Self.signature(workspaceID: workspaceID, persistence: persistence)
            // Edits on this node also change the summary, so the first check after them
            // rebuilds once; that is at most one rebuild a minute, never one per edit.
            if var fresh = workspaces[workspaceID], fresh.signature == current {
                fresh.checkedAt = Date()
                workspaces[workspaceID] = fresh
                return fresh
            }
            workspaces[workspaceID] = nil
        }
        if let pending = loading[workspaceID] { return try await pending.value }
        let persistence = self.persistence
        let task = Task { try await Self.build(workspaceID: workspaceID, persistence: persistence) }
        loading[workspaceID] = task
        changedWhileBuilding.remove(workspaceID)
        defer { loading[workspaceID] = nil }
        var built = try await task.value
        if changedWhileBuilding.remove(workspaceID) != nil {
            // An article changed while the build read the table; the build may have missed it.
            built = try await Self.build(workspaceID: workspaceID, persistence: persistence)
        }
        if let existing = workspaces[workspaceID] { return existing }
        workspaces[workspaceID] = built
        builds[workspaceID, default: 0] += 1
        return built
    }

    private static func build(workspaceID: UUID, persistence: Persistence) async throws -> WorkspaceIndex {
        let db = persistence.db
        guard let workspace = try await WorkspaceRow.find(workspaceID, on: db) else {
            return WorkspaceIndex(slug: "", checkedAt: Date(), signature: Signature(count: 0, lastUpdate: 0))
        }
        let signature = try await signature(workspaceID: workspaceID, persistence: persistence)
        let rows = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspaceID)
            .filter(\.$status == ArticleStatus.published.rawValue).all()
        var entry = WorkspaceIndex(slug: workspace.slug, checkedAt: Date(), signature: signature)
        for row in rows {
            let document = document(row)
            entry.documents[document.id] = document
            entry.index.upsert(id: document.id.uuidString, title: document.title, body: indexedBody(document), locale: document.locale)
        }
        return entry
    }

    /// The number of articles and the latest change among them: any create, edit, publish,
    /// unpublish or delete on any node changes one of the two.
    private static func signature(workspaceID: UUID, persistence: Persistence) async throws -> Signature {
        let query = ArticleRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID)
        let count = try await query.count()
        let last = try await ArticleRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).max(\.$updatedMillis)
        return Signature(count: count, lastUpdate: last ?? 0)
    }

    private static func document(_ row: ArticleRow) -> Document {
        let plain = Markdown.plainText(row.bodyMarkdown)
        return Document(id: row.id!, title: row.title, slug: row.slug, locale: row.locale, categoryID: row.categoryID,
                        translationGroup: row.translationGroup, passages: passages(plain), questions: row.questionList)
    }

    /// Sample questions are indexed with the body: they are how customers actually ask.
    private static func indexedBody(_ document: Document) -> String {
        (document.passages + document.questions).joined(separator: "\n")
    }

    // MARK: - Extracts

    /// Lines of plain text, with long lines split at sentence ends so a passage stays short.
    static func passages(_ plain: String) -> [String] {
        var passages: [String] = []
        for line in plain.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            if text.count <= extractLength {
                passages.append(text)
                continue
            }
            var sentence = ""
            for character in text {
                sentence.append(character)
                if ".!?。！？".contains(character), sentence.count > 40 {
                    passages.append(sentence.trimmingCharacters(in: .whitespaces))
                    sentence = ""
                }
            }
            if !sentence.trimmingCharacters(in: .whitespaces).isEmpty { passages.append(sentence.trimmingCharacters(in: .whitespaces)) }
        }
        return passages
    }

    /// The passage sharing most query terms with the question, joined with the next ones
    /// while they fit, and cut to `extractLength` characters.
    static func extract(_ passages: [String], queryTokens: Set<String>) -> String {
        guard !passages.isEmpty else { return "" }
        var best = 0
        var bestScore = -1
        for (index, passage) in passages.enumerated() {
            let tokens = Set(Tokenizer.tokens(passage, for: .query))
            let score = tokens.intersection(queryTokens).count
            if score > bestScore { best = index; bestScore = score }
        }
        var text = passages[best]
        var next = best + 1
        while next < passages.count, text.count + 1 + passages[next].count <= extractLength {
            text += " " + passages[next]
            next += 1
        }
        guard text.count > extractLength else { return text }
        return String(text.prefix(extractLength - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
