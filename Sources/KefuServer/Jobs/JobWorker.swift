import Foundation
import Logging
import ServiceLifecycle

/// Runs due jobs one at a time until shutdown. It polls rather than waiting on a signal so
/// that jobs enqueued by other nodes, and retries coming due, are picked up all the same.
struct JobWorker: Service {
    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let logger: Logger
    var idleDelay: Duration = .milliseconds(250)

    init(queue: JobQueue, handlers: [any JobHandler], logger: Logger) {
        self.queue = queue
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastSweep = ContinuousClock.now - Housekeeping.interval
            while !Task.isCancelled {
                if ContinuousClock.now - lastSweep >= Housekeeping.interval {
                    await Housekeeping(persistence: queue.persistence, logger: logger).sweep()
                    lastSweep = ContinuousClock.now
                }
                let didWork = await runOnce()
                if !didWork { try? await Task.sleep(for: idleDelay) }
            }
        }
    }

    /// Claims and runs one job; false when there was nothing to do.
    @discardableResult
    func runOnce() async -> Bool {
        let job: JobQueue.Claimed
        do {
            guard let claimed = try await queue.claim() else { return false }
            job = claimed
        } catch {
            logger.warning("could not claim a job", metadata: ["error.type": "\(type(of: error))"])
            return false
        }
        guard let handler = handlers[job.kind] else {
            try? await queue.fail(job, error: "no handler for job kind \(job.kind)")
            return true
        }
        do {
            try await handler.run(payload: job.payload)
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
}
