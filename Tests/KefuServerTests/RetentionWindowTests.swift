import FluentKit
import Foundation
import KefuCore
import SQLKit
import Testing

@testable import KefuServer

@Suite("Retention: a customer came back within a window when they wrote, or were seen, after the resolution and before the window closed")
struct RetentionWindowTests {
    /// One resolved customer: when they wrote again and when the product last saw them, in
    /// days after the resolution, and whether each window counts them as back.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let wroteAfterDays: [Double]
        let seenAfterDays: Double?
        let backWithin30: Bool
        let backWithin90: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "wrote ten days later", wroteAfterDays: [10], seenAfterDays: nil, backWithin30: true, backWithin90: true),
        Case(name: "wrote 45 days later", wroteAfterDays: [45], seenAfterDays: nil, backWithin30: false, backWithin90: true),
        Case(name: "wrote 100 days later", wroteAfterDays: [100], seenAfterDays: nil, backWithin30: false, backWithin90: false),
        Case(name: "wrote only before the resolution", wroteAfterDays: [-2], seenAfterDays: nil, backWithin30: false, backWithin90: false),
        Case(name: "wrote before it and 60 days after", wroteAfterDays: [-2, 60], seenAfterDays: nil, backWithin30: false, backWithin90: true),
        Case(name: "never wrote, seen 20 days later", wroteAfterDays: [], seenAfterDays: 20, backWithin30: true, backWithin90: true),
        Case(name: "wrote 100 days later, seen 50 days later", wroteAfterDays: [100], seenAfterDays: 50, backWithin30: false, backWithin90: true),
        Case(name: "wrote 45 days later, seen 20 days later", wroteAfterDays: [45], seenAfterDays: 20, backWithin30: true, backWithin90: true),
        Case(name: "wrote 10 days later, seen 200 days later", wroteAfterDays: [10], seenAfterDays: 200, backWithin30: true, backWithin90: true),
        Case(name: "exactly on the thirtieth day", wroteAfterDays: [30], seenAfterDays: nil, backWithin30: true, backWithin90: true),
        Case(name: "neither wrote nor was seen", wroteAfterDays: [], seenAfterDays: nil, backWithin30: false, backWithin90: false),
    ]

    @Test("each case alone, read through the value report's retention query", arguments: cases)
    func window(_ given: Case) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withPersistence(desk) { persistence in
                let resolved = Date(timeIntervalSince1970: 1_780_000_000)
                let day = 86_400.0
                let contact = ContactRow(workspaceID: workspace.workspaceID)
                contact.lastSeenMillis = given.seenAfterDays.map { resolved.addingTimeInterval($0 * day).millisSince1970 }
                try await contact.create(on: persistence.db)
                let contactID = try contact.requireID()
                let sql = persistence.db as! any SQLDatabase
                try await sql.insert(into: "report_resolutions")
                    .columns("conversation_id", "cycle", "workspace_id", "contact_id", "resolved_ms", "rating", "first_response_s")
                    .values(SQLBind(UUID()), SQLBind(0), SQLBind(workspace.workspaceID), SQLBind(contactID), SQLBind(resolved.millisSince1970), SQLBind(5), SQLBind(120.0))
                    .run()
                for after in given.wroteAfterDays {
                    let at = resolved.addingTimeInterval(after * day)
                    try await sql.insert(into: "report_visits").columns("conversation_id", "contact_id", "day", "last_ms")
                        .values(SQLBind(UUID()), SQLBind(contactID), SQLBind(Int64(at.timeIntervalSince1970 / day)), SQLBind(at.millisSince1970)).run()
                }
                try await ReportProjector.refreshReturns(of: [contactID], on: sql)
                let cells = try await RetentionReader(persistence: persistence).cells(
                    workspaceID: workspace.workspaceID, from: resolved.addingTimeInterval(-day), to: resolved.addingTimeInterval(day),
                    now: resolved.addingTimeInterval(200 * day))
                #expect(cells.count == 1 && cells.first?.rating == .good && cells.first?.firstResponse == .underFiveMinutes, "\(cells)")
                let windows = try #require(cells.first?.windows)
                #expect(windows["30"] == RetentionShare(resolved: 1, returned: given.backWithin30 ? 1 : 0), "30 days: \(windows)")
                #expect(windows["90"] == RetentionShare(resolved: 1, returned: given.backWithin90 ? 1 : 0), "90 days: \(windows)")
            }
        }
    }

    @Test("a window still running counts no one, as resolved or as kept; the passed one counts, by band",
          arguments: [(nowAfterDays: 10.0, due30: false, due90: false), (40, true, false), (95, true, true)])
    func running(nowAfterDays: Double, due30: Bool, due90: Bool) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withPersistence(desk) { persistence in
                let resolved = Date(timeIntervalSince1970: 1_780_000_000)
                let day = 86_400.0
                let sql = persistence.db as! any SQLDatabase
                // Two customers rated well (one wrote back after 5 days) and one rated badly who never did.
                var contacts: Set<UUID> = []
                for (rating, wroteAfter) in [(5, 5.0 as Double?), (4, nil), (1, nil)] {
                    let contact = ContactRow(workspaceID: workspace.workspaceID)
                    try await contact.create(on: persistence.db)
                    let contactID = try contact.requireID()
                    contacts.insert(contactID)
                    try await sql.insert(into: "report_resolutions")
                        .columns("conversation_id", "cycle", "workspace_id", "contact_id", "resolved_ms", "rating", "first_response_s")
                        .values(SQLBind(UUID()), SQLBind(0), SQLBind(workspace.workspaceID), SQLBind(contactID), SQLBind(resolved.millisSince1970), SQLBind(rating), SQLBind(4_000.0))
                        .run()
                    if let wroteAfter {
                        let at = resolved.addingTimeInterval(wroteAfter * day)
                        try await sql.insert(into: "report_visits").columns("conversation_id", "contact_id", "day", "last_ms")
                            .values(SQLBind(UUID()), SQLBind(contactID), SQLBind(Int64(at.timeIntervalSince1970 / day)), SQLBind(at.millisSince1970)).run()
                    }
                }
                try await ReportProjector.refreshReturns(of: contacts, on: sql)
                let cells = try await RetentionReader(persistence: persistence).cells(
                    workspaceID: workspace.workspaceID, from: resolved.addingTimeInterval(-day), to: resolved.addingTimeInterval(day),
                    now: resolved.addingTimeInterval(nowAfterDays * day))
                let good = try #require(cells.first { $0.rating == .good }), bad = try #require(cells.first { $0.rating == .bad })
                #expect(cells.count == 2 && good.firstResponse == .underEightHours, "\(cells)")
                #expect(good.windows["30"] == RetentionShare(resolved: due30 ? 2 : 0, returned: due30 ? 1 : 0))
                #expect(good.windows["90"] == RetentionShare(resolved: due90 ? 2 : 0, returned: due90 ? 1 : 0))
                #expect(bad.windows["30"] == RetentionShare(resolved: due30 ? 1 : 0, returned: 0))
                #expect(bad.windows["90"] == RetentionShare(resolved: due90 ? 1 : 0, returned: 0))
            }
        }
    }
}
