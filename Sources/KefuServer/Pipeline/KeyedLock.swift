import Foundation
import Synchronization

/// Serialises work per key (one customer) inside this process, so two messages sent at the
/// same instant by one customer cannot open two conversations.
final class KeyedLock: Sendable {
    private let waiters = Mutex<[UUID: [CheckedContinuation<Void, Never>]]>([:])

    func withLock<T: Sendable>(_ key: UUID, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: UUID) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = waiters.withLock { state -> Bool in
                if state[key] == nil { state[key] = []; return true }
                state[key]!.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release(_ key: UUID) {
        let next = waiters.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state[key] else { return nil }
            if queue.isEmpty { state[key] = nil; return nil }
            let first = queue.removeFirst()
            state[key] = queue
            return first
        }
        next?.resume()
    }
}

