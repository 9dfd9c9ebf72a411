import FluentKit
import Foundation

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
