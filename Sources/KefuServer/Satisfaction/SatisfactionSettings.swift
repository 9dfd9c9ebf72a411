import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Each workspace's survey rules; a workspace that never set them has the standard ones.
enum SatisfactionSettings {
    static func policy(workspaceID: UUID, on db: any Database) async throws -> SurveyPolicy {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT enabled, after_bot_only, quiet_days FROM satisfaction_settings WHERE workspace_id = \(bind: workspaceID)
            """).first() else { return .standard }
        return SurveyPolicy(enabled: try row.decode(column: "enabled", as: Bool.self), afterBotOnly: try row.decode(column: "after_bot_only", as: Bool.self),
                            quietDays: try row.decode(column: "quiet_days", as: Int.self))
    }

    /// Whether and how often customers are asked how likely they are to recommend the desk.
    static func recommendation(workspaceID: UUID, on db: any Database) async throws -> RecommendationPolicy {
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT nps_enabled, nps_interval_days FROM satisfaction_settings WHERE workspace_id = \(bind: workspaceID)
            """).first() else { return .standard }
        return RecommendationPolicy(enabled: try row.decode(column: "nps_enabled", as: Bool.self), intervalDays: try row.decode(column: "nps_interval_days", as: Int.self))
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
