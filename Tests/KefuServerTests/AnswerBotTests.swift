import HTTPTypes
import FluentKit
import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import Testing
@testable import KefuServer

/// A small wallet help center: enough sample questions for the bot to calibrate on.
enum SampleHelpCenter {
    struct Article {
        let title: String
        let locale: String
        let body: String
        let questions: [String]
    }

    static let articles: [Article] = [
        Article(title: "My deposit has not arrived", locale: "en",
                body: "Deposits need network confirmations before they show in your balance. Check the transaction hash on a block explorer; if it is still pending, wait for confirmations. Deposits sent on the wrong network do not arrive.",
                questions: ["my deposit is not showing in my balance", "deposit still pending after an hour", "I sent USDT but it did not arrive", "where is my deposit"]),
        Article(title: "Withdrawal fees explained", locale: "en",
                body: "Every withdrawal pays a network fee (gas) to the blockchain, not to us. The fee depends on how busy the network is. TRC-20 transfers are usually cheaper than ERC-20.",
                questions: ["why is the withdrawal fee so high", "how much does it cost to withdraw", "what is the gas fee for sending tokens", "fee for withdrawing USDT"]),
        Article(title: "Keep your recovery phrase safe", locale: "en",
                body: "Your recovery phrase (seed phrase) is the only key to your wallet. Never share it with anyone, including people claiming to be support. Write it on paper and store it offline.",
                questions: ["someone asked for my seed phrase", "is it safe to share my recovery words", "where should I store my mnemonic", "support wants my 12 words"]),
        Article(title: "Add a custom token", locale: "en",
                body: "If a token does not show in your wallet, add it manually: open Assets, tap Add token, paste the token contract address and confirm the symbol and decimals.",
                questions: ["my token is not showing in the wallet", "how do I add a token by contract address", "token balance missing from assets", "add custom token"]),
        Article(title: "充值未到账怎么办", locale: "zh-Hans",
                body: "充值需要等待区块链网络确认后才会显示在余额中。请在区块浏览器上查询交易哈希；如果仍在等待确认，请耐心等待。选错网络的充值不会到账。",
                questions: ["我的充值还没到账", "转了USDT一直没有到账", "充值一直显示处理中", "充币多久到账"]),
        Article(title: "提币手续费说明", locale: "zh-Hans",
                body: "每笔提币都需要向区块链支付网络手续费（矿工费），手续费取决于网络拥堵程度。TRC-20 转账通常比 ERC-20 便宜。",
                questions: ["提币手续费为什么这么高", "提现要收多少手续费", "矿工费是多少", "转账手续费怎么算"]),
    ]

    /// Creates and publishes every article through the API; returns their ids by title.
    static func publish(with client: some TestClientProtocol, token: String) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for article in articles {
            let created = try await client.call(.post, "/api/v1/articles", token: token, json: body([
                "title": article.title, "locale": article.locale, "bodyMarkdown": article.body, "questions": article.questions,
            ]))
            guard created.status == .created, let id = created.json["id"].string else {
                throw TestFailure("article not created: \(created.status) \(created.text)")
            }
            let published = try await client.call(.post, "/api/v1/articles/\(id)/publish", token: token)
            guard published.status == .ok else { throw TestFailure("article not published: \(published.status) \(published.text)") }
            ids[article.title] = id
        }
        return ids
    }
}

@Suite("The answer bot answers only when it is sure, and hands over otherwise")
struct AnswerBotTests {
    /// A workspace with the sample help center, a calibrated bot and its owner online.
    func prepared(_ client: some TestClientProtocol, _ workspace: WorkspaceSetup.Created) async throws -> (agent: String, articles: [String: String]) {
        let agent = try await client.signIn("owner@acme.test")
        let articles = try await SampleHelpCenter.publish(with: client, token: agent)
        let calibrated = try await client.call(.post, "/api/v1/bot/calibrate", token: agent)
        guard calibrated.status == .ok else { throw TestFailure("calibration failed: \(calibrated.status) \(calibrated.text)") }
        let online = try await client.call(.patch, "/api/v1/agents/\(workspace.ownerID)", token: agent, json: body(["availability": "online"]))
        guard online.status == .ok else { throw TestFailure("could not go online: \(online.text)") }
        return (agent, articles)
    }

    func messages(_ client: some TestClientProtocol, _ conversation: String, token: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(conversation)/messages", token: token).json["items"].array
    }

    func events(_ client: some TestClientProtocol, _ conversation: String, token: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(conversation)/events", token: token).json["items"].array
    }

    @Test("calibration reports the threshold and the precision measured at it")
    func calibration() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let settings = try await client.call(.get, "/api/v1/bot", token: agent).json
                #expect(settings["enabled"].bool == true)
                let samples = try #require(settings["calibration"]["samples"].int)
                // 24 sample questions, each asked with and without its own article.
                #expect(samples >= 40)
                let precision = try #require(settings["calibration"]["measuredPrecision"].value as? Double)
                #expect(precision >= 0.9)
            }
        }
    }

    @Test("a question the help center answers: the bot replies with the article and a link, holds the conversation, and a yes resolves it")
    func answersAndResolves() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, articles) = try await prepared(client, workspace)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("I sent USDT to my wallet but the deposit did not arrive", visitorToken: visitor.token)["conversationId"].string)

                var conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "pending")
                #expect(conversation["assigneeId"].isNull, "the bot holds the conversation instead of routing it")
                let answer = try #require(try await messages(client, id, token: agent).last)
                #expect(answer["authorKind"].string == "bot")
                #expect(answer["text"].string?.contains("My deposit has not arrived") == true)
                #expect(answer["text"].string?.contains("http://127.0.0.1:") == true, "an absolute link: the widget lives on other sites")
                let answered = try await events(client, id, token: agent).first { $0["kind"].string == "bot_answered" }
                #expect(answered?["data"]["articleId"].string == articles["My deposit has not arrived"])

                _ = try await client.say("yes, thanks!", visitorToken: visitor.token)
                conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "resolved")
                #expect(conversation["assigneeId"].isNull)
                let kinds = try await events(client, id, token: agent).compactMap { $0["kind"].string }
                #expect(kinds.contains("bot_resolved"))
                #expect(kinds.contains("resolved"))

                // Read from the rollups, which follow the conversation within a report tick.
                var report = JSON(value: nil)
                let counted = try await eventually {
                    report = try await client.call(.get, "/api/v1/reports/bot", token: agent).json["totals"]
                    return report["botResolved"].int == 1
                }
                #expect(counted, "\(report)")
                #expect(report["botEngaged"].int == 1)
                #expect(report["botAnswers"].int == 1)
                #expect(report["deflected"].int == 1, "no person wrote and no reopen: deflected until 72 hours say otherwise")
                #expect(report["deflectionRate"].value as? Double == 1.0)
                #expect(report["confirmedPrecision"].value as? Double == 1.0)
                #expect(report["handedOver"].int == 0)
            }
        }
    }

    @Test("a customer who asks what a term means gets one plain line about it after the extract; one who does not, gets the extract alone")
    func explainsTermsToNewcomers() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let newcomer = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let asked = try #require(try await client.say("what is the gas fee for sending tokens", visitorToken: newcomer.token)["conversationId"].string)
                let answer = try #require(try await messages(client, asked, token: agent).last { $0["authorKind"].string == "bot" })
                let text = answer["text"].string ?? ""
                #expect(text.contains("Withdrawal fees explained"), "\(text)")
                #expect(text.contains("💡 gas: the small fee paid to the blockchain network"), "\(text)")
                let regular = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let plain = try #require(try await client.say("why is the withdrawal fee so high", visitorToken: regular.token)["conversationId"].string)
                let other = try #require(try await messages(client, plain, token: agent).last { $0["authorKind"].string == "bot" })
                #expect(other["text"].string?.contains("💡") == false)
            }
        }
    }

    @Test("\"no\" hands the conversation to an agent at once")
    func declinedGoesToAgent() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("why is the withdrawal fee so high today", visitorToken: visitor.token)["conversationId"].string)
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json["status"].string == "pending")

                _ = try await client.say("no, not solved", visitorToken: visitor.token)
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "open")
                #expect(conversation["assigneeId"].string == workspace.ownerID.uuidString)
                let handoff = try await events(client, id, token: agent).first { $0["kind"].string == "bot_handoff" }
                #expect(handoff?["data"]["reason"].string == "declined")
                #expect(try await messages(client, id, token: agent).last?["text"].string?.contains("agent will reply") == true)

                var report = JSON(value: nil)
                let counted = try await eventually {
                    report = try await client.call(.get, "/api/v1/reports/bot", token: agent).json["totals"]
                    return report["handedOver"].int == 1
                }
                #expect(counted, "\(report)")
                #expect(report["handoffs"]["declined"].int == 1)
                #expect(report["botResolved"].int == 0)
                #expect(report["deflected"].int == 0)
                #expect(report["confirmedPrecision"].value as? Double == 0.0)
            }
        }
    }

    @Test("a question the help center does not cover goes straight to a person, with a notice")
    func notConfident() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("Can I change the colour of my profile picture to purple?", visitorToken: visitor.token)["conversationId"].string)
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "open")
                #expect(conversation["assigneeId"].string == workspace.ownerID.uuidString)
                let kinds = try await events(client, id, token: agent).compactMap { $0["kind"].string }
                #expect(!kinds.contains("bot_answered"))
                let handoff = try await events(client, id, token: agent).first { $0["kind"].string == "bot_handoff" }
                #expect(handoff?["data"]["reason"].string == "not_confident")
            }
        }
    }

    @Test("asking for a person in Chinese hands over in Chinese")
    func chineseHumanRequest() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-CN")
                let id = try #require(try await client.say("转人工，充值没到账", visitorToken: visitor.token)["conversationId"].string)
                let handoff = try await events(client, id, token: agent).first { $0["kind"].string == "bot_handoff" }
                #expect(handoff?["data"]["reason"].string == "requested")
                #expect(try await messages(client, id, token: agent).last?["text"].string?.contains("人工客服") == true)
            }
        }
    }

    @Test("a Chinese question is answered from the Chinese article")
    func chineseAnswer() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-CN")
                let id = try #require(try await client.say("我转了USDT到钱包，充值一直没有到账", visitorToken: visitor.token)["conversationId"].string)
                let answer = try #require(try await messages(client, id, token: agent).last)
                #expect(answer["authorKind"].string == "bot")
                #expect(answer["text"].string?.contains("充值未到账怎么办") == true)
                #expect(answer["text"].string?.contains("问题解决了吗") == true)
            }
        }
    }

    @Test("the bot stays out of API-channel conversations and of a workspace that turned it off")
    func staysOut() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let off = try await client.call(.patch, "/api/v1/bot", token: agent, json: body(["enabled": false]))
                #expect(off.json["enabled"].bool == false)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("I sent USDT to my wallet but the deposit did not arrive", visitorToken: visitor.token)["conversationId"].string)
                #expect(try await messages(client, id, token: agent).allSatisfy { $0["authorKind"].string != "bot" })
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json["assigneeId"].string == workspace.ownerID.uuidString)
            }
        }
    }

    @Test("bot settings: only admins change them, and the target precision is bounded")
    func settingsValidation() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let (agent, _) = try await prepared(client, workspace)
                let bad = try await client.call(.patch, "/api/v1/bot", token: agent, json: body(["targetPrecision": 1.5]))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.isProblem)
                let strict = try await client.call(.patch, "/api/v1/bot", token: agent, json: body(["targetPrecision": 0.95]))
                #expect(strict.json["targetPrecision"].value as? Double == 0.95)
                let preview = try await client.call(.post, "/api/v1/bot/preview", token: agent, json: body(["text": "how do I add a token by contract address"]))
                #expect(preview.json["article"]["title"].string == "Add a custom token")
                #expect(preview.json["intent"].string == "other")
            }
        }
    }
}

@Suite("The category model learns from the team's own labels")
struct CategoryModelTests {
    @Test("agents' categories train a model that then categorises new conversations; its own guesses never train it")
    func learnsFromAgents() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                _ = try await client.call(.patch, "/api/v1/bot", token: agent, json: body(["enabled": false]))
                let labelled: [(String, String)] = [
                    ("my deposit has not arrived yet", "deposit"), ("deposit missing from balance", "deposit"),
                    ("USDT deposit still pending", "deposit"), ("I deposited ETH and nothing shows", "deposit"),
                    ("deposit sent two hours ago not credited", "deposit"), ("where is my deposit", "deposit"),
                    ("withdrawal fee is too high", "fees"), ("why do I pay gas to withdraw", "fees"),
                    ("how much is the network fee", "fees"), ("fee for sending USDT", "fees"),
                    ("the transfer fee was expensive", "fees"), ("explain the withdrawal fee", "fees"),
                ]
                let before = try await client.call(.post, "/api/v1/triage/model/train", token: agent)
                #expect(before.status == .conflict, "nothing labelled yet")
                for (text, category) in labelled {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    let id = try #require(try await client.say(text, visitorToken: visitor.token)["conversationId"].string)
                    let patched = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent, json: body(["category": category]))
                    #expect(patched.json["category"].string == category)
                }
                let trained = try await client.call(.post, "/api/v1/triage/model/train", token: agent)
                #expect(trained.status == .ok)
                #expect(trained.json["examples"].int == 12)
                #expect(trained.json["categories"].array.compactMap(\.string) == ["deposit", "fees"])

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my USDT deposit has not arrived", visitorToken: visitor.token)["conversationId"].string)
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json["category"].string == "deposit")

                // A team named after a category takes that category's conversations, and its
                // online member gets them before anyone else online.
                let created = try await client.call(.post, "/api/v1/agents", token: agent,
                                                    json: body(["email": "li@acme.test", "name": "Li", "password": "longenough1"]))
                let li = try #require(created.json["id"].string)
                let liToken = try await client.signIn("li@acme.test", password: "longenough1")
                // Room for the conversations already waiting in the queue as well as the new ones.
                _ = try await client.call(.patch, "/api/v1/agents/\(li)", token: agent, json: body(["capacity": 50]))
                _ = try await client.call(.patch, "/api/v1/agents/\(li)", token: liToken, json: body(["availability": "online"]))
                _ = try await client.call(.patch, "/api/v1/agents/\(workspace.ownerID)", token: agent, json: body(["availability": "online"]))
                let team = try await client.call(.post, "/api/v1/teams", token: agent, json: body(["name": "Deposit", "agentIds": [li]]))
                let teamID = try #require(team.json["id"].string)
                for text in ["my deposit of ETH never arrived", "deposit still not in my balance"] {
                    let routed = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    let routedID = try #require(try await client.say(text, visitorToken: routed.token)["conversationId"].string)
                    let conversation = try await client.call(.get, "/api/v1/conversations/\(routedID)", token: agent).json
                    #expect(conversation["category"].string == "deposit")
                    #expect(conversation["teamId"].string == teamID)
                    #expect(conversation["assigneeId"].string == li)
                }

                // The model's own label is not training data: still 12 labelled conversations.
                let model = try await client.call(.get, "/api/v1/triage/model", token: agent).json
                #expect(model["trained"].bool == true)
                #expect(model["labelledConversations"].int == 12)
                let timeline = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array
                #expect(!timeline.contains { $0["kind"].string == "category_changed" })
            }
        }
    }
}

@Suite("The bot tells the customer where their transaction stands")
struct TransactionUpdatesTests {
    @Test("pending, then confirmed with its confirmations, in the customer's language; silent once an agent has answered")
    func tellsCustomer() async throws {
        try await withQuietDesk { desk, persistence in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                _ = try await client.call(.put, "/api/v1/chain-endpoints/evm", token: owner, json: body(["name": "Ethereum", "rpcUrl": "http://127.0.0.1:8545"]))
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-CN")
                let conversationID = try #require(try await client.say("我的转账还没到，交易哈希 \(evmHash)", visitorToken: visitor.token)["conversationId"].string)

                let sent = Mutex<[Reply]>([])
                let settings = BotSettingsCache(persistence: persistence, calibration: BotCalibration(retrieval: BotRetrieval(
                    knowledgeBase: KnowledgeBase(persistence: persistence), ranker: nil, logger: Logger(label: "test"))), jobs: JobQueue(persistence: persistence))
                let updates = TransactionUpdates(persistence: persistence, settings: settings) { reply in sent.withLock { $0.append(reply) } }
                let handler = ChainLookupHandler(persistence: persistence, hub: InProcessHub(), clients: ScriptedChain([.success(.pending), .success(.confirmed)]).source,
                                                 customerUpdates: updates)
                for _ in 0..<2 {
                    let job = try #require(try await ChainJobs.claim(persistence))
                    try await handler.run(payload: job.payload)
                    try await JobQueue(persistence: persistence).complete(job)
                }
                let texts = sent.withLock { $0.map(\.text) }
                #expect(texts.count == 2)
                #expect(texts.first?.contains("仍在等待网络确认") == true)
                #expect(texts.last?.contains("3 个区块确认") == true)
                #expect(texts.last?.contains("Ethereum") == true)
                #expect(sent.withLock { $0.allSatisfy { $0.authorKind == .bot && !$0.isPrivate && $0.conversationID.uuidString == conversationID } })

                _ = try await client.call(.post, "/api/v1/conversations/\(conversationID)/messages", token: owner, json: body(["text": "Let me check"]))
                let lookup = try #require(try await ChainLookupRow.query(on: persistence.db).first())
                try await updates.stateChanged(lookup, from: "pending", chainName: "Ethereum")
                #expect(sent.withLock { $0.count } == 2, "an agent speaks for the conversation now")
            }
        }
    }

    @Test("the English wording counts confirmations properly")
    func wording() {
        #expect(TransactionUpdates.text(state: "confirmed", hash: evmHash, chain: "Ethereum", confirmations: 1, chinese: false)
                    == "Your transaction 0x5c504e…b22060 on Ethereum is confirmed: it has 1 confirmation on the network.")
        #expect(TransactionUpdates.text(state: "failed", hash: evmHash, chain: "Ethereum", confirmations: 4, chinese: false).contains("did not move"))
    }
}
