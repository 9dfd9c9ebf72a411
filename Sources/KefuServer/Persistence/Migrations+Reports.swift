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
        try await database.schema("report_rollups")
            .field("workspace_id", .uuid, .required)
            /// Hours since 1970 (UTC); days, weeks and months are summed in the workspace's time zone.
            .field("hour", .int64, .required)
            /// "all", or one slice: "inbox:<id>", "team:<id>", "agent:<id>", "category:<name>",
            /// "language:<code>", "priority:<p>", "tier:<t>", "channel:<kind>".
            .field("dim", .string, .required)
            .field("metric", .string, .required)
            /// What the metric needs beside: a score, a clock, a reason; "" when nothing.
            .field("detail", .string, .required)
            /// A duration's histogram bucket; -1 for counts.
            .field("bin", .int, .required)
            .field("n", .int64, .required)
            .field("total", .double, .required)
            .field("total_business", .double, .required)
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
