import FluentKit
import SQLKit

/// What makes the message path safe to retry and to run on several nodes:
/// - `outbox`: realtime events written in the same transaction as the change that caused
///   them, published after commit and deleted once published;
/// - `messages.idempotency_key`, unique per workspace: a client that retries a message
///   (the widget's `clientMessageId`, an integration's `channelMessageId`) stores it once;
/// - at most one conversation that is not closed per contact and inbox, as a partial
///   unique index, so two nodes can never open two conversations for one customer;
/// - `conversations.version`, raised by every write, so a writer that read an older
///   version learns it lost the race instead of overwriting another's change;
/// - `jobs.workspace_id`, so workers can share their time fairly between workspaces;
/// - `webhooks.failing_since_ms`, so a receiver that fails for a day is switched off.
struct CreateMessagePathSafety: AsyncMigration {
    var name: String { "0006_outbox_and_idempotency" }

    func prepare(on database: any Database) async throws {
        // The event's parts as they are, so writing one costs no encoding.
        try await database.schema("outbox")
            .id()
            .field("workspace_id", .uuid, .required)
            .field("type", .string, .required)
            .field("conversation_id", .uuid)
            .field("contact_id", .uuid)
            .field("visible_to_contact", .bool, .required)
            .field("payload", .string, .required)
            .field("visitor_payload", .string)
            .field("created_ms", .int64, .required)
            .create()
        try await database.schema("messages")
            .field("idempotency_key", .string)
            .update()
        try await database.schema("conversations")
            .field("version", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema("jobs")
            .field("workspace_id", .uuid)
            .update()
        // A webhook whose receiver has failed every delivery for a day is switched off.
        // SQLite adds one column per ALTER TABLE.
        try await database.schema("webhooks").field("failing_since_ms", .int64).update()
        try await database.schema("webhooks").field("disabled_reason", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_outbox_created").on("outbox").column("created_ms").run()
        try await sql.create(index: "uq_messages_idempotency").on("messages").column("workspace_id").column("idempotency_key").unique().run()
        try await sql.create(index: "idx_jobs_workspace").on("jobs").column("status").column("workspace_id").column("run_after_ms").run()
        // Before the index can exist, any customer the old per-process lock let slip keeps
        // only their newest conversation open; the older ones are closed, their messages kept.
        try await sql.raw("""
            UPDATE conversations SET status = 'closed'
            WHERE status <> 'closed' AND EXISTS (
                SELECT 1 FROM conversations AS newer
                WHERE newer.contact_id = conversations.contact_id AND newer.inbox_id = conversations.inbox_id
                  AND newer.status <> 'closed' AND newer.created_ms > conversations.created_ms)
            """).run()
        try await sql.raw("""
            CREATE UNIQUE INDEX uq_conversations_one_active ON conversations (contact_id, inbox_id) WHERE status <> 'closed'
            """).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "uq_conversations_one_active").run()
        try await sql.drop(index: "uq_messages_idempotency").run()
        try await database.schema("outbox").delete()
    }
}
