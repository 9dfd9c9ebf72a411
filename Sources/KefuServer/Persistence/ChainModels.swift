import FluentKit
import Foundation

// `@unchecked Sendable` for the reason given at the top of Models.swift.

final class ChainEndpointRow: Model, @unchecked Sendable {
    static let schema = "chain_endpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "chain") var chain: String
    @Field(key: "name") var name: String
    @Field(key: "rpc_url") var rpcURL: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(workspaceID: UUID, chain: String, name: String, rpcURL: String) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.chain = chain; self.name = name; self.rpcURL = rpcURL
    }
}

final class ChainLookupRow: Model, @unchecked Sendable {
    static let schema = "chain_lookups"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @OptionalField(key: "message_id") var messageID: UUID?
    @Field(key: "chain") var chain: String
    @Field(key: "hash") var hash: String
    /// checking, pending, confirmed, failed, not_found or unknown (the node could not answer).
    @Field(key: "state") var state: String
    @Field(key: "confirmations") var confirmations: Int
    @OptionalField(key: "block_number") var blockNumber: Int64?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "checked_ms") var checkedMillis: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
