import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Realtime sockets")
struct RealtimeTests {
    @Test("an agent's socket receives conversation.created and message.created when a visitor writes")
    func agentHearsVisitor() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let frames = try await listen(client, "/api/v1/realtime?token=\(agent)", trigger: {
                    _ = try await client.say("is anyone there?", visitorToken: visitor.token)
                }, until: { $0["type"].string == "message.created" })
                let types = frames.compactMap { $0["type"].string }
                #expect(types == ["conversation.created", "message.created"])
                let message = try #require(frames.last)
                #expect(message["payload"]["text"].string == "is anyone there?")
                #expect(message["conversationId"].string == message["payload"]["conversationId"].string)
                #expect(message["id"].string != nil)
            }
        }
    }

    @Test("a visitor's socket receives the agent's reply but never a private note")
    func visitorHearsRepliesNotNotes() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try await client.say("help", visitorToken: visitor.token)["conversationId"].string!
                let frames = try await listen(client, "/widget/v1/socket?token=\(visitor.token)", trigger: {
                    _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent, json: body(["text": "internal: check logs", "private": true]))
                    _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent, json: body(["text": "We found it"]))
                }, until: { $0["type"].string == "message.created" })
                #expect(frames.count == 1)
                #expect(frames.first?["payload"]["text"].string == "We found it")
            }
        }
    }

    @Test("a socket hears only its own workspace, and refuses bad tokens")
    func socketsAreScoped() async throws {
        try await withDesk { desk in
            let alpha = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            let beta = try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk, .live) { client in
                let betaAgent = try await client.signIn("owner@beta.test")
                let alphaVisitor = try await client.visitor(inboxToken: alpha.widgetPublicToken!)
                let betaVisitor = try await client.visitor(inboxToken: beta.widgetPublicToken!)
                let frames = try await listen(client, "/api/v1/realtime?token=\(betaAgent)", trigger: {
                    _ = try await client.say("alpha secret", visitorToken: alphaVisitor.token)
                    _ = try await client.say("beta hello", visitorToken: betaVisitor.token)
                }, until: { $0["type"].string == "message.created" })
                #expect(frames.last?["payload"]["text"].string == "beta hello")
                #expect(!frames.contains { $0.description.contains("alpha secret") })

                let refused = try await client.call(.get, "/api/v1/realtime?token=kfs_nope")
                #expect(refused.status == .unauthorized)
                let visitorOnAgentSocket = try await client.call(.get, "/api/v1/realtime?token=\(alphaVisitor.token)")
                #expect(visitorOnAgentSocket.status == .unauthorized)
            }
        }
    }
}
