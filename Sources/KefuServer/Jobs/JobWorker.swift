import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Several workers on this node share the queue fairly: claims take workspaces in turn,
/// no workspace runs more than `perWorkspace` jobs at once here, and each job kind has its
/// own timeout. So one workspace's dead webhook endpoint keeps at most that many workers
/// waiting, and every other workspace's jobs are claimed by the rest within a poll.
struct JobWorker: Service {
    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let logger: Logger
    let workers: Int
    let perWorkspace: Int
    var idleDelay: Duration = .milliseconds(250)
    private let shared = Shared()

    /// Who runs what on this node, and whose turn is next.
    final class Shared: Sendable {
        let state = Mutex<(running: [UUID: Int], last: UUID?)>(([:], nil))
        /// Claims on this node one at a time, so two workers cannot both take a
        /// workspace's last free place.
        let claiming = KeyedLock()
    }

    init(queue: JobQueue, handlers: [any JobHandler], logger: Logger, workers: Int = 4, perWorkspace: Int = 2) {
        self.queue = queue
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        self.workers = max(1, workers)
        self.perWorkspace = max(1, perWorkspace)
    }

    func run() async throws {
        do {
            try await queue.releaseAfterRestart()
        } catch {
            logger.warning("could not release jobs left running before the restart", metadata: ["error.type": "\(type(of: error))"])
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await housekeeping() }
                for _ in 0..<workers {
                    group.addTask {
                        while !Task.isCancelled {
                            let didWork = await runOnce()
                            if !didWork { try? await Task.sleep(for: idleDelay) }
                        }
                    }
                }
            }
        }
    }

    private func housekeeping() async {
        while !Task.isCancelled {
            await Housekeeping(persistence: queue.persistence, logger: logger).sweep()
            do {
                try await queue.failAbandoned()
            } catch {
                logger.warning("could not fail abandoned jobs", metadata: ["error.type": "\(type(of: error))"])
            }
            try? await Task.sleep(for: min(Housekeeping.interval, .seconds(30)))
        }
    }

    /// Claims and runs one job; false when there was nothing to do.
    @discardableResult
    func runOnce() async -> Bool {
        let job: JobQueue.Claimed
        do {
            guard let claimed = try await claim() else { return false }
            job = claimed
        } catch {
            logger.warning("could not claim a job", metadata: ["error.type": "\(type(of: error))"])
            return false
        }
        defer { finished(job) }
        guard let handler = handlers[job.kind] else {
            try? await queue.fail(job, error: "no handler for job kind \(job.kind)")
            return true
        }
        do {
            try await Self.run(handler, payload: job.payload)
            try await queue.complete(job)
        } catch let failure as PermanentJobFailure {
            logger.info("job gave up", metadata: ["job.kind": "\(job.kind)", "reason": "\(failure.reason)"])
            try? await queue.complete(job)
        } catch {
            logger.info("job failed; will retry", metadata: ["job.kind": "\(job.kind)", "attempt": "\(job.attempt)", "error.type": "\(type(of: error))"])
            try? await queue.fail(job, error: "\(error)")
        }
        return true
    }

    struct TimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "the job took longer than its \(timeout) timeout" }
    }

    /// Runs a job, abandoning it once its kind's timeout has passed.
    static func run(_ handler: any JobHandler, payload: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await handler.run(payload: payload) }
            group.addTask {
                try await Task.sleep(for: handler.timeout)
                throw TimedOut(timeout: handler.timeout)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func claim() async throws -> JobQueue.Claimed? {
        try await shared.claiming.withLock(JobQueue.deskKey) { try await claimInTurn() }
    }

    private func claimInTurn() async throws -> JobQueue.Claimed? {
        let (last, full) = shared.state.withLock { state in
            (state.last, Set(state.running.filter { $0.value >= perWorkspace }.keys))
        }
        var turn = JobQueue.Turn(after: last, skipping: full)
        for (kind, handler) in handlers {
            // The lease outlasts the timeout, so a live worker's job is never taken over.
            turn.leases[kind] = Int64(handler.timeout.components.seconds) * 1000 + 15_000
        }
        guard let job = try await queue.claim(turn: turn) else { return nil }
        let key = job.workspaceID ?? JobQueue.deskKey
        shared.state.withLock { state in
            state.running[key, default: 0] += 1
            state.last = key
        }
        return job
    }

    private func finished(_ job: JobQueue.Claimed) {
        let key = job.workspaceID ?? JobQueue.deskKey
        shared.state.withLock { state in
            let left = (state.running[key] ?? 1) - 1
            state.running[key] = left > 0 ? left : nil
        }
    }
}
