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
        let workspaceID: UUID?
    }

    let persistence: Persistence
    /// How long a claimed job is reserved when its kind names no timeout of its own.
    static let lease: Int64 = 5 * 60 * 1000
    /// Jobs of the desk itself (no workspace) take their turn under this key.
    static let deskKey = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    func enqueue(kind: String, payload: String, on database: any Database, delayMillis: Int64 = 0, maxAttempts: Int = 8,
                 workspaceID: UUID? = nil) async throws {
        let row = JobRow()
        row.workspaceID = workspaceID
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

    /// What a claim may take: workspaces already at their cap are skipped, and the turn
    /// goes to the first workspace after `after` that has a job due, round the circle.
    struct Turn: Sendable {
        var after: UUID?
        var skipping: Set<UUID> = []
        /// A kind's lease in milliseconds: its timeout plus a margin.
        var leases: [String: Int64] = [:]
    }

    /// Takes the next due job, or one whose lease ran out with attempts left. On PostgreSQL
    /// `SKIP LOCKED` lets any number of workers on any number of nodes claim concurrently,
    /// each job exactly once; SQLite has a single writer connection, which serialises claims.
    func claim(now: Int64 = Date().millisSince1970, turn: Turn = Turn()) async throws -> Claimed? {
        let lockClause: SQLQueryString = persistence.location.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let key: SQLQueryString = "COALESCE(workspace_id, \(bind: Self.deskKey))"
        var skip: SQLQueryString = ""
        if !turn.skipping.isEmpty {
            skip = " AND \(key) NOT IN (\(turn.skipping.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")))"
        }
        let order: SQLQueryString = turn.after.map { "CASE WHEN \(key) > \(bind: $0) THEN 0 ELSE 1 END, \(key), " } ?? ""
        var lease: SQLQueryString = "\(bind: now + Self.lease)"
        if !turn.leases.isEmpty {
            let cases = turn.leases.sorted { $0.key < $1.key }.map { "WHEN \(bind: $0.key) THEN \(bind: now + $0.value)" as SQLQueryString }
            lease = "CASE kind \(cases.joined(separator: " ")) ELSE \(bind: now + Self.lease) END"
        }
        let due: SQLQueryString = """
            ((status = 'queued' AND run_after_ms <= \(bind: now))
               OR (status = 'running' AND locked_until_ms < \(bind: now) AND attempts < max_attempts))\(skip)
            """
        // Idle workers look first on a reading connection: on SQLite a claim is a write, and
        // polling with writes would queue the message path behind them.
        guard try await (persistence.reader as! any SQLDatabase).raw("SELECT 1 AS due FROM jobs WHERE \(due) LIMIT 1").first() != nil else {
            return nil
        }
        let query: SQLQueryString = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until_ms = \(lease)
            WHERE id = (SELECT id FROM jobs WHERE \(due)
                        ORDER BY \(order)run_after_ms LIMIT 1\(lockClause))
            RETURNING id, kind, payload, attempts, max_attempts, workspace_id
            """
        guard let row = try await persistence.sql.raw(query).first() else { return nil }
        return Claimed(id: try row.decode(column: "id", as: UUID.self),
                       kind: try row.decode(column: "kind", as: String.self),
                       payload: try row.decode(column: "payload", as: String.self),
                       attempt: try row.decode(column: "attempts", as: Int.self),
                       maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                       workspaceID: try row.decode(column: "workspace_id", as: UUID?.self))
    }

    /// A job whose lease ran out on its last attempt killed or stalled its worker every
    /// time it ran: it is failed with that said, rather than run again forever.
    func failAbandoned(now: Int64 = Date().millisSince1970) async throws {
        try await persistence.sql.raw("""
            UPDATE jobs SET status = 'failed', locked_until_ms = NULL,
                last_error = 'the worker running it stopped or timed out on every attempt'
            WHERE status = 'running' AND locked_until_ms < \(bind: now) AND attempts >= max_attempts
            """).run()
    }

    /// On SQLite only this process can have been running jobs: after a restart, what it
    /// had claimed is due again at once instead of when its lease would have run out.
    func releaseAfterRestart() async throws {
        guard !persistence.location.isPostgres else { return }
        try await persistence.sql.raw("""
            UPDATE jobs SET status = 'queued', locked_until_ms = NULL WHERE status = 'running' AND attempts < max_attempts
            """).run()
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
    /// How long one run may take before it is abandoned and retried.
    var timeout: Duration { get }
    func run(payload: String) async throws
}

extension JobHandler {
    var timeout: Duration { .seconds(60) }
}

/// A failure the handler knows retrying cannot fix (the target was deleted, say).
struct PermanentJobFailure: Error { let reason: String }
