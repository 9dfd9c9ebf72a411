import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

/// A desk with agents who say what they take: each is signed in, online, with a capacity.
struct Staff {
    let client: any TestClientProtocol
    let owner: String
    var ids: [String: String] = [:]

    init(_ client: any TestClientProtocol) async throws {
        self.client = client
        owner = try await client.signIn("owner@acme.test")
        // The owner is an admin, not someone conversations are routed to here.
        let me = try await client.call(.get, "/api/v1/auth/me", token: owner).json["id"].string!
        _ = try await client.call(.patch, "/api/v1/agents/\(me)", token: owner, json: body(["availability": "offline"]))
    }

    mutating func hire(_ name: String, capacity: Int, languages: [String] = [], skills: [String] = []) async throws {
        let created = try await client.call(.post, "/api/v1/agents", token: owner,
                                            json: body(["email": "\(name)@acme.test", "name": name, "password": "longenough1"]))
        let id = try #require(created.json["id"].string)
        ids[name] = id
        let set = try await client.call(.patch, "/api/v1/agents/\(id)", token: owner,
                                        json: body(["capacity": capacity, "languages": languages, "skills": skills]))
        #expect(set.json["capacity"].int == capacity, "\(set.text)")
        try await availability(name, "online")
    }

    func availability(_ name: String, _ value: String) async throws {
        let token = try await client.signIn("\(name)@acme.test", password: "longenough1")
        _ = try await client.call(.patch, "/api/v1/agents/\(ids[name]!)", token: token, json: body(["availability": value]))
    }

    func conversation(_ id: String) async throws -> JSON {
        try await client.call(.get, "/api/v1/conversations/\(id)", token: owner).json
    }

    func events(_ id: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(id)/events", token: owner).json["items"].array
    }
}

@Suite("Routing by load: capacity, the queue, VIP first, grace periods")
struct QueueTests {
    @Test("an agent at capacity gets no more: the next customer waits in the queue and is assigned the moment a conversation is resolved")
    func capacityAndQueue() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 1)
                let first = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let a = try #require(try await client.say("my deposit has not arrived", visitorToken: first.token)["conversationId"].string)
                #expect(try await staff.conversation(a)["assigneeId"].string == staff.ids["li"])
                let assigned = try #require(try await staff.events(a).first { $0["kind"].string == "assigned" })
                #expect(assigned["data"]["reason"].string == "lowest_load")
                #expect(assigned["data"]["load"].string == "0/1")

                let second = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let b = try #require(try await client.say("where is my withdrawal", visitorToken: second.token)["conversationId"].string)
                #expect(try await staff.conversation(b)["assigneeId"].isNull)
                let queued = try #require(try await staff.events(b).first { $0["kind"].string == "queued" })
                #expect(queued["data"]["reason"].string == "all_full")
                let queue = try await client.call(.get, "/api/v1/routing/queue", token: staff.owner).json["items"].array
                #expect(queue.map { $0["conversation"]["id"].string } == [b])
                #expect(queue.first?["reason"].string == "all_full")
                #expect(queue.first?["position"].int == 1)

                // The widget tells the waiting customer where they stand.
                let status = try await client.call(.get, "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)",
                                                   headers: [.authorization: "Bearer \(second.token)"])
                #expect(status.json["queuePosition"].int == 1, "\(status.text)")
                // The next customer is second in line, straight away: before the scheduler has looked at them too.
                let third = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let c = try #require(try await client.say("how do I add a token", visitorToken: third.token)["conversationId"].string)
                let behind = try await client.call(.get, "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)",
                                                   headers: [.authorization: "Bearer \(third.token)"])
                #expect(behind.json["queuePosition"].int == 2, "\(behind.text)")
                let anonymous = try await client.call(.get, "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)")
                #expect(anonymous.json["queuePosition"].isNull)

                _ = try await client.call(.patch, "/api/v1/conversations/\(a)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await eventually { try await staff.conversation(b)["assigneeId"].string == staff.ids["li"] })
                let served = try #require(try await staff.events(b).last { $0["kind"].string == "assigned" })
                #expect(served["data"]["from"].string == "queue")
                #expect(served["data"]["waitedSeconds"].string != nil)
                #expect(try await client.call(.get, "/api/v1/routing/queue", token: staff.owner).json["items"].array.compactMap { $0["conversation"]["id"].string } == [c])
                let after = try await client.call(.get, "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)",
                                                  headers: [.authorization: "Bearer \(second.token)"])
                #expect(after.json["queuePosition"].isNull)
            }
        }
    }

    @Test("the queue is served the moment capacity frees — a resolve, an agent coming online — not at the dispatcher's next tick")
    func servedAtOnce() async throws {
        try await withDesk { desk in
            // A tick far longer than the test may wait: only the doorbell can serve the queue in time.
            var configuration = desk.configuration
            configuration.serviceLevelTick = .seconds(600)
            let slow = TestDesk(configuration: configuration)
            let workspace = try await slow.workspace("Acme", owner: "owner@acme.test")
            try await withApp(slow) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 1)
                let first = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let a = try #require(try await client.say("my deposit has not arrived", visitorToken: first.token)["conversationId"].string)
                let second = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let b = try #require(try await client.say("where is my withdrawal", visitorToken: second.token)["conversationId"].string)
                #expect(try await staff.conversation(b)["assigneeId"].isNull)

                _ = try await client.call(.patch, "/api/v1/conversations/\(a)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await eventually { try await staff.conversation(b)["assigneeId"].string == staff.ids["li"] })

                // Li is full again; the next customer waits until Wang comes online, and no longer.
                let third = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let c = try #require(try await client.say("how do I add a token", visitorToken: third.token)["conversationId"].string)
                try await staff.hire("wang", capacity: 2)
                #expect(try await eventually { try await staff.conversation(c)["assigneeId"].string == staff.ids["wang"] })
            }
        }
    }

    @Test("when capacity frees, a VIP customer is served before a standard one who waited longer, and the event says so")
    func vipFirst() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 0)
                let standard = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let s = try #require(try await client.say("how do I export my private key", visitorToken: standard.token)["conversationId"].string)
                let vip = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                _ = try await client.call(.patch, "/api/v1/contacts/\(vip.contactID)", token: staff.owner, json: body(["tier": "vip"]))
                let v = try #require(try await client.say("how do I change the network", visitorToken: vip.token)["conversationId"].string)
                let queue = try await client.call(.get, "/api/v1/routing/queue", token: staff.owner).json["items"].array
                #expect(queue.compactMap { $0["conversation"]["id"].string } == [v, s], "the VIP is first in the queue")

                _ = try await client.call(.patch, "/api/v1/agents/\(staff.ids["li"]!)", token: staff.owner, json: body(["capacity": 1]))
                #expect(try await eventually { try await staff.conversation(v)["assigneeId"].string == staff.ids["li"] })
                #expect(try await staff.conversation(s)["assigneeId"].isNull)
                let served = try #require(try await staff.events(v).last { $0["kind"].string == "assigned" })
                #expect(served["data"]["because"].string == "VIP first")
            }
        }
    }

    @Test("an agent who goes away keeps their conversations for the grace period, then they go back to the queue with their first queue time")
    func gracePeriod() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                let settings = try await client.call(.patch, "/api/v1/routing", token: staff.owner, json: body(["graceSeconds": 60]))
                #expect(settings.json["graceSeconds"].int == 60)
                #expect(try await client.call(.patch, "/api/v1/routing", token: staff.owner, json: body(["graceSeconds": -1])).status == .unprocessableContent)
                try await staff.hire("li", capacity: 5)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my swap failed", visitorToken: visitor.token)["conversationId"].string)
                #expect(try await staff.conversation(id)["assigneeId"].string == staff.ids["li"])

                try await staff.availability("li", "away")
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await staff.conversation(id)["assigneeId"].string == staff.ids["li"], "kept within the grace period")
                desk.configuration.clock.advance(by: 61)
                #expect(try await eventually { try await staff.conversation(id)["assigneeId"].isNull })
                let requeued = try #require(try await staff.events(id).first { $0["kind"].string == "requeued" })
                #expect(requeued["data"]["reason"].string == "agent_away")
                #expect(requeued["data"]["previousAssigneeId"].string == staff.ids["li"])
                let queue = try await client.call(.get, "/api/v1/routing/queue", token: staff.owner).json["items"].array
                let entry = try #require(queue.first)
                #expect(entry["reason"].string == "agent_away")
                let firstAssigned = try #require(try await staff.events(id).first { $0["kind"].string == "assigned" })
                #expect(entry["waitingSince"].string.flatMap(ISO8601Timestamp.parse) == firstAssigned["data"]["queuedAt"].string.flatMap(ISO8601Timestamp.parse))

                try await staff.hire("mei", capacity: 5)
                #expect(try await eventually { try await staff.conversation(id)["assigneeId"].string == staff.ids["mei"] })
            }
        }
    }

    @Test("a reopened conversation goes back to its agent when they are online with room, else to someone who is")
    func reopened() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my swap failed", visitorToken: visitor.token)["conversationId"].string)
                try await staff.hire("mei", capacity: 5)
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                _ = try await client.say("it failed again", visitorToken: visitor.token)
                #expect(try await staff.conversation(id)["assigneeId"].string == staff.ids["li"])
                #expect(try await staff.events(id).contains { $0["kind"].string == "assigned" && $0["data"]["reason"].string == "returning" } == false,
                        "staying with the same agent is not a new assignment")

                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                try await staff.availability("li", "offline")
                _ = try await client.say("and again", visitorToken: visitor.token)
                #expect(try await staff.conversation(id)["assigneeId"].string == staff.ids["mei"])
                #expect(try await staff.events(id).contains { $0["data"]["reason"].string == "previous_agent_unavailable" })
            }
        }
    }

    @Test("languages, skills and capacity: agents set their languages; only owners and admins set skills and capacity")
    func agentSettings() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 3, languages: ["zh", "en"], skills: ["NFT"])
                let token = try await client.signIn("li@acme.test", password: "longenough1")
                let mine = try await client.call(.patch, "/api/v1/agents/\(staff.ids["li"]!)", token: token, json: body(["languages": ["zh", "ja", "ZH"]]))
                #expect(mine.json["languages"].array.compactMap(\.string) == ["zh", "ja"])
                #expect(mine.json["skills"].array.compactMap(\.string) == ["NFT"])
                #expect(try await client.call(.patch, "/api/v1/agents/\(staff.ids["li"]!)", token: token, json: body(["capacity": 50])).status == .forbidden)
                let bad = try await client.call(.patch, "/api/v1/agents/\(staff.ids["li"]!)", token: staff.owner, json: body(["capacity": 500, "skills": [""]]))
                #expect(bad.status == .unprocessableContent)
                #expect(Set(bad.json["errors"].array.compactMap { $0["field"].string }) == ["capacity", "skills[0]"])
            }
        }
    }
}
