import FluentKit
import Foundation
import Logging
import SQLKit

/// A durable queue in the `jobs` table: whatever is enqueued survives restarts and is
/// retried with exponential backoff until it succeeds or runs out of attempts; failed
/// jobs stay in the table with their last error, never silently dropped.
struct JobQueue: Sendable {
    struct Claimed: Sendable {
        let id: UUID
        let kind: String
        let payload: String
        let attempt: Int
        let maxAttempts: Int
    }

    let persistence: Persistence
    /// How long a claimed job is reserved before another worker may take it over, in case
    /// the node that claimed it died.
    static let lease: Int64 = 5 * 60 * 1000

    func enqueue(kind: String, payload: String, on database: any Database, delayMillis: Int64 = 0, maxAttempts: Int = 8) async throws {
        let row = JobRow()
        row.id = TimeOrderedID.make()
        row.kind = kind
        row.payload = payload
        row.status = "queued"
        row.createdMillis = Date().millisSince1970
        row.runAfterMillis = row.createdMillis + delayMillis
        row.attempts = 0
        row.maxAttempts = maxAttempts
        try await row.create(on: database)
    }

    /// Takes the next due job. On PostgreSQL `SKIP LOCKED` lets any number of workers on
    /// any number of nodes claim concurrently, each job exactly once; SQLite has a single
    /// writer connection, which serialises claims by itself.
    func claim(now: Int64 = Date().millisSince1970) async throws -> Claimed? {
        let lockClause: SQLQueryString = persistence.location.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let query: SQLQueryString = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until_ms = \(bind: now + Self.lease)
            WHERE id = (SELECT id FROM jobs
                        WHERE (status = 'queued' AND run_after_ms <= \(bind: now))
                           OR (status = 'running' AND locked_until_ms < \(bind: now))
                        ORDER BY run_after_ms LIMIT 1\(lockClause))
            RETURNING id, kind, payload, attempts, max_attempts
            """
        guard let row = try await persistence.sql.raw(query).first() else { return nil }
        return Claimed(id: try row.decode(column: "id", as: UUID.self),
                       kind: try row.decode(column: "kind", as: String.self),
                       payload: try row.decode(column: "payload", as: String.self),
                       attempt: try row.decode(column: "attempts", as: Int.self),
                       maxAttempts: try row.decode(column: "max_attempts", as: Int.self))
    }

    func complete(_ job: Claimed) async throws {
        try await JobRow.query(on: persistence.db).filter(\.$id == job.id)
            .set(\.$status, to: "done").set(\.$lockedUntilMillis, to: nil).update()
    }

    func fail(_ job: Claimed, error: String, now: Int64 = Date().millisSince1970) async throws {
        let exhausted = job.attempt >= job.maxAttempts
        try await JobRow.query(on: persistence.db).filter(\.$id == job.id)
            .set(\.$status, to: exhausted ? "failed" : "queued")
            .set(\.$runAfterMillis, to: now + Self.backoffMillis(afterAttempt: job.attempt))
            .set(\.$lastError, to: String(error.prefix(500)))
            .set(\.$lockedUntilMillis, to: nil)
            .update()
    }

    /// 2 s, 4 s, 8 s … capped at one hour, with jitter so retries from many jobs spread out.
    static func backoffMillis(afterAttempt attempt: Int) -> Int64 {
        let base = Int64(2_000) << Int64(min(max(attempt - 1, 0), 11))
        let capped = min(base, 3_600_000)
        return capped + Int64.random(in: 0...(capped / 10))
    }
}

protocol JobHandler: Sendable {
    var kind: String { get }
    func run(payload: String) async throws
}

/// A failure the handler knows retrying cannot fix (the target was deleted, say).
struct PermanentJobFailure: Error { let reason: String }
