import FluentKit
import Foundation
import SQLKit

/// Business-hours schedules: each workspace's own, at most one of them its default, and
/// which inboxes and teams follow which (an inbox or a team follows at most one).
struct CreateSchedules: AsyncMigration {
    var name: String { "0007_schedules" }

    func prepare(on database: any Database) async throws {
        try await database.schema("schedules")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("name", .string, .required)
            /// The schedule as `ScheduleDocument` JSON, exactly as the API reads it back.
            .field("document", .string, .required)
            .field("is_default", .bool, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "workspace_id", "name")
            .create()
        try await database.schema("schedule_followers")
            .id()
            .field("workspace_id", .uuid, .required, .references("workspaces", "id"))
            .field("schedule_id", .uuid, .required, .references("schedules", "id", onDelete: .cascade))
            .field("follower_kind", .string, .required)
            .field("follower_id", .uuid, .required)
            .unique(on: "follower_kind", "follower_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX uq_schedules_one_default ON schedules (workspace_id) WHERE is_default").run()
        try await sql.create(index: "idx_schedule_followers_schedule").on("schedule_followers").column("schedule_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schedule_followers").delete()
        try await database.schema("schedules").delete()
    }
}

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class ScheduleRow: Model, @unchecked Sendable {
    static let schema = "schedules"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @Field(key: "document") var document: String
    @Field(key: "is_default") var isDefault: Bool
    @Field(key: "created_ms") var createdMillis: Int64
    @Field(key: "updated_ms") var updatedMillis: Int64
    init() {}
}

final class ScheduleFollowerRow: Model, @unchecked Sendable {
    static let schema = "schedule_followers"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "schedule_id") var scheduleID: UUID
    @Field(key: "follower_kind") var followerKind: String
    @Field(key: "follower_id") var followerID: UUID
    init() {}
    init(workspaceID: UUID, scheduleID: UUID, kind: ScheduleFollower.Kind, followerID: UUID) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.scheduleID = scheduleID
        self.followerKind = kind.rawValue; self.followerID = followerID
    }
}
