import FluentKit
import Foundation
import Logging
import Synchronization
import Testing
@testable import KefuServer

/// A job kind for tests: sleeps for the payload's milliseconds, then records when it finished.
final class SleepingHandler: JobHandler, Sendable {
    let kind: String
    let timeout: Duration
    private let finished = Mutex<[String: ContinuousClock.Instant]>([:])

    init(kind: String, timeout: Duration = .seconds(60)) {
        self.kind = kind
        self.timeout = timeout
    }

    func run(payload: String) async throws {
        let parts = payload.split(separator: ":")
        try await Task.sleep(for: .milliseconds(Int(parts[1]) ?? 0))
        finished.withLock { $0[String(parts[0])] = .now }
    }

    func finishedAt(_ name: String) -> ContinuousClock.Instant? { finished.withLock { $0[name] } }
}

func withPersistence(_ body: (Persistence, WorkspaceSetup.Created, WorkspaceSetup.Created) async throws -> Void) async throws {
    try await withDesk { desk in
        let a = try await desk.workspace("Acme", owner: "owner@acme.test")
        let b = try await desk.workspace("Beta", owner: "owner@beta.test")
        let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"), postgresConnectionsPerLoop: 2)
        do {
            try await persistence.migrate()
            try await body(persistence, a, b)
        } catch {
            await persistence.shutdown()
            throw error
        }
        await persistence.shutdown()
    }
}

@Suite("Jobs are fair, bounded and never run forever")
struct JobSystemTests {
    @Test("while workspace A's jobs hang on a dead endpoint, workspace B's job runs at once, before any of A's finish, and A holds no more than its cap")
    func deadEndpointDoesNotDelayOthers() async throws {
        try await withPersistence { persistence, a, b in
            let queue = JobQueue(persistence: persistence)
            let handler = SleepingHandler(kind: "test.sleep")
            for index in 0..<12 {
                try await queue.enqueue(kind: "test.sleep", payload: "a\(index):600000", on: persistence.db, workspaceID: a.workspaceID)
            }
            try await queue.enqueue(kind: "test.sleep", payload: "b:0", on: persistence.db, workspaceID: b.workspaceID)
            let worker = JobWorker(queue: queue, handlers: [handler], logger: Logger(label: "test"), workers: 4, perWorkspace: 2)
            let started = ContinuousClock.now
            let running = Task { try await worker.run() }
            defer { running.cancel() }
            var finished: ContinuousClock.Instant?
            while finished == nil, ContinuousClock.now - started < Patience.forEvent {
                finished = handler.finishedAt("b")
                try await Task.sleep(for: .milliseconds(20))
            }
            // A's jobs each hang for ten minutes: B finishing first means it never queued behind them.
            _ = try #require(finished, "workspace B's job never ran")
            #expect((0..<12).allSatisfy { handler.finishedAt("a\($0)") == nil })
            let runningA = try await JobRow.query(on: persistence.db).filter(\.$workspaceID == a.workspaceID).filter(\.$status == "running").count()
            #expect(runningA <= 2, "workspace A holds \(runningA) workers")
        }
    }

    @Test("claims take workspaces in turn rather than oldest first")
    func claimsRoundRobin() async throws {
        try await withPersistence { persistence, a, b in
            let queue = JobQueue(persistence: persistence)
            for index in 0..<3 { try await queue.enqueue(kind: "k", payload: "a\(index)", on: persistence.db, workspaceID: a.workspaceID) }
            for index in 0..<3 { try await queue.enqueue(kind: "k", payload: "b\(index)", on: persistence.db, workspaceID: b.workspaceID) }
            var turn = JobQueue.Turn()
            var order: [String] = []
            while let job = try await queue.claim(turn: turn) {
                order.append(String(job.payload.prefix(1)))
                turn.after = job.workspaceID
                try await queue.complete(job)
            }
            #expect(order.count == 6)
            #expect(zip(order, order.dropFirst()).allSatisfy { $0 != $1 }, "\(order)")
            // A workspace at its cap is skipped.
            try await queue.enqueue(kind: "k", payload: "a-capped", on: persistence.db, workspaceID: a.workspaceID)
            #expect(try await queue.claim(turn: JobQueue.Turn(skipping: [a.workspaceID])) == nil)
        }
    }

    @Test("a job whose worker died is claimed again when its lease runs out, only while attempts remain, and is then failed with the reason")
    func leaseHonoursMaxAttempts() async throws {
        try await withPersistence { persistence, a, _ in
            let queue = JobQueue(persistence: persistence)
            try await queue.enqueue(kind: "k", payload: "crashes", on: persistence.db, maxAttempts: 2, workspaceID: a.workspaceID)
            let now = Date().millisSince1970
            let turn = JobQueue.Turn(leases: ["k": 1_000])
            let first = try #require(try await queue.claim(now: now, turn: turn))
            #expect(first.attempt == 1)
            #expect(try await queue.claim(now: now + 500, turn: turn) == nil, "its lease still holds")
            let second = try #require(try await queue.claim(now: now + 1_500, turn: turn))
            #expect(second.attempt == 2)
            #expect(try await queue.claim(now: now + 3_000, turn: turn) == nil, "no attempts left")
            try await queue.failAbandoned(now: now + 3_000)
            let row = try #require(try await JobRow.query(on: persistence.db).first())
            #expect(row.status == "failed")
            #expect(row.lastError?.contains("stopped or timed out") == true)
        }
    }

    @Test("after a restart on SQLite, jobs the stopped process was running are due again at once")
    func releasedAfterRestart() async throws {
        try await withPersistence { persistence, a, _ in
            guard !persistence.location.isPostgres else { return }
            let queue = JobQueue(persistence: persistence)
            try await queue.enqueue(kind: "k", payload: "in flight", on: persistence.db, workspaceID: a.workspaceID)
            _ = try #require(try await queue.claim())
            #expect(try await queue.claim() == nil)
            try await queue.releaseAfterRestart()
            #expect(try await queue.claim()?.payload == "in flight")
        }
    }

    @Test("a job that outlives its kind's timeout is abandoned and queued for a retry with the reason")
    func timeouts() async throws {
        try await withPersistence { persistence, a, _ in
            let queue = JobQueue(persistence: persistence)
            let handler = SleepingHandler(kind: "test.slow", timeout: .milliseconds(200))
            try await queue.enqueue(kind: "test.slow", payload: "slow:10000", on: persistence.db, workspaceID: a.workspaceID)
            let worker = JobWorker(queue: queue, handlers: [handler], logger: Logger(label: "test"), workers: 1, perWorkspace: 1)
            #expect(await worker.runOnce())
            let row = try #require(try await JobRow.query(on: persistence.db).first())
            #expect(row.status == "queued")
            #expect(row.lastError?.contains("timeout") == true)
            // The handler sleeps 10 s: runOnce came back before it could finish.
            #expect(handler.finishedAt("slow") == nil)
        }
    }

    @Test("a webhook whose receiver has failed for a day is switched off with the reason, and its deliveries stop")
    func webhookDisabledAfterADay() async throws {
        try await withPersistence { persistence, a, _ in
            let hook = WebhookRow(workspaceID: a.workspaceID, url: "http://127.0.0.1:9/hook", secret: "s", eventTypes: #"["message.created"]"#)
            hook.failingSinceMillis = Date().millisSince1970 - WebhookDeliveryHandler.disableAfterMillis - 60_000
            try await hook.create(on: persistence.db)
            let hub = InProcessHub()
            let consoles = hub.subscribe(.workspace(a.workspaceID))
            let handler = WebhookDeliveryHandler(persistence: persistence, httpClient: .shared, hub: hub)
            let delivery = WebhookDispatcher.Delivery(webhookID: hook.id!, eventID: UUID().uuidString, eventType: "message.created", body: "{}")
            await #expect(throws: PermanentJobFailure.self) { try await handler.run(payload: StoredJSON.encode(delivery)) }
            let stored = try #require(try await WebhookRow.find(hook.id, on: persistence.db))
            #expect(!stored.active)
            #expect(stored.disabledReason?.contains("24 hours") == true)
            let notice = try #require(await consoles.events.first { _ in true })
            #expect(notice.type == "webhook.disabled")
            // The next delivery gives up at once instead of calling the dead receiver again.
            await #expect(throws: PermanentJobFailure.self) { try await handler.run(payload: StoredJSON.encode(delivery)) }
            #expect(try await WebhookDeliveryRow.query(on: persistence.db).count() == 1)
        }
    }

    @Test("a receiver that fails starts the day's clock; one success stops it")
    func failingClock() async throws {
        try await withPersistence { persistence, a, _ in
            let hook = WebhookRow(workspaceID: a.workspaceID, url: "http://127.0.0.1:9/hook", secret: "s", eventTypes: #"["message.created"]"#)
            try await hook.create(on: persistence.db)
            let handler = WebhookDeliveryHandler(persistence: persistence, httpClient: .shared)
            let delivery = WebhookDispatcher.Delivery(webhookID: hook.id!, eventID: UUID().uuidString, eventType: "message.created", body: "{}")
            await #expect(throws: WebhookDeliveryHandler.DeliveryFailed.self) { try await handler.run(payload: StoredJSON.encode(delivery)) }
            let failing = try #require(try await WebhookRow.find(hook.id, on: persistence.db))
            #expect(failing.active)
            #expect(failing.failingSinceMillis != nil)
        }
    }
}
