import FluentKit
import Foundation
import SQLKit

/// Macros and snoozes with a wake time; NPS surveys and their switch; the phrases agents
/// taught the complaint detector to ignore.
struct CreateMacros: AsyncMigration {
    var name: String { "0015_macros_snoozes_nps" }

    func prepare(on database: any Database) async throws {
        try await database.schema("macros")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("name", .string, .required)
            /// JSON array of actions, run in `MacroPlan.ordered` order.
            .field("actions", .string, .required)
            /// personal, team or workspace, as for canned replies.
            .field("scope", .string, .required)
            .field("owner_id", .uuid)
            .field("team_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .field("usage_count", .int, .required)
            .field("last_used_ms", .int64)
            .create()
        /// One row per snoozed conversation: when it opens again by itself.
        try await database.schema("conversation_snoozes")
            .field("conversation_id", .uuid, .identifier(auto: false), .references("conversations", "id", onDelete: .cascade))
            .field("workspace_id", .uuid, .required)
            .field("until_ms", .int64, .required)
            .field("set_by", .uuid)
            .create()
        try await database.schema("nps_surveys")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("contact_id", .uuid, .required)
            .field("inbox_id", .uuid, .required)
            .field("asked_ms", .int64, .required)
            .field("closes_ms", .int64, .required)
            .field("score", .int)
            .field("comment", .string)
            .field("answered_ms", .int64)
            .field("language", .string)
            .create()
        try await database.schema("satisfaction_settings").field("nps_enabled", .bool, .required, .sql(.default(false))).update()
        try await database.schema("satisfaction_settings").field("nps_interval_days", .int, .required, .sql(.default(90))).update()
        try await database.schema("complaint_settings").field("ignored_phrases", .string, .required, .sql(.default("[]"))).update()
        try await database.schema("complaint_settings").field("learned_since_ms", .int64, .required, .sql(.default(0))).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_macros_workspace").on("macros").column("workspace_id").column("name").run()
        try await sql.create(index: "idx_conversation_snoozes_due").on("conversation_snoozes").column("until_ms").run()
        try await sql.create(index: "idx_nps_surveys_contact").on("nps_surveys").column("contact_id").column("asked_ms").run()
        try await sql.create(index: "idx_nps_surveys_answered").on("nps_surveys").column("workspace_id").column("answered_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("complaint_settings").deleteField("learned_since_ms").update()
        try await database.schema("complaint_settings").deleteField("ignored_phrases").update()
        try await database.schema("satisfaction_settings").deleteField("nps_interval_days").update()
        try await database.schema("satisfaction_settings").deleteField("nps_enabled").update()
        try await database.schema("nps_surveys").delete()
        try await database.schema("conversation_snoozes").delete()
        try await database.schema("macros").delete()
    }
}
