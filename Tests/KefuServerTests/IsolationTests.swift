import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("One workspace never sees another's data")
struct IsolationTests {
    /// Everything workspace B has, by id.
    struct Other {
        var conversation = "", contact = "", inbox = "", team = "", agent = "", token = "", webhook = ""
    }

    @Test("an agent of workspace A gets 404 for every record of workspace B, by every endpoint, and lists none of them")
    func agentsAreConfinedToTheirWorkspace() async throws {
        try await withDesk { desk in
            let a = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            let b = try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let tokenA = try await client.signIn("owner@alpha.test")
                let tokenB = try await client.signIn("owner@beta.test")
                var other = Other()
                let visitor = try await client.visitor(inboxToken: b.widgetPublicToken!)
                other.conversation = try await client.say("secret B", visitorToken: visitor.token)["conversationId"].string!
                other.contact = visitor.contactID
                other.inbox = try await client.call(.get, "/api/v1/inboxes", token: tokenB).json["items"][0]["id"].string!
                other.team = try await client.call(.post, "/api/v1/teams", token: tokenB, json: body(["name": "B team"])).json["id"].string!
                other.agent = b.ownerID.uuidString
                other.token = try await client.call(.post, "/api/v1/tokens", token: tokenB, json: body(["name": "b"])).json["id"].string!
                other.webhook = try await client.call(.post, "/api/v1/webhooks", token: tokenB, json: body(["url": "http://127.0.0.1:9/hook"])).json["id"].string!

                let attempts: [(HTTPRequest.Method, String, String?)] = [
                    (.get, "/api/v1/conversations/\(other.conversation)", nil),
                    (.patch, "/api/v1/conversations/\(other.conversation)", body(["status": "resolved"])),
                    (.get, "/api/v1/conversations/\(other.conversation)/messages", nil),
                    (.post, "/api/v1/conversations/\(other.conversation)/messages", body(["text": "hi"])),
                    (.get, "/api/v1/conversations/\(other.conversation)/events", nil),
                    (.get, "/api/v1/contacts/\(other.contact)", nil),
                    (.patch, "/api/v1/contacts/\(other.contact)", body(["name": "x"])),
                    (.get, "/api/v1/inboxes/\(other.inbox)", nil),
                    (.patch, "/api/v1/inboxes/\(other.inbox)", body(["name": "x"])),
                    (.post, "/api/v1/inboxes/\(other.inbox)/messages", body(["contactId": other.contact, "text": "x"])),
                    (.get, "/api/v1/teams/\(other.team)", nil),
                    (.patch, "/api/v1/teams/\(other.team)", body(["name": "x"])),
                    (.get, "/api/v1/agents/\(other.agent)", nil),
                    (.patch, "/api/v1/agents/\(other.agent)", body(["name": "x"])),
                    (.delete, "/api/v1/tokens/\(other.token)", nil),
                    (.delete, "/api/v1/webhooks/\(other.webhook)", nil),
                    (.get, "/api/v1/webhooks/\(other.webhook)/deliveries", nil),
                ]
                for (method, path, json) in attempts {
                    let response = try await client.call(method, path, token: tokenA, json: json)
                    #expect(response.status == .notFound, "\(method) \(path) answered \(response.status)")
                    #expect(response.isProblem)
                }

                for path in ["/api/v1/conversations", "/api/v1/contacts", "/api/v1/inboxes", "/api/v1/teams", "/api/v1/agents",
                             "/api/v1/tokens", "/api/v1/webhooks"] {
                    let listed = try await client.call(.get, path, token: tokenA)
                    #expect(listed.status == .ok, "\(path)")
                    for id in [other.conversation, other.contact, other.inbox, other.team, other.agent, other.token, other.webhook] {
                        #expect(!listed.text.contains(id), "\(path) leaked \(id)")
                    }
                }
                for filter in ["contactId=\(other.contact)", "inboxId=\(other.inbox)", "teamId=\(other.team)", "assigneeId=\(other.agent)"] {
                    #expect(try await client.call(.get, "/api/v1/conversations?\(filter)", token: tokenA).json["items"].array.isEmpty, "\(filter)")
                }

                // Linking a record of A to one of B is refused, not silently stored.
                let visitorA = try await client.visitor(inboxToken: a.widgetPublicToken!)
                let mine = try await client.say("hello A", visitorToken: visitorA.token)["conversationId"].string!
                let crossAssign = try await client.call(.patch, "/api/v1/conversations/\(mine)", token: tokenA, json: body(["assigneeId": other.agent]))
                #expect(crossAssign.status == .unprocessableContent)
                let crossTeam = try await client.call(.patch, "/api/v1/conversations/\(mine)", token: tokenA, json: body(["teamId": other.team]))
                #expect(crossTeam.status == .unprocessableContent)
                let crossMembers = try await client.call(.post, "/api/v1/teams", token: tokenA, json: body(["name": "Mixed", "agentIds": [other.agent]]))
                #expect(crossMembers.status == .unprocessableContent)
                let crossContact = try await client.call(.post, "/api/v1/inboxes/\(try await client.call(.get, "/api/v1/inboxes", token: tokenA).json["items"].array.first { $0["kind"].string == "api" }!["id"].string!)/messages",
                                                         token: tokenA, json: body(["contactId": other.contact, "text": "x"]))
                #expect(crossContact.status == .unprocessableContent)
                let untouched = try await client.call(.get, "/api/v1/conversations/\(other.conversation)", token: tokenB)
                #expect(untouched.json["status"].string == "open")
            }
        }
    }

    @Test("a visitor sees only their own messages, and a visitor token is useless on the agent API")
    func visitorsAreConfinedToThemselves() async throws {
        try await withDesk { desk in
            let a = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let one = try await client.visitor(inboxToken: a.widgetPublicToken!)
                let two = try await client.visitor(inboxToken: a.widgetPublicToken!)
                _ = try await client.say("from one", visitorToken: one.token)
                _ = try await client.say("from two", visitorToken: two.token)
                let seen = try await client.call(.get, "/widget/v1/messages", token: two.token)
                #expect(seen.json["items"].array.map { $0["text"].string } == ["from two"])
                #expect(try await client.call(.get, "/api/v1/conversations", token: one.token).status == .unauthorized)
                let agent = try await client.signIn("owner@alpha.test")
                #expect(try await client.call(.get, "/widget/v1/messages", token: agent).status == .unauthorized)
            }
        }
    }
}
