import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Every customer message is read for language, mood and urgency")
struct TriageInPipelineTests {
    @Test("a theft report in Chinese makes the conversation urgent, with the reason on the timeline")
    func theftIsUrgent() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-CN")
                let id = try #require(try await client.say("我的钱包被盗了，所有USDT都被转走了！", visitorToken: visitor.token)["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent)
                #expect(conversation.json["priority"].string == "urgent")
                #expect(conversation.json["language"].string == "zh-Hans")
                let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array
                let raised = events.first { $0["kind"].string == "priority_changed" }
                #expect(raised?["data"]["to"].string == "urgent")
                #expect(raised?["actorKind"].string == "system")
                #expect(raised?["data"]["reason"].string?.isEmpty == false)
            }
        }
    }

    @Test("an ordinary question keeps normal priority; the language stays the first one detected and the mood follows the latest message")
    func ordinaryQuestion() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("How do I change the language of the app?", visitorToken: visitor.token)["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")
                var conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent)
                #expect(conversation.json["priority"].string == "normal")
                #expect(conversation.json["language"].string == "en")
                _ = try await client.say("Thank you so much, that worked perfectly!", visitorToken: visitor.token)
                conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent)
                #expect(conversation.json["sentiment"].string == "positive")
                #expect(conversation.json["language"].string == "en")
            }
        }
    }
}
