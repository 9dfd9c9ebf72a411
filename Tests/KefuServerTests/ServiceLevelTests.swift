import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Service-level policies and a conversation's clocks")
struct ServiceLevelTests {
    static let everyone = #"""
        {"name": "Everyone", "targets": {"firstResponse": {"normal": {"seconds": 3600, "businessHours": false}, "urgent": {"seconds": 600, "businessHours": false}},
                                         "resolution": {"normal": {"seconds": 86400, "businessHours": false}}}}
        """#

    @Test("a policy applies to a conversation: first response runs from the customer's message and a person's reply meets it; pending pauses")
    func clocksOnAConversation() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let created = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.everyone)
                #expect(created.status == .created, "\(created.text)")
                let vip = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: body([
                    "name": "VIP", "position": 0, "conditions": ["tiers": ["vip"]],
                    "targets": ["firstResponse": ["normal": ["seconds": 60, "businessHours": false]]]]))
                #expect(vip.status == .created, "\(vip.text)")
                let order = try await client.call(.get, "/api/v1/sla-policies", token: owner).json["items"].array
                #expect(order.compactMap { $0["name"].string } == ["VIP", "Everyone"])
                #expect(order.compactMap { $0["position"].int } == [0, 1])

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my withdrawal has been pending for two days", visitorToken: visitor.token)["conversationId"].string)
                let running = try await client.call(.get, "/api/v1/conversations/\(id)/sla", token: owner)
                #expect(running.status == .ok, "\(running.text)")
                #expect(running.json["policy"]["name"].string == "Everyone")
                let first = try #require(running.json["clocks"].array.first { $0["clock"].string == "first_response" })
                #expect(first["state"].string == "running")
                #expect(first["targetSeconds"].int == 3_600)
                #expect((first["leftSeconds"].int ?? 0) > 3_500)
                #expect(first["dueAt"].string != nil)
                #expect(running.json["clocks"].array.contains { $0["clock"].string == "resolution" && $0["state"].string == "running" })
                #expect(running.json["nextDeadline"].string != nil)

                _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: owner, json: body(["text": "Looking into it now."]))
                let answered = try await client.call(.get, "/api/v1/conversations/\(id)/sla", token: owner)
                #expect(answered.json["clocks"].array.first { $0["clock"].string == "first_response" }?["state"].string == "met")

                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: owner, json: body(["status": "pending"]))
                let waiting = try await client.call(.get, "/api/v1/conversations/\(id)/sla", token: owner)
                #expect(waiting.json["clocks"].array.first { $0["clock"].string == "resolution" }?["state"].string == "paused", "\(waiting.text)")
                #expect(waiting.json["nextDeadline"].isNull)

                // Policies are read by every agent, written by owners and admins; another workspace sees none.
                #expect(try await client.call(.get, "/api/v1/conversations/\(UUID().uuidString)/sla", token: owner).status == .notFound)
                #expect(try await client.call(.delete, "/api/v1/sla-policies/\(created.json["id"].string!)", token: owner).status == .noContent)
                let uncovered = try await client.call(.get, "/api/v1/conversations/\(id)/sla", token: owner)
                #expect(uncovered.json["policy"].isNull)
                #expect(uncovered.json["clocks"].array.isEmpty)
            }
        }
    }

    @Test("a policy that cannot be used is a 422 naming the field, and nothing is written", arguments: [
        (#"{"name": "x", "targets": {"firstResponse": {"asap": {"seconds": 60}}}}"#, "targets.firstResponse.asap"),
        (#"{"name": "x", "targets": {"firstResponse": {"normal": {"seconds": 0}}}}"#, "targets.firstResponse.normal.seconds"),
        (#"{"name": "x", "targets": {}, "warningShare": 1.5}"#, "warningShare"),
        (#"{"name": "x", "targets": {}, "conditions": {"tiers": ["gold"]}}"#, "conditions.tiers[0]"),
        (#"{"name": "x", "targets": {}, "conditions": {"priorities": ["asap"]}}"#, "conditions.priorities[0]"),
        (#"{"name": "x", "targets": {}, "conditions": {"inboxIds": ["00000000-0000-0000-0000-000000000001"]}}"#, "conditions.inboxIds[0]"),
        (#"{"name": "x", "targets": {}, "position": 5}"#, "position"),
        (#"{"name": "x"}"#, "targets"),
        (#"{"targets": {}}"#, "name"),
    ])
    func refused(_ json: String, field: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await client.call(.post, "/api/v1/sla-policies", token: owner, json: json)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await client.call(.get, "/api/v1/sla-policies", token: owner).json["items"].array.isEmpty)
            }
        }
    }

    @Test("agents read policies but do not write them; another workspace's are 404")
    func permissions() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let id = try #require(try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.everyone).json["id"].string)
                _ = try await client.call(.post, "/api/v1/agents", token: owner,
                                          json: body(["email": "agent@acme.test", "name": "Ann", "password": TestDesk.password, "role": "agent"]))
                let agent = try await client.signIn("agent@acme.test")
                #expect(try await client.call(.get, "/api/v1/sla-policies/\(id)", token: agent).json["name"].string == "Everyone")
                #expect(try await client.call(.post, "/api/v1/sla-policies", token: agent, json: Self.everyone).status == .forbidden)
                #expect(try await client.call(.patch, "/api/v1/sla-policies/\(id)", token: agent, json: body(["name": "Mine"])).status == .forbidden)
                let beta = try await client.signIn("owner@beta.test")
                #expect(try await client.call(.get, "/api/v1/sla-policies/\(id)", token: beta).status == .notFound)
                #expect(try await client.call(.delete, "/api/v1/sla-policies/\(id)", token: beta).status == .notFound)
                #expect(try await client.call(.post, "/api/v1/sla-policies", token: owner, json: Self.everyone).status == .conflict)
                let renamed = try await client.call(.patch, "/api/v1/sla-policies/\(id)", token: owner, json: body(["name": "All customers", "warningShare": 0.5]))
                #expect(renamed.json["name"].string == "All customers")
                #expect(renamed.json["warningShare"].string == nil && renamed.text.contains("0.5"))
            }
        }
    }
}
