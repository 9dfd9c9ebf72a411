import FluentKit
import Foundation
import SQLKit

/// Each agent's availability over time — online, away, offline — as intervals, for the
/// time online reports show. The interval still open has no end.
struct CreatePresence: AsyncMigration {
    var name: String { "0017_agent_presence" }

    func prepare(on database: any Database) async throws {
        try await database.schema("agent_presence")
            .id()
            .field("workspace_id", .uuid, .required)
            .field("agent_id", .uuid, .required, .references("agents", "id", onDelete: .cascade))
            .field("availability", .string, .required)
            .field("start_ms", .int64, .required)
            .field("end_ms", .int64)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_agent_presence_agent").on("agent_presence").column("agent_id").column("start_ms").run()
        try await sql.create(index: "idx_agent_presence_workspace").on("agent_presence").column("workspace_id").column("start_ms").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agent_presence").delete()
    }
}
