/// Whole seconds between two instants given in milliseconds, never negative: clocks of
/// two nodes may disagree by a little, and a report must not show a negative wait.
public func elapsedSeconds(fromMillis start: Int64, toMillis end: Int64) -> Int64 {
    max(0, (end - start) / 1000)
}

/// The median of some durations (the mean of the middle two for an even count); nil for none.
public func median(of values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted(), middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
