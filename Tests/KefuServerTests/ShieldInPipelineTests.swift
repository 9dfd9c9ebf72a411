import HTTPTypes
import FluentKit
import Foundation
import HummingbirdTesting
import Logging
import Testing
@testable import KefuServer

@Suite("The crypto shield on every message")
struct ShieldInPipelineTests {
    static let phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident"

    @Test("a pasted recovery phrase is never stored; the customer is warned in their language and the conversation turns urgent")
    func phraseIsRedactedAndWarned() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-CN")
                let sent = try await client.say("客服你好，我的助记词是 \(Self.phrase) 请帮我找回资产", visitorToken: visitor.token)
                let stored = try #require(sent["text"].string)
                #expect(stored.contains("[已隐藏：助记词 / hidden: recovery phrase]"))
                #expect(!stored.contains("abandon") && !stored.contains("accident"))
                let id = try #require(sent["conversationId"].string)

                let agent = try await client.signIn("owner@acme.test")
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent)
                #expect(!messages.text.contains("abandon"))
                let warning = try #require(messages.json["items"].array.last)
                #expect(warning["authorKind"].string == "system")
                #expect(warning["text"].string?.contains("新钱包") == true)
                let seen = try await client.call(.get, "/widget/v1/messages", token: visitor.token)
                #expect(seen.json["items"].array.last?["authorKind"].string == "system")

                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent)
                #expect(conversation.json["priority"].string == "urgent")
                let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent)
                let redacted = try #require(events.json["items"].array.first { $0["kind"].string == "secret_redacted" })
                #expect(redacted["data"]["kinds"].string == "mnemonic")
                #expect(!events.text.contains("abandon"))
            }
            // Nothing of the phrase reached the database by any path.
            let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
            let bodies = try await MessageRow.query(on: persistence.db).all().map(\.body) + MessageRow.query(on: persistence.db).all().map(\.metadata)
            #expect(!bodies.contains { $0.contains("abandon") || $0.contains("accident") })
            await persistence.shutdown()
        }
    }

    @Test("a phrase the widget already hid in the browser still counts as exposed: warning, urgency and the event")
    func hiddenInTheBrowser() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let sent = try await client.say("my words are [已隐藏：助记词 / hidden: recovery phrase] please restore my wallet", visitorToken: visitor.token)
                let id = try #require(sent["conversationId"].string)
                let agent = try await client.signIn("owner@acme.test")
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json["priority"].string == "urgent")
                let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array
                #expect(events.contains { $0["kind"].string == "secret_redacted" && $0["data"]["kinds"].string == "mnemonic" })
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent).json["items"].array
                #expect(messages.contains { $0["authorKind"].string == "system" && $0["text"].string?.contains("new wallet") == true })
                #expect(messages.first?["findings"].array.contains { $0["kind"].string == "mnemonic" } == true)
            }
        }
    }

    @Test("addresses and transaction hashes are kept: they are public and useful")
    func publicEntitiesStay() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let text = "I sent USDT to 0x52908400098527886E0F7030069857D2E4169EE7, tx hash 0x8f5d0cf9e1a5c1e7f0ff4bb22f8ed7c17e55c3e0d8f66dd7a3e1a6d8c7b3d2e1"
                let sent = try await client.say(text, visitorToken: visitor.token)
                #expect(sent["text"].string == text)
                let agent = try await client.signIn("owner@acme.test")
                let messages = try await client.call(.get, "/api/v1/conversations/\(sent["conversationId"].string!)/messages", token: agent)
                #expect(messages.json["items"].array.count == 1)
            }
        }
    }

    @Test("an agent reply that asks for the recovery phrase is blocked with an explanation; a warning not to share it is fine")
    func replyGuard() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try await client.say("my wallet is empty", visitorToken: visitor.token)["conversationId"].string!
                let agent = try await client.signIn("owner@acme.test")
                for ask in ["Please send me your recovery phrase so I can check the wallet.", "请把你的助记词发给我，我帮你恢复。"] {
                    let blocked = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent, json: body(["text": ask]))
                    #expect(blocked.status == .unprocessableContent, "\(ask)")
                    #expect(blocked.json["errors"][0]["field"].string == "text")
                    #expect(blocked.json["errors"][0]["detail"].string?.contains("/") == true)
                }
                let leaked = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent,
                                                   json: body(["text": "note: \(Self.phrase)", "private": true]))
                #expect(leaked.status == .unprocessableContent)
                let fine = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent,
                                                 json: body(["text": "Never share your recovery phrase with anyone, including us. 我们不会索要您的助记词。"]))
                #expect(fine.status == .created)
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent).json["items"].array
                #expect(messages.count == 2)
            }
        }
    }
}
