import FluentKit
import Foundation
import Hummingbird
import KefuCore

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class CannedReplyRow: SharedByAgents, @unchecked Sendable {
    static let schema = "canned_replies"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "shortcut") var shortcut: String
    @Field(key: "title") var title: String
    @OptionalField(key: "body_en") var bodyEnglish: String?
    @OptionalField(key: "body_zh") var bodyChinese: String?
    @Field(key: "scope") var scopeRaw: String
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @OptionalField(key: "team_id") var teamID: UUID?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    @Field(key: "usage_count") var usageCount: Int
    @OptionalField(key: "last_used_ms") var lastUsedMillis: Int64?
    init() {}

    var scope: CannedReplyScope { CannedReplyScope(rawValue: scopeRaw) ?? .personal }

    /// The body for a customer: their language's, else the other one.
    func body(chinese: Bool) -> String? {
        let preferred = chinese ? bodyChinese : bodyEnglish
        return preferred ?? (chinese ? bodyEnglish : bodyChinese)
    }
}

struct CannedReplyView: ResponseCodable, RatedWhenUsed, Sendable {
    struct Bodies: Codable, Sendable { let en: String?; let zhHans: String?
        enum CodingKeys: String, CodingKey { case en, zhHans = "zh-Hans" }
    }
    let id: UUID
    let shortcut: String
    let title: String
    let body: Bodies
    let scope: String
    let ownerId: UUID?
    let teamId: UUID?
    let createdBy: UUID
    let updatedAt: Date
    let usageCount: Int
    let lastUsedAt: Date?
    /// Share of 4–5 ratings among rated conversations where it was used; nil without ratings.
    var csat: Double? = nil
    var ratings: Int? = nil

    init(_ row: CannedReplyRow) {
        id = row.id!; shortcut = row.shortcut; title = row.title; body = Bodies(en: row.bodyEnglish, zhHans: row.bodyChinese)
        scope = row.scopeRaw; ownerId = row.ownerID; teamId = row.teamID; createdBy = row.createdBy
        updatedAt = Date(millisSince1970: row.updatedMillis); usageCount = row.usageCount; lastUsedAt = row.lastUsedMillis.map(Date.init(millisSince1970:))
    }
}
