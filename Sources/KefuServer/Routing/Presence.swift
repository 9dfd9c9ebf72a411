import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Agents' availability as intervals, written with each change: what time online is read from.
enum Presence {
    /// Ends the agent's open interval and opens one for their availability now.
    static func record(_ agent: AgentRow, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let now = agent.availabilityChangedMillis ?? Date().millisSince1970
        try await sql.raw("UPDATE agent_presence SET end_ms = \(bind: now) WHERE agent_id = \(bind: agent.id!) AND end_ms IS NULL").run()
        try await sql.insert(into: "agent_presence").columns("id", "workspace_id", "agent_id", "availability", "start_ms")
            .values(SQLBind(TimeOrderedID.make()), SQLBind(agent.workspaceID), SQLBind(agent.id!), SQLBind(agent.availability), SQLBind(now)).run()
    }

    /// Seconds each agent of the workspace was online in [from, to).
    static func online(workspaceID: UUID, from: Date, to: Date, now: Date, on db: any Database) async throws -> [UUID: TimeInterval] {
        var spans: [UUID: [(start: Date, end: Date?)]] = [:]
        for row in try await (db as! any SQLDatabase).raw("""
            SELECT agent_id, start_ms, end_ms FROM agent_presence WHERE workspace_id = \(bind: workspaceID) AND availability = \(bind: Availability.online.rawValue)
            AND start_ms < \(bind: to.millisSince1970) AND (end_ms IS NULL OR end_ms > \(bind: from.millisSince1970))
            """).all() {
            let end = try row.decode(column: "end_ms", as: Int64?.self).map(Date.init(millisSince1970:))
            spans[try row.decode(column: "agent_id", as: UUID.self), default: []].append((Date(millisSince1970: try row.decode(column: "start_ms", as: Int64.self)), end))
        }
        return spans.mapValues { PresenceTime.seconds($0, from: from, to: to, now: now) }
    }
}
