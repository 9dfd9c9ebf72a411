import HTTPTypes
import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import Synchronization
import WSClient

/// How long a test waits for something that should happen: the whole suite runs at once on
/// two cores, so a request that takes milliseconds alone can take tens of seconds there.
/// Waits end as soon as what they wait for happens; only a failing test waits this long.
enum Patience {
    static let forEvent: Duration = .seconds(120)
}

/// Gives up on `body` after `timeout`, so a missing event fails a test instead of hanging it.
func withTimeout<T: Sendable>(_ timeout: Duration = Patience.forEvent, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TestFailure("timed out after \(timeout)")
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}

/// Connects a socket, waits for `socket.ready`, runs `trigger`, then collects text frames
/// until `until` accepts one (returned last) or the time runs out.
func listen(_ client: any TestClientProtocol, _ path: String, timeout: Duration = Patience.forEvent,
            trigger: @escaping @Sendable () async throws -> Void,
            until: @escaping @Sendable (JSON) -> Bool) async throws -> [JSON] {
    let frames = Collected<JSON>()
    try await withTimeout(timeout) {
        try await client.ws(path, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            guard case .text(let first) = try await iterator.next() else { throw TestFailure("socket closed before socket.ready") }
            guard first.contains("socket.ready") else { throw TestFailure("first frame was not socket.ready: \(first)") }
            try await trigger()
            while let message = try await iterator.next() {
                guard case .text(let text) = message else { continue }
                let json = JSON(value: try? JSONSerialization.jsonObject(with: Data(text.utf8)))
                frames.append(json)
                if until(json) { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
    }
    return frames.all
}

/// Items gathered by concurrent tasks in a test.
final class Collected<Item: Sendable>: Sendable {
    private let items = Mutex<[Item]>([])
    func append(_ item: Item) { items.withLock { $0.append(item) } }
    var all: [Item] { items.withLock { $0 } }
}
