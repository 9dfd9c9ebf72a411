import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import KefuServer

/// A receiver that records what it is sent and answers with scripted statuses.
final class HookReceiver: Sendable {
    struct Received: Sendable { let headers: HTTPFields; let body: String }
    let received = Mutex<[Received]>([])
    let statuses: Mutex<[HTTPResponse.Status]>

    init(statuses: [HTTPResponse.Status]) { self.statuses = Mutex(statuses) }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            self.received.withLock { $0.append(Received(headers: request.headers, body: body)) }
            return self.statuses.withLock { $0.isEmpty ? .ok : $0.removeFirst() }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("Webhooks")
struct WebhookTests {
    @Test("a message is delivered to a webhook, signed with its secret, retried after a failure, and logged")
    func signedDeliveryWithRetry() async throws {
        let receiver = HookReceiver(statuses: [.internalServerError])
        try await receiver.application().test(.live) { hookClient in
            let port = try #require(hookClient.port)
            try await withDesk { desk in
                let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
                try await withApp(desk) { client in
                    let admin = try await client.signIn("owner@acme.test")
                    let hook = try await client.call(.post, "/api/v1/webhooks", token: admin,
                                                     json: body(["url": "http://127.0.0.1:\(port)/hook", "eventTypes": ["message.created"]]))
                    #expect(hook.status == .created)
                    let secret = try #require(hook.json["secret"].string)
                    let hookID = try #require(hook.json["id"].string)
                    #expect(try await client.call(.get, "/api/v1/webhooks", token: admin).json["items"][0]["secret"].isNull)

                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    _ = try await client.say("withdrawal pending", visitorToken: visitor.token)

                    let delivered = try await eventually { receiver.received.withLock { $0.count } >= 2 }
                    #expect(delivered, "expected a failed attempt and a retry")
                    let requests = receiver.received.withLock { $0 }
                    let last = try #require(requests.last)
                    #expect(requests.first?.body == last.body)
                    let timestamp = try #require(last.headers[HTTPField.Name("X-Kefu-Timestamp")!])
                    let expected = "sha256=" + Secrets.hmacSHA256Hex(key: secret, message: Data((timestamp + "." + last.body).utf8))
                    #expect(last.headers[HTTPField.Name("X-Kefu-Signature")!] == expected)
                    #expect(last.headers[HTTPField.Name("X-Kefu-Event")!] == "message.created")
                    let payload = JSON(value: try JSONSerialization.jsonObject(with: Data(last.body.utf8)))
                    #expect(payload["type"].string == "message.created")
                    #expect(payload["data"]["text"].string == "withdrawal pending")
                    #expect(requests.allSatisfy { !$0.body.contains("conversation.created") })

                    let logged = try await eventually { try await client.call(.get, "/api/v1/webhooks/\(hookID)/deliveries", token: admin).json["items"].array.count == 2 }
                    #expect(logged)
                    let log = try await client.call(.get, "/api/v1/webhooks/\(hookID)/deliveries", token: admin).json["items"].array
                    #expect(log.map { $0["succeeded"].bool } == [true, false])
                    #expect(log.map { $0["statusCode"].int } == [200, 500])
                    #expect(log.map { $0["attempt"].int } == [2, 1])
                }
            }
        }
    }

    @Test("job backoff grows and is capped at an hour")
    func backoff() {
        #expect((2_000...2_200).contains(JobQueue.backoffMillis(afterAttempt: 1)))
        #expect((4_000...4_400).contains(JobQueue.backoffMillis(afterAttempt: 2)))
        #expect((3_600_000...3_960_000).contains(JobQueue.backoffMillis(afterAttempt: 30)))
    }
}

@Suite("Housekeeping")
struct HousekeepingTests {
    @Test("old finished jobs, old spilled events and expired sessions are removed; failed and recent jobs stay")
    func sweep() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let persistence = try Persistence(location: desk.configuration.database, logger: .init(label: "test"))
            try await persistence.migrate()
            let now = Date().millisSince1970
            let queue = JobQueue(persistence: persistence)
            for (status, age) in [("done", Housekeeping.keepDoneJobs + 1_000), ("done", 1_000), ("failed", Housekeeping.keepDoneJobs * 2)] {
                try await queue.enqueue(kind: "test", payload: status, on: persistence.db)
                let row = try await JobRow.query(on: persistence.db).sort(\.$id, .descending).first()!
                row.status = status
                row.createdMillis = now - age
                try await row.update(on: persistence.db)
            }
            let spill = RealtimeSpillRow(payload: "{}")
            spill.createdMillis = now - Housekeeping.keepSpill - 1
            try await spill.create(on: persistence.db)
            try await SessionRow(workspaceID: workspace.workspaceID, agentID: workspace.ownerID, tokenHash: "expired", expiresMillis: now - 1).create(on: persistence.db)
            try await SessionRow(workspaceID: workspace.workspaceID, agentID: workspace.ownerID, tokenHash: "live", expiresMillis: now + 60_000).create(on: persistence.db)

            await Housekeeping(persistence: persistence, logger: .init(label: "test")).sweep(now: now)

            let jobs = try await JobRow.query(on: persistence.db).all().map { "\($0.status):\($0.payload)" }.sorted()
            #expect(jobs == ["done:done", "failed:failed"])
            #expect(try await RealtimeSpillRow.query(on: persistence.db).count() == 0)
            #expect(try await SessionRow.query(on: persistence.db).all().map(\.tokenHash) == ["live"])
            await persistence.shutdown()
        }
    }
}
