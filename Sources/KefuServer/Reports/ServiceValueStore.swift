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
        let windows = Self.windows.sorted()
        func within(_ window: Int) -> String { "r.resolved_ms + \(Int64(window) * day)" }
        // The longest window that has passed, and the shortest one the customer came back in
        // (0: none). The first time they wrote after the resolution is kept on it; when the
        // product last saw them is looked up only where writing did not settle the shortest
        // window, and once per resolution, whatever the number of windows.
        let due = "CASE " + windows.reversed().map { "WHEN \(within($0)) <= \(now.millisSince1970) THEN \($0)" }.joined(separator: " ") + " ELSE 0 END"
        let seen = "CASE " + windows.map { window in
            "WHEN r.back_ms <= \(within(window)) OR (c.last_seen_ms > r.resolved_ms AND c.last_seen_ms <= \(within(window))) THEN \(window)"
        }.joined(separator: " ") + " ELSE 0 END"
        let shortest = windows.first ?? 0
        let back = "CASE WHEN r.back_ms <= \(within(shortest)) THEN \(shortest) ELSE (SELECT \(seen) FROM contacts c WHERE c.id = r.contact_id) END"
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT rating_band, frt_band, due, back, COUNT(*) AS n FROM (
                SELECT \(ratingBand) AS rating_band, \(unsafeRaw: frt) AS frt_band, \(unsafeRaw: due) AS due, \(unsafeRaw: back) AS back
                FROM report_resolutions r
                WHERE r.workspace_id = \(bind: workspaceID) AND r.resolved_ms >= \(bind: from.millisSince1970) AND r.resolved_ms < \(bind: to.millisSince1970)
            ) f GROUP BY rating_band, frt_band, due, back
            """).all()
        struct Bands: Hashable { let rating: RatingBand; let firstResponse: FirstResponseBand }
        let none = Dictionary(uniqueKeysWithValues: windows.map { (String($0), RetentionShare(resolved: 0, returned: 0)) })
        var shares: [Bands: [String: RetentionShare]] = [:]
        for row in rows {
            guard let rating = RatingBand(rawValue: try row.decode(column: "rating_band", as: String.self)),
                  let band = FirstResponseBand(rawValue: try row.decode(column: "frt_band", as: String.self)) else { continue }
            let passed = try row.decode(column: "due", as: Int.self), cameBack = try row.decode(column: "back", as: Int?.self) ?? 0
            let n = try row.decode(column: "n", as: Int64.self)
            var byWindow = shares[Bands(rating: rating, firstResponse: band)] ?? none
            for window in windows where passed >= window {
                let sum = byWindow[String(window)] ?? RetentionShare(resolved: 0, returned: 0)
                byWindow[String(window)] = RetentionShare(resolved: sum.resolved + n, returned: sum.returned + (cameBack > 0 && cameBack <= window ? n : 0))
            }
            shares[Bands(rating: rating, firstResponse: band)] = byWindow
        }
        return shares.map { Cell(rating: $0.key.rating, firstResponse: $0.key.firstResponse, windows: $0.value) }
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
