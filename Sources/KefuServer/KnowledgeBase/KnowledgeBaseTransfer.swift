import Crypto
import FluentKit
import Foundation
import KefuText

/// One article file: front matter and a Markdown body.
struct ArticleFile: Sendable, Equatable {
    let name: String
    var title: String
    var slug: String
    var locale: ArticleLocale
    var category: String?
    var status: ArticleStatus
    /// Files with the same key are the same article in different languages.
    var translation: String
    var questions: [String]
    var body: String

    static let keys: [String] = ["title", "slug", "locale", "category", "status", "translation", "questions"]

    /// Reads and validates one file; the error says what to fix.
    static func parse(name: String, text: String) throws(FrontMatter.ParseError) -> ArticleFile {
        let matter = try FrontMatter.parse(text, listKeys: ["questions"], knownKeys: Set(keys))
        var problems: [String] = []
        let title = matter.fields["title"]?.trimmingCharacters(in: .whitespaces) ?? Markdown.firstHeading(matter.body) ?? ""
        if title.isEmpty { problems.append("title is missing") }
        if title.count > ArticleLimits.title { problems.append("title is longer than \(ArticleLimits.title) characters") }
        let locale = ArticleLocale(rawValue: matter.fields["locale"] ?? "")
        if locale == nil { problems.append("locale must be en or zh-Hans") }
        let slug = matter.fields["slug"] ?? Slug.make(from: title, fallback: "")
        if !Slug.isValid(slug) { problems.append("slug must be 1 to \(ArticleLimits.slug) lower-case letters, digits and single hyphens") }
        let status = ArticleStatus(rawValue: matter.fields["status"] ?? ArticleStatus.draft.rawValue)
        if status == nil { problems.append("status must be draft or published") }
        let category = matter.fields["category"].flatMap { $0.isEmpty ? nil : $0 }
        if let category, category.count > ArticleLimits.categoryName { problems.append("category is longer than \(ArticleLimits.categoryName) characters") }
        let questions = (matter.lists["questions"] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        if questions.count > ArticleLimits.questions { problems.append("at most \(ArticleLimits.questions) questions") }
        if questions.contains(where: { $0.isEmpty || $0.count > ArticleLimits.question }) {
            problems.append("each question must be 1 to \(ArticleLimits.question) characters")
        }
        if matter.body.count > ArticleLimits.body { problems.append("the body is longer than \(ArticleLimits.body) characters") }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) { problems.append("the file contains NUL characters") }
        let translation = matter.fields["translation"].flatMap { $0.isEmpty ? nil : $0 } ?? slug
        if translation.count > 200 { problems.append("translation is longer than 200 characters") }
        guard problems.isEmpty, let locale, let status else { throw FrontMatter.ParseError(problems.joined(separator: "; ")) }
        return ArticleFile(name: name, title: title, slug: slug, locale: locale, category: category, status: status,
                           translation: translation, questions: questions, body: matter.body)
    }

    func render() -> String {
        var matter = FrontMatter(body: body)
        matter.fields = ["title": title, "slug": slug, "locale": locale.rawValue, "status": status.rawValue, "translation": translation]
        if let category { matter.fields["category"] = category }
        matter.lists["questions"] = questions
        return matter.render(order: Self.keys)
    }
}

/// `kefu kb import` and `kefu kb export`: a folder of Markdown files in, or out.
///
/// An import is all or nothing: every file is read and checked first, and only a folder
/// without errors is written, in one transaction. Articles are matched by language and
/// slug, so importing the same folder twice changes nothing the second time.
public struct KnowledgeBaseTransfer: Sendable {
    public struct InvalidFile: Sendable, Equatable, CustomStringConvertible {
        public let file: String
        public let reason: String
        public var description: String { "\(file): \(reason)" }
    }

    public struct ImportReport: Sendable, Equatable, CustomStringConvertible {
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var categoriesCreated = 0
        public var invalid: [InvalidFile] = []
        public var description: String {
            "\(created) created, \(updated) updated, \(unchanged) unchanged, \(categoriesCreated) categories created"
        }
    }

    let persistence: Persistence

    public init(persistence: Persistence) {
        self.persistence = persistence
    }

    /// The workspace a command means: the one named, or the only one there is.
    public func workspaceID(slug: String?) async throws -> UUID {
        if let slug {
            guard let row = try await WorkspaceRow.query(on: persistence.db).filter(\.$slug == slug).first() else {
                throw ConfigurationError("no workspace has the slug '\(slug)'")
            }
            return row.id!
        }
        let all = try await WorkspaceRow.query(on: persistence.db).limit(2).all()
        guard all.count == 1 else {
            throw ConfigurationError(all.isEmpty ? "there is no workspace yet" : "there are several workspaces; choose one with --workspace SLUG")
        }
        return all[0].id!
    }

    /// Reads every `.md` file of the folder (not its subfolders), sorted by name.
    static func read(directory: URL) throws -> (files: [ArticleFile], invalid: [InvalidFile]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".md") }.sorted()
        var files: [ArticleFile] = []
        var invalid: [InvalidFile] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                  let text = String(data: data, encoding: .utf8) else {
                invalid.append(InvalidFile(file: name, reason: "not readable as UTF-8 text"))
                continue
            }
            do {
                files.append(try ArticleFile.parse(name: name, text: text))
            } catch {
                invalid.append(InvalidFile(file: name, reason: error.description))
            }
        }
        return (files, invalid)
    }

    public func importDirectory(_ directory: URL, workspaceID: UUID) async throws -> ImportReport {
        let (files, invalid) = try Self.read(directory: directory)
        return try await importFiles(files, invalid: invalid, workspaceID: workspaceID, authorID: nil)
    }

    func importFiles(_ files: [ArticleFile], invalid alreadyInvalid: [InvalidFile] = [], workspaceID: UUID, authorID: UUID?) async throws -> ImportReport {
        var report = ImportReport()
        report.invalid = alreadyInvalid
        var seenSlugs: [String: String] = [:]
        var seenGroups: [String: String] = [:]
        for file in files {
            let slugKey = "\(file.locale.rawValue)/\(file.slug)"
            if let other = seenSlugs[slugKey] {
                report.invalid.append(InvalidFile(file: file.name, reason: "the slug '\(file.slug)' in \(file.locale.rawValue) is also used by \(other)"))
            }
            seenSlugs[slugKey] = file.name
            let groupKey = "\(file.locale.rawValue)/\(file.translation)"
            if let other = seenGroups[groupKey] {
                report.invalid.append(InvalidFile(file: file.name, reason: "translation '\(file.translation)' already has a \(file.locale.rawValue) article: \(other)"))
            }
            seenGroups[groupKey] = file.name
        }
        // A translation group may not end up with two articles in one language.
        let existing = try await ArticleRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).all()
        for file in files {
            let group = Self.group(for: file.translation, workspaceID: workspaceID)
            if let clash = existing.first(where: { $0.translationGroup == group && $0.locale == file.locale.rawValue && $0.slug != file.slug }) {
                report.invalid.append(InvalidFile(file: file.name,
                                                  reason: "translation '\(file.translation)' already has the \(file.locale.rawValue) article '\(clash.slug)'"))
            }
        }
        guard report.invalid.isEmpty else { return report }

        let counts = try await persistence.transaction { db -> ImportReport in
            var counts = ImportReport()
            var categories: [String: CategoryRow] = [:]
            for row in try await CategoryRow.query(on: db).filter(\.$workspaceID == workspaceID).all() {
                categories["\(row.locale)/\(row.name)"] = row
            }
            for file in files {
                var categoryID: UUID?
                if let name = file.category {
                    let key = "\(file.locale.rawValue)/\(name)"
                    if let row = categories[key] {
                        categoryID = row.id
                    } else {
                        let row = CategoryRow(workspaceID: workspaceID, name: name, slug: try await Self.categorySlug(name, locale: file.locale, workspaceID: workspaceID, on: db),
                                              summary: nil, locale: file.locale.rawValue, position: categories.count)
                        try await row.create(on: db)
                        categories[key] = row
                        categoryID = row.id
                        counts.categoriesCreated += 1
                    }
                }
                let group = Self.group(for: file.translation, workspaceID: workspaceID)
                let now = Date().millisSince1970
                if let row = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspaceID)
                    .filter(\.$locale == file.locale.rawValue).filter(\.$slug == file.slug).first() {
                    let contentChanged = row.title != file.title || row.bodyMarkdown != file.body
                    let changed = contentChanged || row.categoryID != categoryID || row.status != file.status.rawValue
                        || row.questionList != file.questions || row.translationGroup != group
                    guard changed else { counts.unchanged += 1; continue }
                    if file.status == .published && !row.isPublished { row.publishedMillis = now }
                    row.title = file.title; row.bodyMarkdown = file.body; row.categoryID = categoryID
                    row.status = file.status.rawValue; row.questionList = file.questions; row.translationGroup = group
                    row.updatedMillis = max(now, row.updatedMillis + 1)
                    try await row.save(on: db)
                    if contentChanged { try await ArticleRevisionRow(of: row, authorID: authorID).create(on: db) }
                    counts.updated += 1
                } else {
                    let row = ArticleRow(workspaceID: workspaceID, title: file.title, slug: file.slug, bodyMarkdown: file.body,
                                         locale: file.locale.rawValue, translationGroup: group, authorID: authorID)
                    row.categoryID = categoryID
                    row.questionList = file.questions
                    row.status = file.status.rawValue
                    if file.status == .published { row.publishedMillis = now }
                    try await row.create(on: db)
                    try await ArticleRevisionRow(of: row, authorID: authorID).create(on: db)
                    counts.created += 1
                }
            }
            return counts
        }
        return counts
    }

    /// Writes one file per article, named `<slug>.<locale>.md`; returns how many.
    public func exportDirectory(_ directory: URL, workspaceID: UUID) async throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = persistence.db
        var categoryNames: [UUID: String] = [:]
        for row in try await CategoryRow.query(on: db).filter(\.$workspaceID == workspaceID).all() { categoryNames[row.id!] = row.name }
        let articles = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspaceID).sort(\.$locale).sort(\.$slug).all()
        for row in articles {
            let file = ArticleFile(name: "\(row.slug).\(row.locale).md", title: row.title, slug: row.slug,
                                   locale: ArticleLocale(rawValue: row.locale) ?? .en, category: row.categoryID.flatMap { categoryNames[$0] },
                                   status: ArticleStatus(rawValue: row.status) ?? .draft, translation: row.translationGroup.uuidString.lowercased(),
                                   questions: row.questionList, body: row.bodyMarkdown)
            try Data(file.render().utf8).write(to: directory.appendingPathComponent(file.name), options: .atomic)
        }
        return articles.count
    }

    /// A group key that is an id is used as is (that is what export writes); any other key
    /// names a group through a hash, so the same folder always lands in the same groups.
    static func group(for key: String, workspaceID: UUID) -> UUID {
        if let id = UUID(uuidString: key) { return id }
        var bytes = Array(SHA256.hash(data: Data("kefu-translation|\(workspaceID.uuidString)|\(key)".utf8)).prefix(16))
        bytes[6] = 0x80 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    private static func categorySlug(_ name: String, locale: ArticleLocale, workspaceID: UUID, on db: any Database) async throws -> String {
        let hash = SHA256.hash(data: Data(name.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        let base = Slug.make(from: name, fallback: "category-\(hash)")
        var candidate = base
        var suffix = 2
        while try await CategoryRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$locale == locale.rawValue)
            .filter(\.$slug == candidate).first() != nil {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}

/// The sample help center of the demo workspace, so a fresh desk has articles to show.
enum DemoKnowledgeBase {
    static var folder: URL? { Bundle.module.url(forResource: "DemoKnowledgeBase", withExtension: nil, subdirectory: "Resources") }

    static func seed(workspaceID: UUID, authorID: UUID?, persistence: Persistence) async throws {
        guard let folder else { return }
        let (files, invalid) = try KnowledgeBaseTransfer.read(directory: folder)
        guard invalid.isEmpty else { throw ConfigurationError("the demo knowledge base is invalid: \(invalid.map(\.description).joined(separator: "; "))") }
        _ = try await KnowledgeBaseTransfer(persistence: persistence).importFiles(files, workspaceID: workspaceID, authorID: authorID)
    }
}
