import Foundation
import Synchronization

/// The time at which service-level clocks are judged. It is the system's; specifications
/// move it forward to see a warning or a breach happen without waiting for it.
public final class DeskClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves this desk's time forward by `interval` seconds.
    public func advance(by interval: TimeInterval) { offset.withLock { $0 += interval } }
}
