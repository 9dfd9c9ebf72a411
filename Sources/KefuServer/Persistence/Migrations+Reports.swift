import FluentKit
import Foundation
import SQLKit

/// Reports read rollups: per workspace, hour, slice and metric, a count and summed seconds
/// (durations also per histogram bucket). Each conversation's contribution is kept beside
/// them, so a conversation read again changes the rollups by the difference only: replaying
/// its events, or a job run twice, adds nothing.
struct CreateReports: AsyncMigration {
    var name: String { "0016_reports" }

    func prepare(on database: any Database) async throws {
        /// Days, weeks and months are summed from the hours in the workspace's time zone.
        try await database.schema("report_rollups").rollupColumns(time: "hour")
            .unique(on: "workspace_id", "dim", "metric", "hour", "detail", "bin")
            .create()
        try await database.schema("report_contributions")
            .field("conversation_id", .uuid, .identifier(auto: false))
            .field("workspace_id", .uuid, .required)
            /// JSON: the slices the conversation was counted under.
            .field("dims", .string, .required)
            /// JSON: the facts it contributed.
            .field("facts", .string, .required)
            .field("updated_ms", .int64, .required)
            .create()
        try await database.schema("report_state")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_report_contributions_workspace").on("report_contributions").column("workspace_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_state").delete()
        try await database.schema("report_contributions").delete()
        try await database.schema("report_rollups").delete()
    }
}
