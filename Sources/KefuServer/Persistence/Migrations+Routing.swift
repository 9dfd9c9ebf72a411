import FluentKit
import Foundation
import SQLKit

/// Routing by load, language and skill: what each agent answers in, is skilled at and takes
/// at once; the conversations waiting for one; each workspace's grace period.
struct CreateRouting: AsyncMigration {
    var name: String { "0010_routing" }

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        /// JSON arrays of language tags and of categories.
        try await database.schema("agents").field("languages", .string, .required, .sql(.default("[]"))).update()
        try await database.schema("agents").field("skills", .string, .required, .sql(.default("[]"))).update()
        try await database.schema("agents").field("capacity", .int, .required, .sql(.default(5))).update()
        /// When availability last changed: the grace period runs from here.
        try await database.schema("agents").field("availability_changed_ms", .int64).update()
        try await database.schema("routing_queue")
            .field("conversation_id", .uuid, .identifier(auto: false), .references("conversations", "id", onDelete: .cascade))
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("inbox_id", .uuid, .required)
            /// When it started waiting; a conversation requeued keeps its first time.
            .field("queued_ms", .int64, .required)
            .field("reason", .string, .required)
            .create()
        /// How long each conversation served from a queue had waited: the widget's estimate.
        try await database.schema("routing_waits")
            .id()
            .field("inbox_id", .uuid, .required)
            .field("assigned_ms", .int64, .required)
            .field("waited_ms", .int64, .required)
            .create()
        try await database.schema("routing_settings")
            .field("workspace_id", .uuid, .identifier(auto: false), .references("workspaces", "id"))
            .field("grace_seconds", .int, .required)
            .field("updated_ms", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_routing_waits_inbox").on("routing_waits").column("inbox_id").column("assigned_ms").run()
        try await sql.create(index: "idx_routing_queue_inbox").on("routing_queue").column("workspace_id").column("inbox_id").column("queued_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("routing_settings").delete()
        try await database.schema("routing_waits").delete()
        try await database.schema("routing_queue").delete()
        for field in ["languages", "skills", "capacity", "availability_changed_ms"] {
            try await database.schema("agents").deleteField(.string(field)).update()
        }
    }
}
