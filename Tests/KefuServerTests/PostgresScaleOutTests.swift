import HTTPTypes
import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import KefuServer

@Suite("Two nodes on one PostgreSQL database behave as one desk", .enabled(if: TestDatabase.postgresURL != nil))
struct PostgresScaleOutTests {
    @Test("a message posted to one node reaches an agent socket connected to the other")
    func realtimeAcrossNodes() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let nodeA = try await desk.application()
            let nodeB = try await desk.application()
            try await nodeA.test(.live) { a in
                try await nodeB.test(.live) { b in
                    let agent = try await b.signIn("owner@acme.test")
                    let visitor = try await a.visitor(inboxToken: workspace.widgetPublicToken!)
                    let frames = try await listen(b, "/api/v1/realtime?token=\(agent)", trigger: {
                        _ = try await a.say("posted on node A", visitorToken: visitor.token)
                    }, until: { $0["type"].string == "message.created" })
                    #expect(frames.last?["payload"]["text"].string == "posted on node A")
                    #expect(frames.first?["type"].string == "conversation.created")
                }
            }
        }
    }

    @Test("a long message that exceeds NOTIFY's payload limit still reaches the other node")
    func largeEventsSpill() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let nodeA = try await desk.application()
            let nodeB = try await desk.application()
            let long = String(repeating: "长", count: 9_000)
            try await nodeA.test(.live) { a in
                try await nodeB.test(.live) { b in
                    let agent = try await b.signIn("owner@acme.test")
                    let visitor = try await a.visitor(inboxToken: workspace.widgetPublicToken!)
                    let frames = try await listen(b, "/api/v1/realtime?token=\(agent)", trigger: {
                        _ = try await a.say(long, visitorToken: visitor.token)
                    }, until: { $0["type"].string == "message.created" })
                    #expect(frames.last?["payload"]["text"].string == long)
                }
            }
        }
    }

    @Test("jobs claimed by workers on two connections concurrently are each claimed exactly once")
    func jobsClaimedOnce() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            let one = try Persistence(location: desk.configuration.database, logger: Logger(label: "one"))
            let two = try Persistence(location: desk.configuration.database, logger: Logger(label: "two"))
            try await one.migrate()
            let queueOne = JobQueue(persistence: one), queueTwo = JobQueue(persistence: two)
            for index in 0..<60 { try await queueOne.enqueue(kind: "test", payload: "\(index)", on: one.db) }
            let claimed = Collected<String>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for queue in [queueOne, queueTwo, queueOne, queueTwo] {
                    group.addTask {
                        while let job = try await queue.claim() {
                            claimed.append(job.payload)
                            try await queue.complete(job)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let payloads = claimed.all
            #expect(payloads.count == 60)
            #expect(Set(payloads).count == 60)
            await one.shutdown()
            await two.shutdown()
        }
    }
}
