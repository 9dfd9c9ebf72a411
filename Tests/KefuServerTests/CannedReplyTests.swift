import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Canned replies: one body per language, filled for the conversation, guarded when saved, counted when used")
struct CannedReplyTests {
    // Never mutated: a literal read by the tests below.
    nonisolated(unsafe) static let refund: [String: Any] = [
        "shortcut": "refund", "title": "Refund on its way", "scope": "workspace",
        "body": ["en": "Hi {{contact.name}}, the refund for #{{conversation.number}} is on its way. — {{agent.name}}",
                 "zh-Hans": "{{contact.name}}您好，#{{conversation.number}} 的退款已在处理中。——{{agent.name}}"],
    ]

    @Test("the customer's language is chosen and the variables filled; using it counts, and its conversations' ratings are its CSAT")
    func renderAndCount() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let created = try await client.call(.post, "/api/v1/canned-replies", token: staff.owner, json: body(Self.refund))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"].string)
                let chinese = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-Hans")
                let zhConversation = try #require(try await client.say("退款什么时候到", visitorToken: chinese.token)["conversationId"].string)
                let english = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "en")
                let enConversation = try #require(try await client.say("where is my refund", visitorToken: english.token)["conversationId"].string)
                let number = try #require(try await staff.conversation(zhConversation)["number"].int)

                let zh = try await client.call(.post, "/api/v1/canned-replies/\(id)/render", token: staff.owner, json: body(["conversationId": zhConversation]))
                #expect(zh.status == .ok, "\(zh.text)")
                #expect(zh.json["language"].string == "zh-Hans")
                #expect(zh.json["text"].string?.hasPrefix("您您好，#\(number) 的退款") == true, "a nameless customer is 您: \(zh.text)")
                let en = try await client.call(.post, "/api/v1/canned-replies/\(id)/render", token: staff.owner, json: body(["conversationId": enConversation]))
                #expect(en.json["text"].string?.hasPrefix("Hi there, the refund for #") == true, "\(en.text)")
                #expect(en.json["text"].string?.contains("{{") == false)

                let sent = try await client.call(.post, "/api/v1/conversations/\(zhConversation)/messages", token: staff.owner,
                                                 json: body(["text": zh.json["text"].string!, "cannedReplyId": id]))
                #expect(sent.status == .created, "\(sent.text)")
                let used = try #require(try await staff.events(zhConversation).first { $0["kind"].string == "canned_reply_used" })
                #expect(used["data"]["cannedReplyId"].string == id)
                #expect(used["data"]["shortcut"].string == "refund")
                // A note is not a use.
                _ = try await client.call(.post, "/api/v1/conversations/\(enConversation)/messages", token: staff.owner,
                                          json: body(["text": "internal", "private": true, "cannedReplyId": id]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(zhConversation)", token: staff.owner, json: body(["status": "resolved"]))
                _ = try await client.call(.post, "/widget/v1/survey", token: chinese.token, json: body(["rating": 5]))

                let listed = try await client.call(.get, "/api/v1/canned-replies?q=refund", token: staff.owner)
                let item = try #require(listed.json["items"].array.first)
                #expect(item["usageCount"].int == 1)
                #expect(item["ratings"].int == 1)
                #expect(item["csat"].value as? Double == 1.0)
                #expect(try await client.call(.get, "/api/v1/canned-replies?q=nothing-like-it", token: staff.owner).json["items"].array.isEmpty)
            }
        }
    }

    @Test("personal replies are their author's; only owners and admins share or change shared ones")
    func scopes() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let li = try await Staff.hired(client, staff, "li")
                let wang = try await Staff.hired(client, staff, "wang")
                let mine = try await client.call(.post, "/api/v1/canned-replies", token: li,
                                                 json: body(["shortcut": "hi", "title": "Greeting", "body": ["en": "Hello!"]]))
                #expect(mine.status == .created, "\(mine.text)")
                #expect(mine.json["scope"].string == "personal")
                #expect(try await client.call(.get, "/api/v1/canned-replies", token: wang).json["items"].array.isEmpty, "Li's reply is Li's")
                #expect(try await client.call(.post, "/api/v1/canned-replies", token: li, json: body(Self.refund)).status == .forbidden)
                let shared = try await client.call(.post, "/api/v1/canned-replies", token: staff.owner, json: body(Self.refund))
                let id = try #require(shared.json["id"].string)
                #expect(try await client.call(.get, "/api/v1/canned-replies", token: wang).json["items"].array.map { $0["shortcut"].string } == ["refund"])
                #expect(try await client.call(.patch, "/api/v1/canned-replies/\(id)", token: wang, json: body(["title": "Mine now"])).status == .forbidden)
                #expect(try await client.call(.delete, "/api/v1/canned-replies/\(id)", token: wang).status == .forbidden)
                // The same shortcut twice in what one agent sees is refused.
                let twice = try await client.call(.post, "/api/v1/canned-replies", token: staff.owner, json: body(Self.refund))
                #expect(twice.status == .unprocessableContent)
                #expect(try await client.call(.delete, "/api/v1/canned-replies/\(id)", token: staff.owner).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/canned-replies", token: wang).json["items"].array.isEmpty)
            }
        }
    }

    @Test("a canned reply that asks for a secret, names an unknown variable or has no body is a 422 naming the field", arguments: [
        (["en": "Please send your recovery phrase so we can verify the wallet"], "body.en"),
        (["zh-Hans": "请提供您的助记词以便核实"], "body.zh-Hans"),
        (["en": "Dear {{contact.nmae}}"], "body.en"),
        ([:], "body"),
    ] as [([String: String], String)])
    func guarded(_ bodies: [String: String], field: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let response = try await client.call(.post, "/api/v1/canned-replies", token: staff.owner,
                                                     json: body(["shortcut": "bad", "title": "Bad", "body": bodies]))
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await client.call(.get, "/api/v1/canned-replies", token: staff.owner).json["items"].array.isEmpty)
            }
        }
    }
}
