import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("A customer writes, an agent answers")
struct ConversationFlowTests {
    @Test("a widget visitor's first message opens conversation #1 with a created event; the next joins it")
    func firstMessageOpensConversation() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let first = try await client.say("My USDT withdrawal is stuck", visitorToken: visitor.token)
                #expect(first["authorKind"].string == "contact")
                #expect(first["text"].string == "My USDT withdrawal is stuck")
                let conversationID = try #require(first["conversationId"].string)
                let second = try await client.say("It has been two hours", visitorToken: visitor.token)
                #expect(second["conversationId"].string == conversationID)

                let agent = try await client.signIn("owner@acme.test")
                let conversation = try await client.call(.get, "/api/v1/conversations/\(conversationID)", token: agent)
                #expect(conversation.json["number"].int == 1)
                #expect(conversation.json["status"].string == "open")
                #expect(conversation.json["contactId"].string == visitor.contactID)
                let messages = try await client.call(.get, "/api/v1/conversations/\(conversationID)/messages", token: agent)
                #expect(messages.json["items"].array.map { $0["text"].string } == ["My USDT withdrawal is stuck", "It has been two hours"])
                let events = try await client.call(.get, "/api/v1/conversations/\(conversationID)/events", token: agent)
                #expect(events.json["items"].array.compactMap { $0["kind"].string }.contains("created"))
            }
        }
    }

    @Test("the first public agent reply records first_response with the wait in seconds; notes do not count and stay hidden from the visitor")
    func firstResponse() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let conversationID = try #require(try await client.say("hello", visitorToken: visitor.token)["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")
                let note = try await client.call(.post, "/api/v1/conversations/\(conversationID)/messages", token: agent,
                                                 json: body(["text": "VIP, check KYC first", "private": true]))
                #expect(note.status == .created)
                #expect(note.json["private"].bool == true)
                var events = try await client.call(.get, "/api/v1/conversations/\(conversationID)/events", token: agent)
                #expect(!events.json["items"].array.contains { $0["kind"].string == "first_response" })

                let reply = try await client.call(.post, "/api/v1/conversations/\(conversationID)/messages", token: agent,
                                                  json: body(["text": "We are looking into it"]))
                #expect(reply.status == .created)
                #expect(reply.json["authorKind"].string == "agent")
                _ = try await client.call(.post, "/api/v1/conversations/\(conversationID)/messages", token: agent, json: body(["text": "Second reply"]))
                events = try await client.call(.get, "/api/v1/conversations/\(conversationID)/events", token: agent)
                let firstResponses = events.json["items"].array.filter { $0["kind"].string == "first_response" }
                #expect(firstResponses.count == 1)
                #expect(firstResponses.first?["durationSeconds"].int.map { $0 >= 0 } == true)
                let conversation = try await client.call(.get, "/api/v1/conversations/\(conversationID)", token: agent)
                #expect(conversation.json["firstResponseAt"].string != nil)

                let seen = try await client.call(.get, "/widget/v1/messages", token: visitor.token)
                #expect(seen.json["items"].array.map { $0["text"].string } == ["hello", "We are looking into it", "Second reply"])
                #expect(!seen.text.contains("VIP, check KYC first"))
            }
        }
    }

    @Test("status changes follow the rules: resolve records its duration, a customer message reopens, closed is final")
    func statusLifecycle() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("help", visitorToken: visitor.token)["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")

                let resolved = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body(["status": "resolved"]))
                #expect(resolved.status == .ok)
                #expect(resolved.json["status"].string == "resolved")
                #expect(resolved.json["resolvedAt"].string != nil)
                let pending = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body(["status": "pending"]))
                #expect(pending.status == .conflict)
                #expect(pending.isProblem)

                let again = try await client.say("still broken", visitorToken: visitor.token)
                #expect(again["conversationId"].string == id)
                let reopened = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent)
                #expect(reopened.json["status"].string == "open")
                let kinds = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array.compactMap { $0["kind"].string }
                #expect(kinds.contains("resolved") && kinds.contains("reopened") && kinds.contains("status_changed"))
                let resolvedEvent = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array.first { $0["kind"].string == "resolved" }
                #expect(resolvedEvent?["durationSeconds"].int != nil)

                #expect(try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body(["status": "closed"])).status == .ok)
                #expect(try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body(["status": "open"])).status == .conflict)
                let refused = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent, json: body(["text": "hello?"]))
                #expect(refused.status == .conflict)

                let fresh = try await client.say("new problem", visitorToken: visitor.token)
                #expect(fresh["conversationId"].string != id)
                let number = try await client.call(.get, "/api/v1/conversations/\(fresh["conversationId"].string!)", token: agent).json["number"].int
                #expect(number == 2)
            }
        }
    }

    @Test("agents set priority, assignee, team, tags and attributes; each change leaves an event")
    func triageByHand() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("wrong network deposit", visitorToken: visitor.token)["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")
                let team = try await client.call(.post, "/api/v1/teams", token: agent, json: body(["name": "Deposits", "agentIds": [workspace.ownerID.uuidString]]))
                #expect(team.status == .created)
                let teamID = try #require(team.json["id"].string)
                let updated = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body([
                    "priority": "urgent", "assigneeId": workspace.ownerID.uuidString, "teamId": teamID,
                    "tags": ["Deposit", "wrong_network", "deposit"], "attributes": ["chain": "bsc", "amount": 120.5],
                ]))
                #expect(updated.status == .ok)
                #expect(updated.json["priority"].string == "urgent")
                #expect(updated.json["assigneeId"].string == workspace.ownerID.uuidString)
                #expect(updated.json["teamId"].string == teamID)
                #expect(updated.json["tags"].array.compactMap(\.string) == ["deposit", "wrong_network"])
                #expect(updated.json["attributes"]["chain"].string == "bsc")

                let unassigned = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: #"{"assigneeId": null, "attributes": {"chain": null}}"#)
                #expect(unassigned.json["assigneeId"].isNull)
                #expect(unassigned.json["attributes"]["chain"].isNull)
                #expect(unassigned.json["attributes"]["amount"].int == 120)
                let kinds = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array.compactMap { $0["kind"].string }
                #expect(kinds.filter { $0 == "assigned" }.count == 2)
                #expect(kinds.contains("priority_changed") && kinds.contains("team_assigned"))
            }
        }
    }

    @Test("an integration posts customer messages into an API inbox, finding the contact by external id")
    func apiInbox() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let inboxes = try await client.call(.get, "/api/v1/inboxes", token: agent)
                let api = try #require(inboxes.json["items"].array.first { $0["kind"].string == "api" })
                let inboxID = try #require(api["id"].string)
                let contact: [String: Any] = ["externalId": "user-42", "name": "Wang Fang", "email": "wf@example.com"]
                let first = try await client.call(.post, "/api/v1/inboxes/\(inboxID)/messages", token: agent,
                                                  json: body(["contact": contact, "text": "转账没到账", "channelMessageId": "app-1"]))
                #expect(first.status == .created)
                let second = try await client.call(.post, "/api/v1/inboxes/\(inboxID)/messages", token: agent,
                                                   json: body(["contact": contact, "text": "请帮忙"]))
                #expect(second.json["conversation"]["id"].string == first.json["conversation"]["id"].string)
                let retried = try await client.call(.post, "/api/v1/inboxes/\(inboxID)/messages", token: agent,
                                                    json: body(["contact": contact, "text": "转账没到账", "channelMessageId": "app-1"]))
                #expect(retried.status == .ok)
                #expect(retried.json["message"]["id"].string == first.json["message"]["id"].string)
                let padded = try await client.call(.post, "/api/v1/inboxes/\(inboxID)/messages", token: agent,
                                                   json: body(["contact": ["externalId": " user-42 "], "text": "还在吗"]))
                #expect(padded.status == .created)
                #expect(padded.json["conversation"]["id"].string == first.json["conversation"]["id"].string)
                let history = try await client.call(.get, "/api/v1/conversations/\(first.json["conversation"]["id"].string!)/messages", token: agent)
                #expect(history.json["items"].array.count == 3)
                let contacts = try await client.call(.get, "/api/v1/contacts?externalId=user-42", token: agent)
                #expect(contacts.json["items"].array.count == 1)
                #expect(contacts.json["items"][0]["name"].string == "Wang Fang")

                let widget = try #require(inboxes.json["items"].array.first { $0["kind"].string == "widget" })
                let wrongKind = try await client.call(.post, "/api/v1/inboxes/\(widget["id"].string!)/messages", token: agent,
                                                      json: body(["contact": contact, "text": "x"]))
                #expect(wrongKind.status == .conflict)
            }
        }
    }

    @Test("a verified identity needs the right HMAC; a visitor token keeps the same customer across reloads")
    func widgetIdentity() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let inbox = try #require(try await client.call(.get, "/api/v1/inboxes", token: agent).json["items"].array.first { $0["kind"].string == "widget" })
                let secret = try #require(inbox["identitySecret"].string)
                let good = Secrets.hmacSHA256Hex(key: secret, message: Data("user-7".utf8))
                let verified = try await client.call(.post, "/widget/v1/sessions", json: body([
                    "inboxToken": workspace.widgetPublicToken!, "identity": ["externalId": "user-7", "hash": good, "name": "Ana"],
                ]))
                #expect(verified.status == .created)
                let forged = try await client.call(.post, "/widget/v1/sessions", json: body([
                    "inboxToken": workspace.widgetPublicToken!, "identity": ["externalId": "user-8", "hash": good],
                ]))
                #expect(forged.status == .unauthorized)
                #expect(forged.isProblem)

                let again = try await client.call(.post, "/widget/v1/sessions", json: body([
                    "inboxToken": workspace.widgetPublicToken!, "visitorToken": verified.json["visitorToken"].string!,
                ]))
                #expect(again.json["contactId"].string == verified.json["contactId"].string)
                let unknownInbox = try await client.call(.post, "/widget/v1/sessions", json: body(["inboxToken": "kwi_nope"]))
                #expect(unknownInbox.status == .notFound)
            }
        }
    }

    @Test("a list shows the first line of the last thing a person said: not the bot's, not a private note")
    func listPreview() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("\n  my withdrawal is stuck  \norder 991", visitorToken: visitor.token)["conversationId"].string)
                func preview() async throws -> JSON {
                    try await client.call(.get, "/api/v1/conversations", token: owner).json["items"].array.first { $0["id"].string == id }?["lastMessage"] ?? JSON(value: nil)
                }
                #expect(try await preview()["text"].string == "my withdrawal is stuck")
                #expect(try await preview()["authorKind"].string == "contact")
                _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: owner, json: body(["text": "Checking the chain now."]))
                _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: owner, json: body(["text": "note to self", "private": true]))
                #expect(try await preview()["text"].string == "Checking the chain now.")
                #expect(try await preview()["authorKind"].string == "agent")
                let long = String(repeating: "很", count: 300)
                _ = try await client.say(long, visitorToken: visitor.token)
                let shortened = try #require(try await preview()["text"].string)
                #expect(shortened.count == 140 && shortened.hasSuffix("…"))
                // One conversation alone is not a list: it has no preview.
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: owner).json["lastMessage"].isNull)
            }
        }
    }
}

@Suite("The widget's pre-chat form")
struct WidgetContactTests {
    @Test("a visitor's email is saved on their own contact, validated, and a verified identity is not overwritten")
    func preChatEmail() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let saved = try await client.call(.patch, "/widget/v1/contact", token: visitor.token, json: body(["email": "Ana@Example.com", "name": "Ana"]))
                #expect(saved.status == .ok)
                #expect(saved.json["email"].string == "ana@example.com")
                let bad = try await client.call(.patch, "/widget/v1/contact", token: visitor.token, json: body(["email": "not an email"]))
                #expect(bad.status == .unprocessableContent)
                let agent = try await client.signIn("owner@acme.test")
                let contact = try await client.call(.get, "/api/v1/contacts/\(visitor.contactID)", token: agent)
                #expect(contact.json["email"].string == "ana@example.com")
                #expect(contact.json["name"].string == "Ana")
                #expect(try await client.call(.patch, "/widget/v1/contact", json: body(["email": "x@y.io"])).status == .unauthorized)
            }
        }
    }
}
