import FluentKit
import SQLKit

/// Each resolution keeps when its customer first wrote after it: the value report's
/// retention figures then read the range's resolutions alone, instead of looking into every
/// customer's writing days, a table that grows with the whole history.
struct CreateReturnTimes: AsyncMigration {
    var name: String { "0020_report_resolutions_back" }

    func prepare(on database: any Database) async throws {
        /// Milliseconds since 1970 of the customer's first message after the resolution, in any conversation.
        try await database.schema("report_resolutions").field("back_ms", .int64).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "idx_report_resolutions_contact").on("report_resolutions").column("contact_id").run()
        try await sql.raw("""
            UPDATE report_resolutions SET back_ms = (SELECT MIN(v.last_ms) FROM report_visits v
              WHERE v.contact_id = report_resolutions.contact_id AND v.last_ms > report_resolutions.resolved_ms)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as? any SQLDatabase)?.drop(index: "idx_report_resolutions_contact").run()
        try await database.schema("report_resolutions").deleteField("back_ms").update()
    }
}
