import FluentKit
import Foundation
import SQLKit

/// Satisfaction surveys: one per resolution the desk asked about, with the answer, the
/// agents it credits and the slices reports cut it by; and each workspace's survey rules.
struct CreateSatisfaction: AsyncMigration {
    var name: String { "0011_satisfaction" }

    func prepare(on database: any Database) async throws {
        try await database.schema("csat_surveys")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("contact_id", .uuid, .required)
            /// SHA-256 of the rating link's token: the link works, a database dump does not vote.
            .field("token_hash", .string, .required)
            .field("asked_ms", .int64, .required)
            .field("closes_ms", .int64, .required)
            .field("rating", .int)
            .field("comment", .string)
            .field("rated_ms", .int64)
            /// JSON array of the agents who replied publicly in the cycle: each is credited.
            .field("agent_ids", .string, .required)
            .field("team_id", .uuid)
            .field("inbox_id", .uuid, .required)
            .field("category", .string)
            .field("language", .string)
            .unique(on: "token_hash")
            .create()
        try await database.schema("satisfaction_settings")
            .field("workspace_id", .uuid, .identifier(auto: false), .references("workspaces", "id"))
            .field("enabled", .bool, .required)
            .field("after_bot_only", .bool, .required)
            .field("quiet_days", .int, .required)
            .field("updated_ms", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_csat_surveys_conversation").on("csat_surveys").column("conversation_id").column("asked_ms").run()
        try await sql.create(index: "idx_csat_surveys_contact").on("csat_surveys").column("contact_id").column("asked_ms").run()
        try await sql.create(index: "idx_csat_surveys_rated").on("csat_surveys").column("workspace_id").column("rated_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("satisfaction_settings").delete()
        try await database.schema("csat_surveys").delete()
    }
}
