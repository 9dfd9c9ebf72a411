import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Bad input gets a clear 4xx problem and changes nothing")
struct BadInputTests {
    @Test("malformed JSON, wrong types, missing and over-long fields are 4xx problems naming the field")
    func malformedBodies() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let broken = try await client.call(.post, "/api/v1/contacts", token: agent, json: "{\"name\": ")
                #expect(broken.status == .badRequest)
                #expect(broken.isProblem)
                #expect(broken.json["detail"].string == "The body is not valid JSON.")
                #expect(broken.json["status"].int == 400)

                let wrongType = try await client.call(.post, "/api/v1/contacts", token: agent, json: body(["name": 12]))
                #expect(wrongType.status == .badRequest)
                #expect(wrongType.json["detail"].string?.contains("'name'") == true)

                let missing = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "owner@acme.test"]))
                #expect(missing.status == .badRequest)
                #expect(missing.json["detail"].string == "Missing required field 'password'.")

                let empty = try await client.call(.post, "/api/v1/teams", token: agent)
                #expect(empty.status == .badRequest)

                let invalid = try await client.call(.post, "/api/v1/contacts", token: agent, json: body([
                    "email": "not-an-email", "tier": "gold", "name": String(repeating: "n", count: 201),
                ]))
                #expect(invalid.status == .unprocessableContent)
                let fields = Set(invalid.json["errors"].array.compactMap { $0["field"].string })
                #expect(fields == ["email", "tier", "name"])
                #expect(try await client.call(.get, "/api/v1/contacts", token: agent).json["items"].array.isEmpty)

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let long = try await client.call(.post, "/widget/v1/messages", token: visitor.token, json: body(["text": String(repeating: "币", count: 10_001)]))
                #expect(long.status == .unprocessableContent)
                let blank = try await client.call(.post, "/widget/v1/messages", token: visitor.token, json: body(["text": "   "]))
                #expect(blank.status == .unprocessableContent)
                #expect(try await client.call(.get, "/widget/v1/messages", token: visitor.token).json["items"].array.isEmpty)
            }
        }
    }

    @Test("passwords over bcrypt's 72 bytes and NUL characters in stored text are refused, not truncated or crashed on")
    func passwordsAndNul() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let long = try await client.call(.post, "/api/v1/agents", token: agent,
                                                 json: body(["email": "li@acme.test", "name": "Li", "password": String(repeating: "密", count: 25)]))
                #expect(long.status == .unprocessableContent)
                #expect(long.json["errors"][0]["field"].string == "password")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try await client.say("hi", visitorToken: visitor.token)["conversationId"].string!
                let nulTag = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: #"{"tags": ["a\u0000b"]}"#)
                #expect(nulTag.status == .unprocessableContent)
                let nulText = try await client.call(.post, "/widget/v1/messages", token: visitor.token, json: #"{"text": "a\u0000b"}"#)
                #expect(nulText.status == .unprocessableContent)
                let nulQuery = try await client.call(.get, "/api/v1/contacts?email=a%00b", token: agent)
                #expect(nulQuery.status == .badRequest)
                let nulLogin = try await client.call(.post, "/api/v1/auth/login", json: #"{"email": "owner@acme.test\u0000", "password": "x"}"#)
                #expect(nulLogin.status == .unauthorized)
                let missingConversation = try await client.call(.patch, "/api/v1/conversations/\(UUID().uuidString)", token: agent, json: body(["status": "lost"]))
                #expect(missingConversation.status == .notFound)
            }
        }
    }

    @Test("a body over the size limit is refused with 413")
    func oversizedBody() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let huge = body(["name": String(repeating: "x", count: 300 * 1024)])
                let response = try await client.call(.post, "/api/v1/contacts", token: agent, json: huge)
                #expect(response.status == .contentTooLarge)
                #expect(response.isProblem)
            }
        }
    }

    @Test("unknown ids, bad filters, limits and cursors are 4xx, never 500")
    func badQueries() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let cases: [(String, HTTPResponse.Status)] = [
                    ("/api/v1/conversations/not-a-uuid", .notFound),
                    ("/api/v1/conversations/\(UUID().uuidString)", .notFound),
                    ("/api/v1/conversations?status=lost", .badRequest),
                    ("/api/v1/conversations?priority=extreme", .badRequest),
                    ("/api/v1/conversations?limit=0", .badRequest),
                    ("/api/v1/conversations?limit=101", .badRequest),
                    ("/api/v1/conversations?limit=ten", .badRequest),
                    ("/api/v1/conversations?cursor=%%%", .badRequest),
                    ("/api/v1/conversations?cursor=bm9wZQ", .badRequest),
                    ("/api/v1/conversations?updatedSince=yesterday", .badRequest),
                    ("/api/v1/conversations?assigneeId=someone", .badRequest),
                    ("/api/v1/conversations?tag=a,b", .badRequest),
                    ("/api/v1/contacts?cursor=zzz", .badRequest),
                    ("/api/v1/nothing-here", .notFound),
                ]
                for (path, expected) in cases {
                    let response = try await client.call(.get, path, token: agent)
                    #expect(response.status == expected, "\(path) answered \(response.status): \(response.text)")
                    #expect(response.isProblem, "\(path)")
                }
                let badInbox = try await client.call(.post, "/api/v1/inboxes", token: agent, json: body(["name": "Mail", "kind": "email"]))
                #expect(badInbox.status == .unprocessableContent)
                #expect(badInbox.json["detail"].string?.contains("not available yet") == true)
                let badHook = try await client.call(.post, "/api/v1/webhooks", token: agent, json: body(["url": "ftp://example.com", "eventTypes": ["everything"]]))
                #expect(Set(badHook.json["errors"].array.compactMap { $0["field"].string }) == ["url", "eventTypes"])
                let duplicate = try await client.call(.post, "/api/v1/agents", token: agent,
                                                      json: body(["email": "owner@acme.test", "name": "Twin", "password": "longenough1"]))
                #expect(duplicate.status == .conflict)
            }
        }
    }
}

@Suite("Lists: filters and cursor pagination")
struct ListTests {
    @Test("conversations page through every item exactly once, most recent activity first, and filters combine")
    func conversationPages() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var ids: [String] = []
                for index in 0..<7 {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    ids.append(try await client.say("question \(index)", visitorToken: visitor.token)["conversationId"].string!)
                }
                let agent = try await client.signIn("owner@acme.test")
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let path = "/api/v1/conversations?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await client.call(.get, path, token: agent)
                    #expect(page.status == .ok)
                    #expect(page.json["items"].array.count <= 3)
                    seen += page.json["items"].array.compactMap { $0["id"].string }
                    cursor = page.json["nextCursor"].string
                } while cursor != nil
                #expect(seen == ids.reversed())

                _ = try await client.call(.patch, "/api/v1/conversations/\(ids[1])", token: agent, json: body(["status": "pending", "tags": ["kyc"]]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(ids[2])", token: agent,
                                          json: body(["tags": ["kyc"], "assigneeId": workspace.ownerID.uuidString, "priority": "high"]))
                func list(_ query: String) async throws -> [String] {
                    try await client.call(.get, "/api/v1/conversations?\(query)", token: agent).json["items"].array.compactMap { $0["id"].string }
                }
                #expect(try await list("status=pending") == [ids[1]])
                #expect(Set(try await list("tag=kyc")) == [ids[1], ids[2]])
                #expect(try await list("tag=ky").isEmpty)
                #expect(try await list("tag=kyc&status=open") == [ids[2]])
                #expect(try await list("assigneeId=me") == [ids[2]])
                #expect(try await list("priority=high") == [ids[2]])
                #expect(try await list("assigneeId=none").count == 6)
                #expect(try await list("status=open,pending").count == 7)
                let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
                #expect(try await list("updatedSince=\(future)").isEmpty)
            }
        }
    }
}
