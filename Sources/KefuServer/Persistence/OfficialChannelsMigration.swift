import FluentKit
import Foundation

/// The channels a workspace speaks through: customers check a link, email, Telegram
/// handle or agent code against this list before trusting it.
struct CreateOfficialChannels: AsyncMigration {
    var name: String { "0003_official_channels" }

    func prepare(on database: any Database) async throws {
        try await database.schema("official_channels")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("label", .string)
            .field("created_ms", .int64, .required)
            .unique(on: "workspace_id", "kind", "value")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("official_channels").delete()
    }
}

// `@unchecked Sendable` for the reason given at the top of Models.swift: a row lives
// within one request and is never shared between tasks.
final class OfficialChannelRow: Model, @unchecked Sendable {
    static let schema = "official_channels"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "kind") var kind: String
    /// Normalised (see `OfficialChannelValue`), so lookups are exact matches.
    @Field(key: "value") var value: String
    @OptionalField(key: "label") var label: String?
    @Field(key: "created_ms") var createdMillis: Int64
    init() {}
    init(workspaceID: UUID, kind: String, value: String, label: String?) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.kind = kind; self.value = value
        self.label = label; self.createdMillis = Date().millisSince1970
    }
}
