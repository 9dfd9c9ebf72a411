import Synchronization

/// Wakes the queue dispatcher the moment capacity may have freed (a conversation resolved
/// or unassigned, an agent online or given more room) instead of at its next tick. Rings
/// are coalesced: any number while the dispatcher works make it look once more, not once
/// each. Per node; on PostgreSQL the other nodes still serve their queue on their tick.
final class QueueDoorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a wait's timer apart from a later wait's, so an old timer resumes nothing.
        var generation = 0
    }
    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else { state.rung = true; return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (at once if rung since the last wait), after `timeout`, or when
    /// the waiting task is cancelled, so a desk shutting down is never held by its timer.
    func wait(upTo timeout: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let generation = state.withLock { state -> Int? in
                    if state.rung { state.rung = false; return nil }
                    state.generation += 1
                    state.waiter = continuation
                    return state.generation
                }
                guard let generation else { return continuation.resume() }
                // Cancelled before the waiter was stored: the handler found nothing to resume.
                if Task.isCancelled { return release(generation) }
                Task { [self] in
                    try? await Task.sleep(for: timeout)
                    release(generation)
                }
            }
        } onCancel: {
            release(nil)
        }
    }

    /// Resumes the stored waiter: any (nil), or only the wait of that generation.
    private func release(_ generation: Int?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard generation == nil || state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
