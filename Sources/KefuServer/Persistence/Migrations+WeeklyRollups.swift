import FluentKit
import SQLKit

/// The daily rollups summed by UTC week, Monday to Monday: a report over a quarter reads
/// about twelve weeks and a few days instead of ninety days, so the tables that sum every
/// slice or every agent at once read a third of the rows.
struct CreateWeeklyRollups: AsyncMigration {
    var name: String { "0019_report_rollups_weekly" }

    func prepare(on database: any Database) async throws {
        /// `day` is the Monday that begins the week.
        try await database.schema("report_rollups_weekly").rollupColumns(time: "day")
            .unique(on: "workspace_id", "dim", "day", "metric", "detail", "bin")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Rollups kept before this table existed, summed into it once; `%` truncates towards
        // zero on both databases, hence the second `+ 7) % 7`.
        try await sql.raw("""
            INSERT INTO report_rollups_weekly (workspace_id, day, dim, metric, detail, bin, n, total, total_business)
            SELECT workspace_id, day - ((day + 3) % 7 + 7) % 7, dim, metric, detail, bin, SUM(n), SUM(total), SUM(total_business)
            FROM report_rollups_daily GROUP BY workspace_id, day - ((day + 3) % 7 + 7) % 7, dim, metric, detail, bin
            """).run()
        try await sql.create(index: "idx_report_rollups_weekly_days").on("report_rollups_weekly").column("workspace_id").column("day").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_rollups_weekly").delete()
    }
}
