/// Whole seconds between two instants given in milliseconds, never negative: clocks of
/// two nodes may disagree by a little, and a report must not show a negative wait.
public func elapsedSeconds(fromMillis start: Int64, toMillis end: Int64) -> Int64 {
    max(0, (end - start) / 1000)
}
