import FluentKit
import Foundation

/// The answer bot's per-workspace settings and calibration, its state in each conversation,
/// and the category model each workspace trains from its own labelled conversations.
struct CreateAnswerBotSchema: AsyncMigration {
    var name: String { "0005_answer_bot_and_category_model" }

    func prepare(on database: any Database) async throws {
        try await database.schema("bot_settings")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("enabled", .bool, .required)
            .field("target_precision", .double, .required)
            .field("confidence", .string)
            .field("calibrated_ms", .int64)
            .field("updated_at", .datetime)
            .unique(on: "workspace_id")
            .create()
        try await database.schema("bot_sessions")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("conversation_id", .uuid, .required, .references("conversations", "id"))
            .field("state", .string, .required)
            .field("article_id", .uuid)
            .field("answers", .int, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "conversation_id")
            .create()
        try await database.schema("category_models")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("model", .data, .required)
            .field("examples", .int, .required)
            .field("categories", .int, .required)
            .field("validation_accuracy", .double)
            .field("trained_ms", .int64, .required)
            .unique(on: "workspace_id")
            .create()
        // Who set a conversation's category: "agent" labels train the model, "model" ones never do.
        try await database.schema("conversations")
            .field("category_source", .string)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("conversations").deleteField("category_source").update()
        try await database.schema("category_models").delete()
        try await database.schema("bot_sessions").delete()
        try await database.schema("bot_settings").delete()
    }
}

// `@unchecked Sendable` on the rows below for the reason given at the top of Models.swift.
final class BotSettingsRow: Model, @unchecked Sendable {
    static let schema = "bot_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "target_precision") var targetPrecision: Double
    /// `AnswerConfidence` as JSON; nil until the first calibration.
    @OptionalField(key: "confidence") var confidence: String?
    @OptionalField(key: "calibrated_ms") var calibratedMillis: Int64?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(workspaceID: UUID, enabled: Bool, targetPrecision: Double) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.enabled = enabled; self.targetPrecision = targetPrecision
    }
}

final class BotSessionRow: Model, @unchecked Sendable {
    static let schema = "bot_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "state") var state: String
    @OptionalField(key: "article_id") var articleID: UUID?
    @Field(key: "answers") var answers: Int
    @Field(key: "updated_ms") var updatedMillis: Int64
    init() {}
}

final class CategoryModelRow: Model, @unchecked Sendable {
    static let schema = "category_models"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "model") var model: Data
    @Field(key: "examples") var examples: Int
    @Field(key: "categories") var categories: Int
    @OptionalField(key: "validation_accuracy") var validationAccuracy: Double?
    @Field(key: "trained_ms") var trainedMillis: Int64
    init() {}
}
