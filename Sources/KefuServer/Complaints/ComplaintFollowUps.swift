import Foundation
import Logging
import ServiceLifecycle

/// Sends each resolved complaint's check-back on its day. A check-back is marked sent in
/// the transaction that writes it, so two nodes never send one twice.
struct ComplaintFollowUpService: Service {
    let desk: ComplaintDesk
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await desk.sendFollowUps(now: desk.clock.now())
                } catch {
                    logger.warning("complaint check-backs failed; will try again", metadata: ["error.type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
