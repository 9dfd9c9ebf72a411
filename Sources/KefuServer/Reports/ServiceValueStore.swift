import FluentKit
import Foundation
import KefuCore
import SQLKit
import Synchronization

/// The workspace's prices for the value-of-service report.
struct ServicePriceRepository: Sendable {
    let persistence: Persistence

    func prices(workspaceID: UUID) async throws -> ServicePrices {
        guard let row = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT currency, agent_hour_cost, bot_answer_cost, retained_customer_value FROM value_settings WHERE workspace_id = \(bind: workspaceID)
            """).first() else { return .defaults }
        return ServicePrices(currency: try row.decode(column: "currency", as: String.self), agentHourCost: try row.decode(column: "agent_hour_cost", as: Double.self),
                             botAnswerCost: try row.decode(column: "bot_answer_cost", as: Double.self),
                             retainedCustomerValue: try row.decode(column: "retained_customer_value", as: Double?.self))
    }

    func save(_ prices: ServicePrices, workspaceID: UUID, now: Date) async throws {
        try await persistence.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.delete(from: "value_settings").where("workspace_id", .equal, SQLBind(workspaceID)).run()
            try await sql.insert(into: "value_settings").columns("workspace_id", "currency", "agent_hour_cost", "bot_answer_cost", "retained_customer_value", "updated_ms")
                .values(SQLBind(workspaceID), SQLBind(prices.currency), SQLBind(prices.agentHourCost), SQLBind(prices.botAnswerCost),
                        SQLBind(prices.retainedCustomerValue), SQLBind(now.millisSince1970)).run()
        }
    }
}

/// Whether customers came back after a resolution: they wrote again (in any conversation)
/// or the product saw them (`lastSeenAt`) within the window after it.
struct RetentionReader: Sendable {
    let persistence: Persistence

    static let windows: [Int] = [30, 90]

    struct Cell: Sendable, Codable, Equatable {
        let rating: RatingBand
        let firstResponse: FirstResponseBand
        /// Window in days → resolutions whose window has passed, and of those the ones whose customer came back.
        let windows: [String: RetentionShare]
    }

    /// Resolutions in [from, to), by rating and first-response band. A resolution counts for a
    /// window only once the window has passed by `now`, so a recent one never reads as a loss.
    func cells(workspaceID: UUID, from: Date, to: Date, now: Date) async throws -> [Cell] {
        let day: Int64 = 86_400_000
        let ratingBand: SQLQueryString = "CASE WHEN r.rating IS NULL THEN 'unrated' WHEN r.rating >= 4 THEN 'good' ELSE 'bad' END"
        var frt = "CASE WHEN r.first_response_s IS NULL THEN 'none'"
        for (band, under) in FirstResponseBand.limits { frt += " WHEN r.first_response_s < \(Int(under)) THEN '\(band.rawValue)'" }
        frt += " ELSE '\(FirstResponseBand.longer.rawValue)' END"
        var flags: [SQLQueryString] = []
        var sums: [SQLQueryString] = []
        for window in Self.windows {
            let span = Int64(window) * day
            flags.append("""
                CASE WHEN back_ms <= resolved_ms + \(unsafeRaw: String(span)) OR (last_seen_ms > resolved_ms AND last_seen_ms <= resolved_ms + \(unsafeRaw: String(span)))
                THEN 1 ELSE 0 END AS back\(unsafeRaw: String(window)),
                CASE WHEN resolved_ms + \(unsafeRaw: String(span)) <= \(bind: now.millisSince1970) THEN 1 ELSE 0 END AS due\(unsafeRaw: String(window))
                """)
            sums.append("CAST(SUM(due\(unsafeRaw: String(window))) AS BIGINT) AS due\(unsafeRaw: String(window)), CAST(SUM(due\(unsafeRaw: String(window)) * back\(unsafeRaw: String(window))) AS BIGINT) AS back\(unsafeRaw: String(window))")
        }
        // The first time the customer wrote after a resolution, kept on it, answers every
        // window at once; when the product last saw them is read only for those who did not
        // write within the shortest window (for them it may decide one).
        let shortest = Int64(Self.windows.min() ?? 0) * day
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT rating_band, frt_band, \(sums.joined(separator: ", ")) FROM (
                SELECT rating_band, frt_band, \(flags.joined(separator: ", ")) FROM (
                    SELECT \(ratingBand) AS rating_band, \(unsafeRaw: frt) AS frt_band, r.resolved_ms, r.back_ms,
                    CASE WHEN r.back_ms <= r.resolved_ms + \(unsafeRaw: String(shortest)) THEN NULL
                    ELSE (SELECT c.last_seen_ms FROM contacts c WHERE c.id = r.contact_id) END AS last_seen_ms
                    FROM report_resolutions r
                    WHERE r.workspace_id = \(bind: workspaceID) AND r.resolved_ms >= \(bind: from.millisSince1970) AND r.resolved_ms < \(bind: to.millisSince1970)
                ) f
            ) t GROUP BY rating_band, frt_band
            """).all()
        return try rows.compactMap { row in
            guard let rating = RatingBand(rawValue: try row.decode(column: "rating_band", as: String.self)),
                  let band = FirstResponseBand(rawValue: try row.decode(column: "frt_band", as: String.self)) else { return nil }
            var windows: [String: RetentionShare] = [:]
            for window in Self.windows {
                windows[String(window)] = RetentionShare(resolved: try row.decode(column: "due\(window)", as: Int64?.self) ?? 0,
                                                         returned: try row.decode(column: "back\(window)", as: Int64?.self) ?? 0)
            }
            return Cell(rating: rating, firstResponse: band, windows: windows)
        }
    }
}

/// Each online agent's load, sampled every five minutes: what utilisation is read from.
struct LoadSamples: Sendable {
    let persistence: Persistence
    /// The slot this node last sampled: the upkeep ticks every second or so, and a slot
    /// needs one write, not one per tick beside the message path's writes.
    let sampled = SampledSlot()

    final class SampledSlot: Sendable {
        let slot = Mutex<Int64>(Int64.min)
    }

    static let slotSeconds: Double = 300

    static func slot(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / slotSeconds).rounded(.down)) }

    /// One sample per online agent for the slot holding `now`; a second call in the same slot
    /// (another node, a retried pass) adds nothing.
    func sample(now: Date) async throws {
        let slot = Self.slot(now)
        guard sampled.slot.withLock({ $0 }) != slot else { return }
        let active = ConversationStatus.allCases.filter(\.isActive).map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        try await DatabaseOutage.redoneWhenBusy {
            try await (persistence.db as! any SQLDatabase).raw("""
                INSERT INTO agent_load_samples (workspace_id, agent_id, slot, load, capacity)
                SELECT a.workspace_id, a.id, \(bind: slot),
                (SELECT COUNT(*) FROM conversations c WHERE c.workspace_id = a.workspace_id AND c.assignee_id = a.id AND c.status IN (\(active))), a.capacity
                FROM agents a WHERE a.availability = \(bind: Availability.online.rawValue)
                ON CONFLICT (agent_id, slot) DO NOTHING
                """).run()
        }
        sampled.slot.withLock { $0 = slot }
    }

    /// Per agent: Σ assigned ÷ Σ capacity over the samples in [from, to).
    func utilisation(workspaceID: UUID, from: Date, to: Date) async throws -> [UUID: Double] {
        var shares: [UUID: Double] = [:]
        for row in try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT agent_id, CAST(SUM(load) AS BIGINT) AS load, CAST(SUM(capacity) AS BIGINT) AS capacity FROM agent_load_samples
            WHERE workspace_id = \(bind: workspaceID) AND slot >= \(bind: Self.slot(from)) AND slot < \(bind: Self.slot(to) + 1) GROUP BY agent_id
            """).all() {
            let load = try row.decode(column: "load", as: Int64.self), capacity = try row.decode(column: "capacity", as: Int64.self)
            if let share = Utilisation.share([(Int(load), Int(capacity))]) { shares[try row.decode(column: "agent_id", as: UUID.self)] = share }
        }
        return shares
    }
}
