import FluentKit
import Foundation
import SQLKit

/// Canned replies: a body per language, a shortcut for the composer's `/`, who sees them,
/// and how often they were used.
struct CreateCannedReplies: AsyncMigration {
    var name: String { "0013_canned_replies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("canned_replies")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("shortcut", .string, .required)
            .field("title", .string, .required)
            .field("body_en", .string)
            .field("body_zh", .string)
            /// personal, team or workspace.
            .field("scope", .string, .required)
            .field("owner_id", .uuid)
            .field("team_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .field("usage_count", .int, .required)
            .field("last_used_ms", .int64)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_canned_replies_workspace").on("canned_replies").column("workspace_id").column("shortcut").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("canned_replies").delete()
    }
}
