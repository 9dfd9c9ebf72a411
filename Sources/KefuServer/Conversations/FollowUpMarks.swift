import FluentKit
import Foundation
import KefuCore
import SQLKit

/// What puts a conversation in the team's follow-up views: an open complaint, and the
/// customer's latest rating (a 1 or 2 is a follow-up); and when a snoozed one wakes.
/// Three statements for a whole page.
struct FollowUpMarks: Sendable {
    var complaints: [UUID: String] = [:]
    var ratings: [UUID: Int] = [:]
    var snoozedUntil: [UUID: Date] = [:]

    static func read(_ ids: [UUID], on db: any Database) async throws -> FollowUpMarks {
        guard !ids.isEmpty else { return FollowUpMarks() }
        let sql = db as! any SQLDatabase
        let listed = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        var marks = FollowUpMarks()
        for row in try await sql.raw("""
            SELECT conversation_id, severity FROM complaints WHERE conversation_id IN (\(listed)) AND withdrawn_ms IS NULL
            """).all() {
            marks.complaints[try row.decode(column: "conversation_id", as: UUID.self)] = try row.decode(column: "severity", as: String.self)
        }
        for row in try await sql.raw("""
            SELECT conversation_id, rating, rated_ms FROM csat_surveys WHERE conversation_id IN (\(listed)) AND rating IS NOT NULL ORDER BY rated_ms
            """).all() {
            // Ordered by time: the latest rating of each conversation is the one kept.
            marks.ratings[try row.decode(column: "conversation_id", as: UUID.self)] = try row.decode(column: "rating", as: Int.self)
        }
        marks.snoozedUntil = try await Snoozes.until(ids, on: db)
        return marks
    }

    /// The marks shown on a conversation.
    func mark(_ view: inout ConversationView) {
        view.complaint = complaints[view.id]
        view.rating = ratings[view.id]
        if view.status == ConversationStatus.snoozed.rawValue { view.snoozedUntil = snoozedUntil[view.id] }
    }
}
