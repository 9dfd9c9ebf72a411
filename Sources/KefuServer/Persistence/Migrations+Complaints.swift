import FluentKit
import Foundation
import SQLKit

/// Complaints: one per conversation that became one (kept when withdrawn, as the label
/// that says triage was wrong), and each workspace's complaint rules.
struct CreateComplaints: AsyncMigration {
    var name: String { "0012_complaints" }

    func prepare(on database: any Database) async throws {
        try await database.schema("complaints")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("contact_id", .uuid, .required)
            .field("severity", .string, .required)
            /// agent or detected.
            .field("source", .string, .required)
            .field("opened_by", .uuid)
            .field("opened_ms", .int64, .required)
            .field("reply_due_ms", .int64, .required)
            /// JSON: the transaction hashes and addresses the customer gave.
            .field("facts", .string, .required)
            /// The words triage read it from, kept as the detector's training label.
            .field("trigger_text", .string)
            .field("escalated_team_id", .uuid)
            .field("escalation_reason", .string)
            .field("escalated_ms", .int64)
            .field("summary", .string)
            .field("resolved_ms", .int64)
            .field("follow_up_ms", .int64)
            .field("followed_up_ms", .int64)
            .field("confirmed_ms", .int64)
            .field("withdrawn_ms", .int64)
            .unique(on: "conversation_id")
            .create()
        // Links to the progress page: a token is made for each place the customer is told
        // of it (the widget, a mail) and only its SHA-256 is kept, so a dump opens no page.
        try await database.schema("complaint_links")
            .field("token_hash", .string, .identifier(auto: false))
            .field("complaint_id", .uuid, .required, .references("complaints", "id", onDelete: .cascade))
            .field("created_ms", .int64, .required)
            .create()
        try await database.schema("complaint_settings")
            .field("workspace_id", .uuid, .identifier(auto: false), .references("workspaces", "id"))
            .field("follow_up_days", .int, .required)
            .field("reopen_days", .int, .required)
            .field("reply_hours", .int, .required)
            .field("detect", .bool, .required)
            .field("updated_ms", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_complaints_register").on("complaints").column("workspace_id").column("opened_ms").run()
        try await sql.create(index: "idx_complaints_follow_up").on("complaints").column("follow_up_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("complaint_settings").delete()
        try await database.schema("complaint_links").delete()
        try await database.schema("complaints").delete()
    }
}
