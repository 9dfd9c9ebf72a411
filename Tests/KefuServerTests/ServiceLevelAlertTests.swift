import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

/// The desk's clock is moved forward instead of waiting: messages keep their real times and
/// the scheduler judges them as if the minutes had passed.
@Suite("Service-level warnings, breaches and escalation")
struct ServiceLevelAlertTests {
    /// First response within an hour of calendar time, warned at 80%.
    static let hour = #"""
        {"name": "Everyone", "targets": {"firstResponse": {"normal": {"seconds": 3600, "businessHours": false}}}}
        """#

    func events(_ client: some TestClientProtocol, _ id: String, token: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(id)/events", token: token).json["items"].array
    }

    @Test("first response warns at 80% of its target and breaches at it, each once, on the timeline and in the views")
    func warningThenBreach() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                #expect(try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.hour).status == .created)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my deposit is missing", visitorToken: visitor.token)["conversationId"].string)

                // Looked at and found running: listed as running, nothing raised.
                #expect(try await eventually {
                    try await client.call(.get, "/api/v1/conversations?sla=running", token: owner).json["items"].array.contains { $0["id"].string == id }
                })
                #expect(try await self.events(client, id, token: owner).allSatisfy { !($0["kind"].string ?? "").hasPrefix("sla_") })

                desk.configuration.clock.advance(by: 2_900)
                #expect(try await eventually { try await self.events(client, id, token: owner).contains { $0["kind"].string == "sla_warning" } })
                let warning = try #require(try await self.events(client, id, token: owner).first { $0["kind"].string == "sla_warning" })
                #expect(warning["data"]["clock"].string == "first_response")
                #expect(warning["data"]["policyName"].string == "Everyone")
                #expect(try await eventually {
                    try await client.call(.get, "/api/v1/conversations?sla=at_risk", token: owner).json["items"].array.contains { $0["id"].string == id }
                })
                let atRisk = try await client.call(.get, "/api/v1/conversations/\(id)", token: owner)
                #expect(atRisk.json["sla"]["standing"].string == "at_risk", "\(atRisk.text)")
                #expect(atRisk.json["sla"]["soonest"]["clock"].string == "first_response")

                desk.configuration.clock.advance(by: 800)
                #expect(try await eventually { try await self.events(client, id, token: owner).contains { $0["kind"].string == "sla_breached" } })
                #expect(try await eventually {
                    try await client.call(.get, "/api/v1/conversations?sla=breached", token: owner).json["items"].array.contains { $0["id"].string == id }
                })
                let breached = try await client.call(.get, "/api/v1/conversations?sla=breached", token: owner).json["items"].array.first { $0["id"].string == id }
                #expect(breached?["sla"]["standing"].string == "breached")
                #expect(try await client.call(.get, "/api/v1/conversations?sla=at_risk", token: owner).json["items"].array.allSatisfy { $0["id"].string != id })

                // Time goes on and the scheduler looks again: nothing is raised twice.
                desk.configuration.clock.advance(by: 600)
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: owner, json: body(["tags": ["checked"]]))
                try await Task.sleep(for: .seconds(1))
                let timeline = try await self.events(client, id, token: owner)
                #expect(timeline.filter { $0["kind"].string == "sla_warning" }.count == 1)
                #expect(timeline.filter { $0["kind"].string == "sla_breached" }.count == 1)
                #expect(try await client.call(.get, "/api/v1/conversations?sla=bogus", token: owner).status == .badRequest)
            }
        }
    }

    @Test("a reply in time means no warning; a pending conversation's clock stops short of its warning")
    func replyInTime() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                _ = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.hour)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let answered = try #require(try await client.say("question one", visitorToken: visitor.token)["conversationId"].string)
                _ = try await client.call(.post, "/api/v1/conversations/\(answered)/messages", token: owner, json: body(["text": "Here to help."]))
                let other = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let waiting = try #require(try await client.say("question two", visitorToken: other.token)["conversationId"].string)
                _ = try await client.call(.patch, "/api/v1/conversations/\(waiting)", token: owner, json: body(["status": "pending"]))

                desk.configuration.clock.advance(by: 7_200)
                #expect(try await eventually {
                    let met = try await client.call(.get, "/api/v1/conversations?sla=met", token: owner).json["items"].array
                    let paused = try await client.call(.get, "/api/v1/conversations?sla=paused", token: owner).json["items"].array
                    return met.contains { $0["id"].string == answered } && paused.contains { $0["id"].string == waiting }
                })
                for id in [answered, waiting] {
                    #expect(try await self.events(client, id, token: owner).allSatisfy { !($0["kind"].string ?? "").hasPrefix("sla_") })
                }
            }
        }
    }

    @Test("a breach escalates as the policy says: priority raised, handed to the escalation team, each step an event with its reason")
    func escalation() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let team = try #require(try await client.call(.post, "/api/v1/teams", token: owner, json: body(["name": "Escalations"])).json["id"].string)
                let policy = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: body([
                    "name": "Everyone", "targets": ["firstResponse": ["normal": ["seconds": 600, "businessHours": false]]],
                    "escalation": ["onWarning": ["notifyAssignee": false], "onBreach": ["raisePriority": true, "handToTeamId": team]]]))
                #expect(policy.status == .created, "\(policy.text)")
                #expect(policy.json["escalation"]["onBreach"]["handToTeamId"].string == team)
                #expect(policy.json["escalation"]["onBreach"]["notifyAssignee"].bool == true)
                #expect(policy.json["escalation"]["onWarning"]["notifyAssignee"].bool == false)

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("how do I change the app language", visitorToken: visitor.token)["conversationId"].string)
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: owner, json: body(["assigneeId": workspace.ownerID.uuidString]))
                desk.configuration.clock.advance(by: 700)
                #expect(try await eventually {
                    try await client.call(.get, "/api/v1/conversations/\(id)", token: owner).json["teamId"].string == team
                })
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: owner).json
                #expect(conversation["priority"].string == "high")
                #expect(conversation["assigneeId"].isNull)
                let timeline = try await self.events(client, id, token: owner)
                let steps = timeline.filter { $0["kind"].string == "sla_escalated" }
                #expect(Set(steps.compactMap { $0["data"]["step"].string }) == ["notify_assignee", "raise_priority", "hand_to_team"])
                #expect(steps.allSatisfy { $0["data"]["reason"].string == "first_response breached" })
                #expect(timeline.contains { $0["kind"].string == "priority_changed" && $0["data"]["to"].string == "high" })
                // The breach was raised once, though the change made the conversation due again.
                try await Task.sleep(for: .seconds(1))
                #expect(try await self.events(client, id, token: owner).filter { $0["kind"].string == "sla_breached" }.count == 1)
            }
        }
    }

    @Test("an escalation team that is not the workspace's is a 422 on its field")
    func unknownEscalationTeam() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: body([
                    "name": "x", "targets": [:] as [String: Any], "escalation": ["onBreach": ["handToTeamId": UUID().uuidString]]]))
                #expect(response.status == .unprocessableContent)
                #expect(response.json["errors"].array.contains { $0["field"].string == "escalation.onBreach.handToTeamId" }, "\(response.text)")
            }
        }
    }

    @Test("a breach reaches a webhook subscribed to conversation.sla_breached, naming the clock and whom it tells")
    func webhook() async throws {
        let receiver = HookReceiver(statuses: [])
        try await receiver.application().test(.live) { hookClient in
            let port = try #require(hookClient.port)
            try await withDesk { desk in
                let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
                try await withApp(desk) { client in
                    let owner = try await client.signIn("owner@acme.test")
                    let hook = try await client.call(.post, "/api/v1/webhooks", token: owner,
                                                     json: body(["url": "http://127.0.0.1:\(port)/hook", "eventTypes": ["conversation.sla_breached"]]))
                    #expect(hook.status == .created, "\(hook.text)")
                    _ = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.hour)
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    let id = try #require(try await client.say("where is my withdrawal", visitorToken: visitor.token)["conversationId"].string)
                    _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: owner, json: body(["assigneeId": workspace.ownerID.uuidString]))
                    desk.configuration.clock.advance(by: 3_700)
                    #expect(try await eventually { receiver.received.withLock { !$0.isEmpty } })
                    let delivered = try #require(receiver.received.withLock { $0.first })
                    let payload = JSON(value: try JSONSerialization.jsonObject(with: Data(delivered.body.utf8)))
                    #expect(payload["type"].string == "conversation.sla_breached")
                    #expect(payload["data"]["clock"].string == "first_response")
                    #expect(payload["data"]["conversation"]["id"].string == id)
                    #expect(payload["data"]["notify"].array.compactMap(\.string) == [workspace.ownerID.uuidString])
                }
            }
        }
    }
}
