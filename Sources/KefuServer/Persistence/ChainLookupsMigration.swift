import FluentKit
import SQLKit

/// Per-workspace blockchain nodes, and what they said about the transactions customers sent.
struct CreateChainLookups: AsyncMigration {
    var name: String { "0004_chain_lookups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chain_endpoints")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("chain", .string, .required)
            .field("name", .string, .required)
            // Can carry user:password for Bitcoin-Core-style nodes: never logged, masked in answers.
            .field("rpc_url", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "workspace_id", "chain")
            .create()
        try await database.schema("chain_lookups")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("conversation_id", .uuid, .required, .references("conversations", "id"))
            .field("message_id", .uuid, .references("messages", "id"))
            .field("chain", .string, .required)
            .field("hash", .string, .required)
            .field("state", .string, .required)
            .field("confirmations", .int, .required)
            .field("block_number", .int64)
            .field("error", .string)
            .field("checked_ms", .int64)
            .field("created_at", .datetime)
            .unique(on: "conversation_id", "chain", "hash")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_chain_lookups_workspace").on("chain_lookups").column("workspace_id").column("conversation_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chain_lookups").delete()
        try await database.schema("chain_endpoints").delete()
    }
}
