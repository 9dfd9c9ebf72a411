import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Hands customers to workers so each writes K messages into their own conversation and
/// no two workers type for the same customer at once (one customer in two browser tabs is
/// real, but it is not what an ingest figure should be made of).
final class VisitorPool: Sendable {
    struct Slot: Sendable {
        let visitor: Visitor
        var sent: Int
        var hasWritten: Bool
    }

    private struct State {
        var fresh: [Visitor]
        var nextFresh = 0
        /// Customers whose K messages were cut short by the end of a phase; the next phase
        /// continues their conversations first.
        var interrupted: [Slot] = []
        var retired: [Slot] = []
        var nextRetired = 0
    }

    private let state: Mutex<State>

    init(_ visitors: [Visitor]) { state = Mutex(State(fresh: visitors)) }

    func take() -> Slot? {
        state.withLock { state in
            if let slot = state.interrupted.popLast() { return slot }
            if state.nextFresh < state.fresh.count {
                defer { state.nextFresh += 1 }
                return Slot(visitor: state.fresh[state.nextFresh], sent: 0, hasWritten: false)
            }
            // Out of new customers (timed runs): earlier ones come back to their open conversation.
            guard state.nextRetired < state.retired.count else { return nil }
            defer {
                state.nextRetired += 1
                if state.nextRetired > 4_096 {
                    state.retired.removeFirst(state.nextRetired)
                    state.nextRetired = 0
                }
            }
            var slot = state.retired[state.nextRetired]
            slot.sent = 0
            return slot
        }
    }

    func putBack(_ slot: Slot, finished: Bool) {
        state.withLock { state in
            if finished { state.retired.append(slot) } else { state.interrupted.append(slot) }
        }
    }
}

/// When a phase stops: after a number of messages shared by all workers, or at a deadline.
final class PhaseBudget: Sendable {
    private let remaining: Atomic<Int>
    private let deadline: UInt64?

    init(messages: Int) {
        remaining = Atomic(messages)
        deadline = nil
    }

    init(seconds: Double) {
        remaining = Atomic(Int.max)
        deadline = Clock.now() + UInt64(seconds * 1e9)
    }

    func claim() -> Bool {
        if let deadline { return Clock.now() < deadline }
        return remaining.subtract(1, ordering: .relaxed).newValue >= 0
    }
}

/// What one worker saw; merged after the phase so the hot loop takes no locks.
struct WorkerLog: Sendable {
    var latencies: [UInt64] = []
    /// Latencies again, split: a conversation's first message takes the long path (new
    /// conversation, numbering, routing), later ones the short one.
    var openingLatencies: [UInt64] = []
    var followUpLatencies: [UInt64] = []
    var messageIDs: [String] = []
    var sentAt: [UInt64] = []
    var lastDone: UInt64 = 0
    var errors = 0
    var errorSamples: [String] = []
    var conversationsOpened: Int { openingLatencies.count }

    mutating func fail(_ what: String) {
        errors += 1
        if errorSamples.count < 3 { errorSamples.append(what) }
    }
}

struct PhaseOutcome: Sendable {
    let startedAt: UInt64
    let logs: [WorkerLog]

    var succeeded: Int { logs.reduce(0) { $0 + $1.latencies.count } }
    var errors: Int { logs.reduce(0) { $0 + $1.errors } }
    var lastDone: UInt64 { logs.map(\.lastDone).max() ?? startedAt }
    var seconds: Double { Double(lastDone > startedAt ? lastDone - startedAt : 0) / 1e9 }
}

extension WorkerLog {
    /// Times a request from before it is handed to the HTTP client until its answer has been
    /// read; a request that gets no answer is counted as an error here and gives nil.
    mutating func send(_ request: HTTPClientRequest, on http: HTTPClient, timeout: TimeAmount) async -> TimedAnswer? {
        let sentAt = Clock.now()
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            let doneAt = Clock.now()
            lastDone = doneAt
            return TimedAnswer(status: UInt(response.status.code), body: body, sentAt: sentAt, latency: doneAt - sentAt)
        } catch {
            lastDone = Clock.now()
            fail("\(error)")
            return nil
        }
    }
}

struct TimedAnswer: Sendable {
    let status: UInt
    let body: ByteBuffer
    let sentAt: UInt64
    let latency: UInt64
}

extension HTTPClientRequest {
    static func postJSON(_ url: String, authorization: String, body: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }
}

/// What the workers of a phase send; the phase itself (workers, shared budget, merged logs)
/// is the same whatever it is, so levels, warm-up and timing are measured alike in every mode.
protocol Workload: Sendable {
    /// One worker's share of a phase; `start` is where its request numbers begin, apart from
    /// the other workers'.
    func worker(sequence start: Int, budget: PhaseBudget) async -> WorkerLog
}

extension Workload {
    func run(concurrency: Int, budget: PhaseBudget, sequenceBase: Int) async -> PhaseOutcome {
        let startedAt = Clock.now()
        let logs = await withTaskGroup(of: WorkerLog.self) { group in
            for index in 0..<concurrency {
                group.addTask { await self.worker(sequence: sequenceBase + index * 10_000_000, budget: budget) }
            }
            var logs: [WorkerLog] = []
            for await log in group { logs.append(log) }
            return logs
        }
        return PhaseOutcome(startedAt: startedAt, logs: logs)
    }
}

/// Sends widget messages: each worker is one browser tab that waits for the answer to a
/// message before sending the next, so concurrency is the number of messages in flight.
struct MessageLoad: Workload {
    let http: HTTPClient
    let messagesURL: String
    let timeout: TimeAmount
    let pool: VisitorPool
    let perConversation: Int

    func worker(sequence start: Int, budget: PhaseBudget) async -> WorkerLog {
        struct Created: Decodable { let id: String }
        let decoder = JSONDecoder()
        var log = WorkerLog()
        var sequence = start
        while var slot = pool.take() {
            while slot.sent < perConversation {
                guard budget.claim() else {
                    pool.putBack(slot, finished: false)
                    return log
                }
                let request = HTTPClientRequest.postJSON(messagesURL, authorization: slot.visitor.authorization, body: CustomerText.body(sequence))
                sequence += 1
                if let answer = await log.send(request, on: http, timeout: timeout) {
                    if answer.status == 201, let created = try? decoder.decode(Created.self, from: Data(answer.body.readableBytesView)) {
                        log.latencies.append(answer.latency)
                        if slot.hasWritten { log.followUpLatencies.append(answer.latency) } else { log.openingLatencies.append(answer.latency) }
                        log.messageIDs.append(created.id.uppercased())
                        log.sentAt.append(answer.sentAt)
                    } else {
                        log.fail("HTTP \(answer.status): \(String(buffer: answer.body).prefix(200))")
                    }
                }
                slot.sent += 1
                slot.hasWritten = true
            }
            pool.putBack(slot, finished: true)
        }
        log.fail("ran out of visitors; start the generator with more --visitors")
        return log
    }
}

/// Opens conversations through the API inbox, as an integration does for customers who write
/// in its product: every request is a customer the desk has not seen, so each one takes the
/// long path (contact, conversation and its number, routing) and none is a follow-up.
final class OpeningLoad: Workload {
    let http: HTTPClient
    let messagesURL: String
    let authorization: String
    let timeout: TimeAmount
    /// Keeps this run's customers apart from those of earlier runs against the same desk.
    let runID: String
    /// Customers are numbered across all workers and phases rather than by `sequence`: worker
    /// ranges of consecutive phases overlap above 100 workers, and a number used twice would
    /// find the earlier customer (or replay their message) instead of opening a conversation.
    private let issued = Atomic(0)

    init(http: HTTPClient, messagesURL: String, authorization: String, timeout: TimeAmount) {
        self.http = http
        self.messagesURL = messagesURL
        self.authorization = authorization
        self.timeout = timeout
        runID = UUID().uuidString.lowercased()
    }

    func worker(sequence _: Int, budget: PhaseBudget) async -> WorkerLog {
        struct Opened: Decodable {
            struct Item: Decodable { let id: String }
            let message: Item
            let conversation: Item
        }
        let decoder = JSONDecoder()
        var log = WorkerLog()
        while budget.claim() {
            let number = issued.add(1, ordering: .relaxed).newValue
            let request = HTTPClientRequest.postJSON(messagesURL, authorization: authorization, body: CustomerText.opening(number, run: runID))
            guard let answer = await log.send(request, on: http, timeout: timeout) else { continue }
            // 200 would be a replay of a message already stored, which opens nothing.
            if answer.status == 201, (try? decoder.decode(Opened.self, from: Data(answer.body.readableBytesView))) != nil {
                log.latencies.append(answer.latency)
                log.openingLatencies.append(answer.latency)
            } else {
                log.fail("HTTP \(answer.status): \(String(buffer: answer.body).prefix(200))")
            }
        }
        return log
    }
}
