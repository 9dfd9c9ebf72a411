import FluentKit
import Foundation
import KefuText
import Hummingbird
import SQLKit
import Synchronization

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class GlossaryTermRow: Model, @unchecked Sendable {
    static let schema = "glossary_terms"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "key") var key: String
    @Field(key: "terms") var termsJSON: String
    @Field(key: "explain_en") var explainEnglish: String
    @Field(key: "explain_zh") var explainChinese: String
    @Field(key: "updated_ms") var updatedMillis: Int64
    init() {}

    var terms: [String] { StoredJSON.decode([String].self, from: termsJSON, default: []) }
    var entry: GlossaryEntry { GlossaryEntry(key: key, terms: terms, explanation: LocalizedText(en: explainEnglish, zhHans: explainChinese)) }
}

struct GlossaryTermView: ResponseCodable, Sendable {
    struct Explanation: Codable, Sendable { let en: String; let zhHans: String
        enum CodingKeys: String, CodingKey { case en, zhHans = "zh-Hans" }
    }
    let id: UUID
    let key: String
    let terms: [String]
    let explanation: Explanation
    let updatedAt: Date

    init(_ row: GlossaryTermRow) {
        id = row.id!; key = row.key; terms = row.terms
        explanation = Explanation(en: row.explainEnglish, zhHans: row.explainChinese); updatedAt = Date(millisSince1970: row.updatedMillis)
    }
}

/// The glossary: the standard terms every workspace starts with, and each workspace's own
/// matcher, built once and dropped when an admin edits a term.
enum Glossary {
    static func standard() throws -> [GlossaryEntry] {
        guard let url = Bundle.module.url(forResource: "standard", withExtension: "json", subdirectory: "Resources/Glossary") else {
            throw ConfigurationError("the standard glossary is missing from the package resources")
        }
        return try JSONDecoder().decode([GlossaryEntry].self, from: Data(contentsOf: url))
    }

    static func seedStandard(workspaceID: UUID, on db: any Database) async throws {
        let now = Date().millisSince1970
        var insert = (db as! any SQLDatabase).insert(into: "glossary_terms").columns("id", "workspace_id", "key", "terms", "explain_en", "explain_zh", "updated_ms")
        for entry in try standard() {
            insert = insert.values(SQLBind(TimeOrderedID.make()), SQLBind(workspaceID), SQLBind(entry.key), SQLBind(StoredJSON.encode(entry.terms)),
                                   SQLBind(entry.explanation.en), SQLBind(entry.explanation.zhHans), SQLBind(now))
        }
        try await insert.run()
    }
}

final class GlossaryCache: Sendable {
    private let loaded = Mutex<[UUID: GlossaryMatcher]>([:])
    let persistence: Persistence

    init(persistence: Persistence) { self.persistence = persistence }

    func matcher(workspaceID: UUID) async throws -> GlossaryMatcher {
        if let known = loaded.withLock({ $0[workspaceID] }) { return known }
        let rows = try await GlossaryTermRow.query(on: persistence.reader).filter(\.$workspaceID == workspaceID).sort(\.$key).all()
        let matcher = GlossaryMatcher(rows.map(\.entry))
        loaded.withLock { $0[workspaceID] = matcher }
        return matcher
    }

    func forget(_ workspaceID: UUID) { loaded.withLock { _ = $0.removeValue(forKey: workspaceID) } }

    /// The line the bot adds after its extract for a customer new to a term in it: the term
    /// they asked about if the extract uses it, else the extract's first.
    func explanation(question: String, extract: String, workspaceID: UUID, chinese: Bool) async throws -> String? {
        guard GlossaryMatcher.asksWhatItMeans(question) else { return nil }
        let matcher = try await matcher(workspaceID: workspaceID)
        let inExtract = matcher.entries(in: extract)
        let asked = Set(matcher.entries(in: question).map(\.key))
        guard let entry = inExtract.first(where: { asked.contains($0.key) }) ?? inExtract.first ?? matcher.entries(in: question).first else { return nil }
        let term = entry.terms.first { term in chinese == term.unicodeScalars.contains { $0.value >= 0x3400 } } ?? entry.terms.first ?? entry.key
        return chinese ? "💡 \(term)：\(entry.explanation.zhHans)。" : "💡 \(term): \(entry.explanation.en)."
    }
}
