import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization

/// Everything the agent socket heard: when each message's `message.created` arrived, and
/// how many events of each type.
final class EventLog: Sendable {
    private struct State {
        var messageArrivals: [String: UInt64] = [:]
        var countsByType: [String: Int] = [:]
        var unreadable = 0
    }

    private struct Envelope: Decodable {
        struct Payload: Decodable { let id: String? }
        let type: String
        let payload: Payload?
    }

    private let state = Mutex(State())
    private let decoder = JSONDecoder()

    func record(_ text: String, at arrival: UInt64) {
        guard let envelope = try? decoder.decode(Envelope.self, from: Data(text.utf8)) else {
            state.withLock { $0.unreadable += 1 }
            return
        }
        state.withLock { state in
            state.countsByType[envelope.type, default: 0] += 1
            if envelope.type == "message.created", let id = envelope.payload?.id {
                // Ids are upper-case UUID text in both the HTTP answer and the event, but compare
                // case-insensitively in case one side changes its formatting.
                state.messageArrivals[id.uppercased()] = arrival
            }
        }
    }

    /// Arrival times for these message ids, nil for those not (yet) heard.
    func arrivals(of ids: [String]) -> [UInt64?] {
        state.withLock { state in ids.map { state.messageArrivals[$0] } }
    }

    func countMissing(_ ids: [String]) -> Int {
        state.withLock { state in ids.reduce(0) { $0 + (state.messageArrivals[$1] == nil ? 1 : 0) } }
    }

    var countsByType: [String: Int] { state.withLock { $0.countsByType } }
    var unreadable: Int { state.withLock { $0.unreadable } }
}

/// One agent's realtime socket, open for the whole run, as a console tab would be.
final class AgentSocket: Sendable {
    let log = EventLog()
    private let ready: AsyncStream<Void>
    private let readyContinuation: AsyncStream<Void>.Continuation
    private let stop: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let failure = Mutex<String?>(nil)
    private let stopping = Mutex(false)

    // Only errors matter here, and they surface through `failed`.
    private static let quiet: Logger = {
        var logger = Logger(label: "kefu-bench-ingest.socket")
        logger.logLevel = .critical
        return logger
    }()

    init() {
        (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        (stop, stopContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Connects and returns once the server has said `socket.ready`, after which no event
    /// can be missed.
    func open(url: String, token: String, timeoutSeconds: Double) async throws {
        let log = self.log
        let readyContinuation = self.readyContinuation
        let stop = self.stop
        let connection = Task { [self] in
            do {
                try await WebSocketClient.connect(url: "\(url)?token=\(token)", configuration: .init(maxFrameSize: 1 << 20),
                                                  logger: Self.quiet) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                let arrival = Clock.now()
                                guard case .text(let text) = message else { continue }
                                if text.contains("\"socket.ready\"") {
                                    readyContinuation.yield()
                                } else {
                                    log.record(text, at: arrival)
                                }
                            }
                        }
                        group.addTask {
                            for await _ in stop { break }
                            try await outbound.close(.normalClosure, reason: "benchmark done")
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            } catch {
                noteFailure("\(error)")
                readyContinuation.finish()
                throw error
            }
            noteFailure("the server closed the agent socket")
            readyContinuation.finish()
        }
        task.withLock { $0 = connection }
        let isReady = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { [ready] in
                for await _ in ready { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeoutSeconds))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        guard isReady else {
            connection.cancel()
            let reason = failed ?? "no socket.ready within \(Int(timeoutSeconds)) s"
            throw BenchError("the agent socket did not open: \(reason)")
        }
    }

    private func noteFailure(_ reason: String) {
        if !stopping.withLock({ $0 }) { failure.withLock { $0 = $0 ?? reason } }
    }

    /// Whether the socket is still connected; a closed one would make every later level
    /// look like lost deliveries, so the run stops instead.
    var failed: String? { failure.withLock { $0 } }

    func close() async {
        stopping.withLock { $0 = true }
        stopContinuation.yield()
        stopContinuation.finish()
        let connection = task.withLock { $0 }
        // A server that never answers the close frame must not hold the run open.
        let closer = Task {
            try await Task.sleep(for: .seconds(5))
            connection?.cancel()
        }
        _ = try? await connection?.value
        closer.cancel()
    }
}
