import FluentKit
import Foundation
import SQLKit

/// What the value-of-service report needs beside the rollups: the workspace's costs, when
/// each customer was last seen, every resolved cycle with its rating and first response
/// (the customers it may have kept), the days each customer wrote on (whether they came
/// back), each agent's load sampled while online (utilisation), and an index that keeps
/// a report's cost to the hours of its range.
struct CreateServiceValue: AsyncMigration {
    var name: String { "0018_service_value" }

    func prepare(on database: any Database) async throws {
        /// The hourly rollups summed by UTC day: a report reads whole days from here and only
        /// the hours at its edges (and a series in a zone whose days are not UTC's) from the
        /// hourly ones. The day comes right after the slice, so a range is one index scan.
        try await database.schema("report_rollups_daily").rollupColumns(time: "day")
            .unique(on: "workspace_id", "dim", "day", "metric", "detail", "bin")
            .create()
        if let sql = database as? any SQLDatabase {
            // Rollups kept before this table existed, summed into it once.
            try await sql.raw("""
                INSERT INTO report_rollups_daily (workspace_id, day, dim, metric, detail, bin, n, total, total_business)
                SELECT workspace_id, hour / 24, dim, metric, detail, bin, SUM(n), SUM(total), SUM(total_business) FROM report_rollups
                GROUP BY workspace_id, hour / 24, dim, metric, detail, bin
                """).run()
        }
        try await database.schema("value_settings")
            .field("workspace_id", .uuid, .identifier(auto: false))
            /// ISO 4217, as the figures are shown.
            .field("currency", .string, .required)
            .field("agent_hour_cost", .double, .required)
            .field("bot_answer_cost", .double, .required)
            .field("retained_customer_value", .double)
            .field("updated_ms", .int64, .required)
            .create()
        /// Set by the product through the API (its app saw the customer), never lowered.
        try await database.schema("contacts").field("last_seen_ms", .int64).update()
        try await database.schema("report_resolutions")
            .field("conversation_id", .uuid, .required)
            .field("cycle", .int, .required)
            .field("workspace_id", .uuid, .required)
            .field("contact_id", .uuid, .required)
            .field("resolved_ms", .int64, .required)
            /// The cycle's rating 1–5, if the customer gave one.
            .field("rating", .int)
            .field("first_response_s", .double)
            .unique(on: "conversation_id", "cycle")
            .create()
        try await database.schema("report_visits")
            .field("conversation_id", .uuid, .required)
            .field("contact_id", .uuid, .required)
            /// Days since 1970 (UTC), and the latest customer message of that day.
            .field("day", .int64, .required)
            .field("last_ms", .int64, .required)
            .unique(on: "conversation_id", "day")
            .create()
        try await database.schema("agent_load_samples")
            .field("workspace_id", .uuid, .required)
            .field("agent_id", .uuid, .required, .references("agents", "id", onDelete: .cascade))
            /// Five-minute slots since 1970: a sample per online agent per slot.
            .field("slot", .int64, .required)
            .field("load", .int, .required)
            .field("capacity", .int, .required)
            .unique(on: "agent_id", "slot")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // A report reads one slice over a range of hours: without this the unique key
        // (slice, metric, hour, …) makes it read every hour of the slice's history.
        try await sql.create(index: "idx_report_rollups_range").on("report_rollups").column("workspace_id").column("dim").column("hour").run()
        // The agents' and the slices' tables read every slice of a range at once: by time first.
        try await sql.create(index: "idx_report_rollups_hours").on("report_rollups").column("workspace_id").column("hour").run()
        try await sql.create(index: "idx_report_rollups_daily_days").on("report_rollups_daily").column("workspace_id").column("day").run()
        try await sql.create(index: "idx_report_resolutions_range").on("report_resolutions").column("workspace_id").column("resolved_ms").run()
        try await sql.create(index: "idx_report_visits_contact").on("report_visits").column("contact_id").column("last_ms").run()
        try await sql.create(index: "idx_agent_load_samples_workspace").on("agent_load_samples").column("workspace_id").column("slot").run()
    }

    func revert(on database: any Database) async throws {
        for index in ["idx_report_rollups_range", "idx_report_rollups_hours"] { try await (database as? any SQLDatabase)?.drop(index: index).run() }
        for table in ["agent_load_samples", "report_visits", "report_resolutions", "value_settings", "report_rollups_daily"] { try await database.schema(table).delete() }
        try await database.schema("contacts").deleteField("last_seen_ms").update()
    }
}
