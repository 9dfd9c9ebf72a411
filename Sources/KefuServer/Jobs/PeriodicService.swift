import Foundation
import Logging
import ServiceLifecycle

/// One piece of the desk's upkeep — complaint check-backs, waking snoozed conversations,
/// keeping report rollups — run every `interval` until shutdown. A round that fails is
/// logged (its error's type only: never data) and tried again next time.
struct PeriodicService: Service {
    let interval: Duration
    let logger: Logger
    /// What did not happen, for the log: "complaint check-backs failed".
    let failure: Logger.Message
    let round: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await round()
                } catch {
                    logger.warning("\(failure); will try again", metadata: ["error.type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
