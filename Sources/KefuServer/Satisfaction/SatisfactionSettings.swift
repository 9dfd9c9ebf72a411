import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Each workspace's survey rules; a workspace that never set them has the standard ones.
enum SatisfactionSettings {
    /// The rating rules and the NPS rules, in one statement: a resolve reads both.
    static func rules(workspaceID: UUID, on db: any Database) async throws -> (survey: SurveyPolicy, recommendation: RecommendationPolicy) {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT enabled, after_bot_only, quiet_days, nps_enabled, nps_interval_days FROM satisfaction_settings WHERE workspace_id = \(bind: workspaceID)
            """).first() else { return (.standard, .standard) }
        return (SurveyPolicy(enabled: try row.decode(column: "enabled", as: Bool.self), afterBotOnly: try row.decode(column: "after_bot_only", as: Bool.self),
                             quietDays: try row.decode(column: "quiet_days", as: Int.self)),
                RecommendationPolicy(enabled: try row.decode(column: "nps_enabled", as: Bool.self), intervalDays: try row.decode(column: "nps_interval_days", as: Int.self)))
    }

    static func save(_ policy: SurveyPolicy, _ recommendation: RecommendationPolicy, workspaceID: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.delete(from: "satisfaction_settings").where("workspace_id", .equal, workspaceID).run()
        try await sql.insert(into: "satisfaction_settings")
            .columns("workspace_id", "enabled", "after_bot_only", "quiet_days", "nps_enabled", "nps_interval_days", "updated_ms")
            .values(SQLBind(workspaceID), SQLBind(policy.enabled), SQLBind(policy.afterBotOnly), SQLBind(policy.quietDays),
                    SQLBind(recommendation.enabled), SQLBind(recommendation.intervalDays), SQLBind(Date().millisSince1970))
            .run()
    }
}
