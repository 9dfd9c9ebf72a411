import FluentKit
import Foundation
import Logging

/// Removes what has served its purpose: finished jobs after a few days, spilled realtime
/// events after an hour, expired sign-in sessions. Failed jobs stay for an admin to see.
struct Housekeeping: Sendable {
    static let interval: Duration = .seconds(600)
    static let keepDoneJobs: Int64 = 3 * 24 * 3600 * 1000
    static let keepSpill: Int64 = 3600 * 1000

    let persistence: Persistence
    let logger: Logger

    func sweep(now: Int64 = Date().millisSince1970) async {
        do {
            let db = persistence.db
            try await JobRow.query(on: db).filter(\.$status == "done").filter(\.$createdMillis < now - Self.keepDoneJobs).delete()
            try await RealtimeSpillRow.query(on: db).filter(\.$createdMillis < now - Self.keepSpill).delete()
            try await SessionRow.query(on: db).filter(\.$expiresMillis < now).delete()
            // The widget's estimate reads the last hour; a day is kept for looking into it.
            try await persistence.sql.raw("DELETE FROM routing_waits WHERE assigned_ms < \(bind: now - 86_400_000)").run()
        } catch {
            logger.warning("housekeeping failed; will try again", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
