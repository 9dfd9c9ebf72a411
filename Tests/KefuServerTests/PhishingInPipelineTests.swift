import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Look-alike links in conversations")
struct PhishingInPipelineTests {
    static func addDomain(_ client: any TestClientProtocol, _ token: String, _ domain: String = "kefu.com") async throws {
        let added = try await client.call(.post, "/api/v1/official-channels", token: token, json: body(["kind": "domain", "value": domain]))
        #expect(added.status == .created)
    }

    @Test("a customer's look-alike link is recorded with its verdict, raises the priority, and the customer is warned in their language",
          arguments: [("zh-CN", "请问 https://kefu-support.com/connect 是你们的网站吗？", "不是我们的官方网站"),
                      ("en", "Is https://kefu-support.com/connect your site?", "is NOT our official site")])
    func customerLookalike(locale: String, text: String, warning: String) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                try await Self.addDomain(client, owner)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: locale)
                let sent = try await client.say(text, visitorToken: visitor.token)
                #expect(sent["findings"].isNull, "visitors never receive findings")
                let id = try #require(sent["conversationId"].string)

                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: owner)
                let items = messages.json["items"].array
                let link = try #require(items.first?["findings"].array.first { $0["kind"].string == "link" })
                #expect(link["status"].string == "lookalike")
                #expect(link["imitates"].string == "kefu.com")
                #expect(link["host"].string == "kefu-support.com")
                #expect(link["signals"].array.contains { $0.string == "extra_words" })

                // Other automatic replies may come and go; the warning is the system's message.
                let system = try #require(items.first { $0["authorKind"].string == "system" })
                let said = try #require(system["text"].string)
                #expect(said.contains(warning))
                #expect(said.contains("kefu-support.com") && said.contains("kefu.com"))

                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: owner)
                #expect(conversation.json["priority"].string == "high")
                let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: owner)
                let phishing = try #require(events.json["items"].array.first { $0["kind"].string == "phishing_link" })
                #expect(phishing["data"]["host"].string == "kefu-support.com")
                #expect(phishing["data"].description == "{\"host\":\"kefu-support.com\"}")

                let seen = try await client.call(.get, "/widget/v1/messages", token: visitor.token)
                #expect(seen.json["items"].array.contains { $0["authorKind"].string == "system" && $0["text"].string?.contains(warning) == true })
                #expect(!seen.text.contains("findings") && !seen.text.contains("lookalike"))
            }
        }
    }

    @Test("the customer's official links and links before any domain is listed change nothing")
    func officialAndUnconfigured() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let before = try await client.say("Is kefu-support.com yours?", visitorToken: visitor.token)
                let id = try #require(before["conversationId"].string)
                try await Self.addDomain(client, owner)
                _ = try await client.say("I downloaded it from https://kefu.com/app", visitorToken: visitor.token)

                let all = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: owner).json["items"].array
                #expect(!all.contains { $0["authorKind"].string == "system" })
                let items = all.filter { $0["authorKind"].string == "contact" }
                #expect(items.count == 2)
                #expect(items[0]["findings"].array.first?["status"].isNull == true)
                #expect(items[1]["findings"].array.first?["status"].string == "official")
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: owner)
                #expect(conversation.json["priority"].string == "normal")
            }
        }
    }

    @Test("agent replies may link only to official domains once some are listed; private notes may link anywhere")
    func replyGuard() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("where do I download the app?", visitorToken: visitor.token)["conversationId"].string)
                let path = "/api/v1/conversations/\(id)/messages"

                #expect(try await client.call(.post, path, token: owner, json: body(["text": "Try https://downloads.example.org/app"])).status == .created)

                try await Self.addDomain(client, owner)
                let lookalike = try await client.call(.post, path, token: owner, json: body(["text": "Get it at https://kefu-support.com/app"]))
                #expect(lookalike.status == .unprocessableContent)
                #expect(lookalike.isProblem)
                let detail = try #require(lookalike.json["errors"].array.first?["detail"].string)
                #expect(detail.contains("kefu-support.com") && detail.contains("冒充"))

                let unrelated = try await client.call(.post, path, token: owner, json: body(["text": "Try https://downloads.example.org/app"]))
                #expect(unrelated.status == .unprocessableContent)
                #expect(unrelated.text.contains("不属于本工作区的官方域名"))

                #expect(try await client.call(.post, path, token: owner, json: body(["text": "Get it at https://kefu.com/app or https://help.kefu.com"])).status == .created)
                #expect(try await client.call(.post, path, token: owner,
                                              json: body(["text": "Customer was sent to https://kefu-support.com — report it", "private": true])).status == .created)

                let texts = try await client.call(.get, path, token: owner).json["items"].array.compactMap { $0["text"].string }
                #expect(!texts.contains("Get it at https://kefu-support.com/app"))
                #expect(texts.filter { $0.contains("downloads.example.org") }.count == 1)
            }
        }
    }
}
