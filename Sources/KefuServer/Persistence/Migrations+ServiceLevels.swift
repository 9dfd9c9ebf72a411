import FluentKit
import Foundation
import SQLKit

/// Service-level policies, in the order they are tried: the first whose conditions hold
/// applies to a conversation.
struct CreateServicePolicies: AsyncMigration {
    var name: String { "0008_sla_policies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sla_policies")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("name", .string, .required)
            .field("position", .int, .required)
            /// `ServicePolicyDocument` as JSON: conditions, targets and the warning share.
            .field("document", .string, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "workspace_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sla_policies").delete()
    }
}

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class ServicePolicyRow: Model, @unchecked Sendable {
    static let schema = "sla_policies"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int
    @Field(key: "document") var document: String
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    init() {}
}

/// Which conversations the service-level scheduler must look at, and when: one row per
/// conversation, due at once after any change to it and otherwise at its next warning or
/// target. The scheduler reads this table by `due_ms` and never scans conversations.
struct CreateServiceLevelWatches: AsyncMigration {
    var name: String { "0009_sla_watches" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sla_watches")
            .field("conversation_id", .uuid, .identifier(auto: false), .references("conversations", "id", onDelete: .cascade))
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            /// Null once nothing is left to warn of or breach: such rows are never read by due time.
            .field("due_ms", .int64)
            /// Raised by every change to the conversation, so an evaluation that read it
            /// before a change does not overwrite the due time the change set.
            .field("generation", .int64, .required)
            /// Keys (`ServiceAlert.key`) of the alerts already recorded, as a JSON array.
            .field("raised", .string, .required)
            /// `ServiceStanding`, for the breached and at-risk views.
            .field("standing", .string, .required)
            /// `ConversationServiceLevelsView` JSON as last evaluated, for lists.
            .field("summary", .string)
            .field("updated_ms", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_sla_watches_due").on("sla_watches").column("due_ms").run()
        try await sql.create(index: "idx_sla_watches_standing").on("sla_watches").column("workspace_id").column("standing").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sla_watches").delete()
    }
}
