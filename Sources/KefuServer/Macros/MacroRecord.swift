import FluentKit
import Foundation
import Hummingbird
import KefuCore

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class MacroRow: SharedByAgents, @unchecked Sendable {
    static let schema = "macros"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @Field(key: "actions") var actionsJSON: String
    @Field(key: "scope") var scopeRaw: String
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @OptionalField(key: "team_id") var teamID: UUID?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    @Field(key: "usage_count") var usageCount: Int
    @OptionalField(key: "last_used_ms") var lastUsedMillis: Int64?
    init() {}

    var actions: [MacroAction] { StoredJSON.decode([MacroAction].self, from: actionsJSON, default: []) }
}

struct MacroView: ResponseCodable, RatedWhenUsed, Sendable {
    let id: UUID
    let name: String
    let actions: [MacroAction]
    let scope: String
    let ownerId: UUID?
    let teamId: UUID?
    let createdBy: UUID
    let updatedAt: Date
    let usageCount: Int
    let lastUsedAt: Date?
    /// Share of 4–5 ratings among rated conversations it was applied in; nil without ratings.
    var csat: Double? = nil
    var ratings: Int? = nil

    init(_ row: MacroRow) {
        id = row.id!; name = row.name; actions = row.actions; scope = row.scopeRaw; ownerId = row.ownerID; teamId = row.teamID
        createdBy = row.createdBy; updatedAt = Date(millisSince1970: row.updatedMillis); usageCount = row.usageCount
        lastUsedAt = row.lastUsedMillis.map(Date.init(millisSince1970:))
    }
}

/// What applying a macro to one conversation would do, shown before the agent confirms.
struct MacroPreview: ResponseCodable, Sendable {
    struct Message: Codable, Sendable {
        /// reply or note.
        let kind: String
        let text: String
        let language: String?
    }
    struct Change: Codable, Sendable {
        /// status, priority, team, assignee or tags.
        let field: String
        let from: String?
        let to: String?
    }
    let macroId: UUID
    let name: String
    let messages: [Message]
    let changes: [Change]
    let snoozedUntil: Date?
    /// Why it cannot be applied here, if it cannot.
    let problems: [String]
}
