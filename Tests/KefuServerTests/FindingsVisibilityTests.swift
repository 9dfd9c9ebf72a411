import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("What the shield found: shown to agents, never to visitors")
struct FindingsVisibilityTests {
    static let address = "0x52908400098527886E0F7030069857D2E4169EE7"
    static let tx = "0x8f5d0cf9e1a5c1e7f0ff4bb22f8ed7c17e55c3e0d8f66dd7a3e1a6d8c7b3d2e1"
    static let phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident"

    @Test("agents get findings over HTTP; secrets carry no value; the widget API never carries them")
    func http() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let first = try await client.say("I sent USDT to \(Self.address), tx hash \(Self.tx)", visitorToken: visitor.token)
                #expect(first["findings"].isNull)
                let second = try await client.say("my words: \(Self.phrase)", visitorToken: visitor.token)
                #expect(second["findings"].isNull)
                let id = try #require(first["conversationId"].string)

                let owner = try await client.signIn("owner@acme.test")
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: owner)
                let items = messages.json["items"].array
                let customer = items.filter { $0["authorKind"].string == "contact" }
                #expect(customer.count == 2)
                let found = customer[0]["findings"].array
                let address = try #require(found.first { $0["kind"].string == "address" })
                #expect(address["chain"].string == "evm")
                #expect(address["value"].string == Self.address)
                #expect(address["valid"].bool == true)
                #expect(address["start"].int == 15)
                #expect(address["end"].int == 15 + 42)
                let tx = try #require(found.first { $0["kind"].string == "tx_hash" })
                #expect(tx["value"].string == Self.tx)

                let secret = try #require(customer[1]["findings"].array.first { $0["kind"].string == "mnemonic" })
                #expect(secret["value"].isNull)
                #expect(secret["host"].isNull)
                #expect(!messages.text.contains("abandon"))
                // Agent replies and system messages carry an empty list, not nothing.
                let warning = try #require(items.first { $0["authorKind"].string == "system" })
                #expect(warning["findings"].array.isEmpty && !warning["findings"].isNull)

                let history = try await client.call(.get, "/widget/v1/messages", token: visitor.token)
                #expect(history.json["items"].array.count == items.count)
                #expect(!history.text.contains("findings"))
                #expect(!history.text.contains("\"kind\""))
            }
        }
    }

    @Test("an agent's socket carries findings; the visitor's socket carries the same message without them")
    func sockets() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                _ = try await client.say("hello", visitorToken: visitor.token)
                let text = "please check \(Self.address)"

                let agentFrames = try await listen(client, "/api/v1/realtime?token=\(agent)", trigger: {
                    _ = try await client.say(text, visitorToken: visitor.token)
                }, until: { $0["type"].string == "message.created" })
                let agentMessage = try #require(agentFrames.last)
                #expect(agentMessage["payload"]["findings"].array.first?["value"].string == Self.address)

                let visitorFrames = try await listen(client, "/widget/v1/socket?token=\(visitor.token)", trigger: {
                    _ = try await client.say(text, visitorToken: visitor.token)
                }, until: { $0["type"].string == "message.created" })
                let visitorMessage = try #require(visitorFrames.last)
                #expect(visitorMessage["payload"]["text"].string == text)
                #expect(visitorMessage["payload"]["findings"].isNull)
                #expect(!visitorMessage.description.contains("findings"))
            }
        }
    }
}
