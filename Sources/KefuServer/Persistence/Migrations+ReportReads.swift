import FluentKit
import SQLKit

/// The slices' and the agents' tables read every slice of a range's days at once. Through
/// an index of (workspace, day) alone each of those rows is then a second lookup in the
/// table; with the row's every column in the index the range is one scan of it.
struct CoverReportDays: AsyncMigration {
    var name: String { "0019_report_days_covered" }

    static let columns = ["workspace_id", "day", "dim", "metric", "detail", "bin", "n", "total", "total_business"]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_report_rollups_daily_days").run()
        var index = sql.create(index: "idx_report_rollups_daily_days_covered").on("report_rollups_daily")
        for column in Self.columns { index = index.column(column) }
        try await index.run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "idx_report_rollups_daily_days_covered").run()
        try await sql.create(index: "idx_report_rollups_daily_days").on("report_rollups_daily").column("workspace_id").column("day").run()
    }
}
