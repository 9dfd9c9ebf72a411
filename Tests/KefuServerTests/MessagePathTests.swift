import HTTPTypes
import FluentKit
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import KefuCore
import Logging
import SQLKit
import Testing
@testable import KefuServer

@Suite("Nothing acknowledged is lost or doubled")
struct IdempotencyTests {
    @Test("eight parallel retries of one widget message store it once, and every retry gets that message back")
    func widgetRetries() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let json = body(["text": "My withdrawal is stuck", "clientMessageId": "m-1"])
                let answers = try await inParallel(0..<8) { _ in try await client.call(.post, "/widget/v1/messages", token: visitor.token, json: json) }
                #expect(answers.map(\.status.code).sorted() == [200, 200, 200, 200, 200, 200, 200, 201])
                #expect(Set(answers.compactMap { $0.json["id"].string }).count == 1)
                let agent = try await client.signIn("owner@acme.test")
                let conversation = try #require(answers[0].json["conversationId"].string)
                let messages = try await client.call(.get, "/api/v1/conversations/\(conversation)/messages", token: agent).json["items"].array
                #expect(messages.filter { $0["authorKind"].string == "contact" }.count == 1)

                // Another message, or the same words under another id, is a new message.
                let again = try await client.call(.post, "/widget/v1/messages", token: visitor.token,
                                                  json: body(["text": "My withdrawal is stuck", "clientMessageId": "m-2"]))
                #expect(again.status == .created)
                #expect(again.json["id"].string != answers[0].json["id"].string)
            }
        }
    }

    @Test("one visitor's message id never answers for another visitor")
    func keysAreScopedToTheVisitor() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let one = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let two = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let first = try await client.call(.post, "/widget/v1/messages", token: one.token, json: body(["text": "hello", "clientMessageId": "same"]))
                let second = try await client.call(.post, "/widget/v1/messages", token: two.token, json: body(["text": "hi there", "clientMessageId": "same"]))
                #expect(first.status == .created)
                #expect(second.status == .created)
                #expect(second.json["text"].string == "hi there")
            }
        }
    }

    @Test("parallel retries of an API inbox message with one channelMessageId store it once: one 201, the rest 200 with the same message")
    func apiRetries() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let json = body(["text": "Card payment failed", "channelMessageId": "crm-77", "contact": ["externalId": "u-9", "name": "Piet"]])
                let inboxes = try await client.call(.get, "/api/v1/inboxes", token: agent)
                let api = try #require(inboxes.json["items"].array.first { $0["kind"].string == "api" }?["id"].string)
                let path = "/api/v1/inboxes/\(api)/messages"
                let first = try await client.call(.post, path, token: agent, json: json)
                #expect(first.status == .created)
                let retries = try await inParallel(0..<6) { _ in try await client.call(.post, path, token: agent, json: json) }
                #expect(retries.allSatisfy { $0.status == .ok })
                #expect(Set(retries.compactMap { $0.json["message"]["id"].string }) == [first.json["message"]["id"].string!])
                let conversation = try #require(first.json["conversation"]["id"].string)
                let messages = try await client.call(.get, "/api/v1/conversations/\(conversation)/messages", token: agent).json["items"].array
                #expect(messages.count == 1)
            }
        }
    }

    @Test("two nodes receiving one customer's first messages at the same moment open one conversation between them")
    func oneConversationAcrossNodes() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            // Two applications on one database: two processes' worth of caches and locks.
            let one = try await desk.application()
            let two = try await desk.application()
            try await one.test(.router) { a in
                try await two.test(.router) { b in
                    let visitor = try await a.visitor(inboxToken: workspace.widgetPublicToken!)
                    let sent = try await inParallel(0..<6) { index in
                        let client: any TestClientProtocol = index.isMultiple(of: 2) ? a : b
                        return try await client.call(.post, "/widget/v1/messages", token: visitor.token, json: body(["text": "message \(index)"]))
                    }
                    #expect(sent.allSatisfy { $0.status == .created }, "\(sent.map(\.text))")
                    #expect(Set(sent.compactMap { $0.json["conversationId"].string }).count == 1)
                    let agent = try await a.signIn("owner@acme.test")
                    let listed = try await a.call(.get, "/api/v1/conversations?contactId=\(visitor.contactID)", token: agent).json["items"].array
                    #expect(listed.count == 1)
                }
            }
        }
    }

    @Test("the database itself refuses a second conversation that is not closed for one contact and inbox")
    func partialUniqueIndex() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
            try await persistence.migrate()
            let contact = ContactRow(workspaceID: workspace.workspaceID)
            try await contact.create(on: persistence.db)
            let inbox = try #require(try await InboxRow.query(on: persistence.db).filter(\.$workspaceID == workspace.workspaceID)
                .filter(\.$kind == "widget").first()?.id)
            let repository = ConversationRepository()
            func opening() -> ConversationRecord {
                .opening(id: UUID(), workspaceID: workspace.workspaceID, inboxID: inbox, contactID: contact.id!, now: Date())
            }
            let first = try await repository.insert(opening(), on: persistence.db)
            await #expect(throws: (any Error).self) { _ = try await repository.insert(opening(), on: persistence.db) }
            // Once the first is closed, a new one may open.
            var closed = first
            closed.status = .closed
            _ = try await repository.save(closed, on: persistence.db)
            _ = try await repository.insert(opening(), on: persistence.db)
            await persistence.shutdown()
        }
    }

    @Test("a save from a stale read is refused, so an agent's change is never overwritten by the pipeline or the other way round")
    func versionedSaves() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
            try await persistence.migrate()
            let contact = ContactRow(workspaceID: workspace.workspaceID)
            try await contact.create(on: persistence.db)
            let inbox = try #require(try await InboxRow.query(on: persistence.db).filter(\.$workspaceID == workspace.workspaceID).first()?.id)
            let repository = ConversationRepository()
            let stored = try await repository.insert(.opening(id: UUID(), workspaceID: workspace.workspaceID, inboxID: inbox,
                                                              contactID: contact.id!, now: Date()), on: persistence.db)
            var agentsChange = stored
            agentsChange.priority = .high
            var pipelinesChange = stored
            pipelinesChange.sentiment = "negative"
            let saved = try await repository.save(agentsChange, on: persistence.db)
            #expect(saved.version == stored.version + 1)
            await #expect(throws: ConversationRepository.VersionConflict.self) { _ = try await repository.save(pipelinesChange, on: persistence.db) }
            let reread = try #require(try await repository.find(stored.id, workspaceID: workspace.workspaceID, on: persistence.db))
            #expect(reread.priority == .high)
            #expect(reread.sentiment == nil)
            await persistence.shutdown()
        }
    }
}

@Suite("Security reports go to a person, never to the bot")
struct SecurityReportTests {
    func prepared(_ client: some TestClientProtocol, _ workspace: WorkspaceSetup.Created) async throws -> String {
        let agent = try await client.signIn("owner@acme.test")
        _ = try await SampleHelpCenter.publish(with: client, token: agent)
        let calibrated = try await client.call(.post, "/api/v1/bot/calibrate", token: agent)
        guard calibrated.status == .ok else { throw TestFailure("calibration failed: \(calibrated.text)") }
        _ = try await client.call(.patch, "/api/v1/agents/\(workspace.ownerID)", token: agent, json: body(["availability": "online"]))
        return agent
    }

    @Test("theft, a hacked account and a scam, in English and Chinese: no article, no bot message; the desk's own notice; open, urgent and assigned",
          arguments: [("en", "Someone stole all the USDT from my wallet, I think I was hacked", "urgent and passed it straight"),
                      ("en", "I got scammed by a fake support agent and sent them my ETH", "urgent and passed it straight"),
                      ("zh-CN", "我的钱包被盗了，里面的USDT全部被转走了", "已标记为紧急")])
    func theftSkipsTheBot(locale: String, text: String, notice: String) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await prepared(client, workspace)
                // The same help center answers an ordinary question: the bot is on and able.
                let asker = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let ordinary = try #require(try await client.say("my deposit is not showing in my balance", visitorToken: asker.token)["conversationId"].string)
                let ordinaryMessages = try await client.call(.get, "/api/v1/conversations/\(ordinary)/messages", token: agent).json["items"].array
                #expect(ordinaryMessages.contains { $0["authorKind"].string == "bot" })

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: locale)
                let id = try #require(try await client.say(text, visitorToken: visitor.token)["conversationId"].string)
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent).json["items"].array
                #expect(!messages.contains { $0["authorKind"].string == "bot" }, "\(messages)")
                #expect(messages.contains { $0["authorKind"].string == "system" && $0["text"].string?.contains(notice) == true }, "\(messages)")
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "open")
                #expect(conversation["priority"].string == "urgent")
                #expect(conversation["assigneeId"].string == workspace.ownerID.uuidString)
                let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array
                #expect(!events.contains { ($0["kind"].string ?? "").hasPrefix("bot_") })
            }
        }
    }

    @Test("a look-alike link skips the bot too: the phishing warning is the only answer")
    func lookalikeSkipsTheBot() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await prepared(client, workspace)
                let added = try await client.call(.post, "/api/v1/official-channels", token: agent, json: body(["kind": "domain", "value": "kefu.com"]))
                #expect(added.status == .created)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("Is https://kefu-support.com/connect your site? my deposit is not showing", visitorToken: visitor.token)["conversationId"].string)
                let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent).json["items"].array
                #expect(!messages.contains { $0["authorKind"].string == "bot" }, "\(messages)")
                #expect(messages.contains { $0["authorKind"].string == "system" && $0["text"].string?.contains("NOT our official site") == true })
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                #expect(conversation["status"].string == "open")
                #expect(conversation["priority"].string == "high")
            }
        }
    }

    /// Six new visitors, each asking one question at the same moment; their conversations' ids.
    static func sixNewVisitorsAtOnce(_ client: any TestClientProtocol, _ workspace: WorkspaceSetup.Created) async throws -> [String] {
        let questions = ["my deposit is not showing in my balance", "why is the withdrawal fee so high", "how do I add a token by contract address",
                         "我的充值还没到账", "提币手续费为什么这么高", "I want to change the colour of the app icon"]
        let visitors = try await inParallel(questions) { question in
            (try await client.visitor(inboxToken: workspace.widgetPublicToken!).token, question)
        }
        return try await inParallel(visitors) { visitor in
            try await client.say(visitor.1, visitorToken: visitor.0)["conversationId"].string ?? ""
        }
    }

    @Test("six new visitors writing at once each hear from the bot: an answer or a hand-over, never silence")
    func botUnderConcurrency() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await prepared(client, workspace)
                let conversations = try await Self.sixNewVisitorsAtOnce(client, workspace)
                for id in conversations {
                    let messages = try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: agent).json["items"].array
                    #expect(messages.contains { $0["authorKind"].string == "bot" }, "conversation \(id): \(messages)")
                }
            }
        }
    }

    @Test("the first customers of a workspace whose bot was never calibrated, writing at once, share one calibration; none is handed over for want of a bot")
    func firstCalibrationUnderConcurrency() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                _ = try await SampleHelpCenter.publish(with: client, token: agent)
                let conversations = try await Self.sixNewVisitorsAtOnce(client, workspace)
                for id in conversations {
                    let timeline = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: agent).json["items"].array
                    let decided = timeline.filter { ["bot_answered", "bot_handoff"].contains($0["kind"].string) }
                    #expect(decided.count == 1, "conversation \(id): \(timeline)")
                    #expect(!decided.contains { $0["data"]["reason"].string == "unavailable" }, "conversation \(id): \(decided)")
                }
            }
        }
    }
}

@Suite("The outbox")
struct OutboxTests {
    @Test("a message's events wait in the outbox until published; a row a stopped node left behind is published by the sweep and removed")
    func outboxRows() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
            try await persistence.migrate()
            let hub = InProcessHub()
            let agents = hub.subscribe(.workspace(workspace.workspaceID))
            let outbox = Outbox()
            let orphan = RealtimeEvent(type: "message.created", workspaceID: workspace.workspaceID, conversationID: UUID(), contactID: nil,
                                       visibleToContact: false, payloadJSON: #"{"text":"left behind"}"#)
            try await outbox.write([orphan], on: persistence.db)
            let sql = persistence.sql
            // Fresh rows belong to a node that is publishing them right now.
            try await outbox.sweep(persistence: persistence, hub: hub)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self) == 1)
            try await outbox.sweep(persistence: persistence, hub: hub, now: Date().millisSince1970 + Outbox.orphanAfterMillis + 1_000)
            let received = try #require(await agents.events.first { _ in true })
            #expect(received.id == orphan.id)
            #expect(received.payloadJSON.contains("left behind"))
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self) == 0)

            // Rows published by this node go at the next sweep, in one statement.
            try await outbox.write([orphan], on: persistence.db)
            outbox.markPublished([orphan])
            try await outbox.sweep(persistence: persistence, hub: hub)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self) == 0)
            await persistence.shutdown()
        }
    }

    @Test("a widget message leaves no outbox rows behind once it is answered and the relay has swept")
    func emptiedAfterPublishing() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                _ = try await client.say("hello", visitorToken: visitor.token)
                let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
                var left = -1
                for _ in 0..<40 {
                    left = try await persistence.sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self) ?? -1
                    if left == 0 { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(left == 0)
                await persistence.shutdown()
            }
        }
    }
}

@Suite("Requests as clients really send them")
struct RequestShapeTests {
    @Test("a + in a query string is a space, as form-style clients send it; %2B is a plus")
    func plusIsSpace() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                _ = try await client.call(.post, "/api/v1/contacts", token: agent, json: body(["name": "Piet Vexler", "email": "piet+desk@example.com"]))
                let spaced = try await client.call(.get, "/api/v1/contacts?q=Piet+Vexler", token: agent)
                #expect(spaced.json["items"].array.map { $0["name"].string } == ["Piet Vexler"])
                let encoded = try await client.call(.get, "/api/v1/contacts?q=Piet%20Vexler", token: agent)
                #expect(encoded.json["items"].array.count == 1)
                let plus = try await client.call(.get, "/api/v1/contacts?email=piet%2Bdesk%40example.com", token: agent)
                #expect(plus.json["items"].array.count == 1)
            }
        }
    }

    @Test("while the database is unreachable the answer is 503 with Retry-After, not a 500",
          arguments: [ChannelError.ioOnClosedChannel as any Error, IOError(errnoCode: 111, reason: "connect") as any Error])
    func outageIs503(error: any Error) async throws {
        #expect(DatabaseOutage.matches(error))
        #expect(!DatabaseOutage.matches(Problem.badRequest("no")))
        let router = Router(context: KefuRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.get("down") { _, _ -> String in throw error }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.call(.get, "/down")
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == String(DatabaseOutage.retryAfterSeconds))
            #expect(response.isProblem)
        }
    }
}

@Suite("The OpenAPI document tells the truth")
struct OpenAPITruthTests {
    func document() throws -> JSON {
        let data = try OpenAPIDocument.load()
        return JSON(value: try JSONSerialization.jsonObject(with: Data(String(buffer: data).utf8)))
    }

    @Test("every event kind the desk records is in ConversationEventKind")
    func eventKinds() throws {
        let described = Set(try document()["components"]["schemas"]["ConversationEventKind"]["enum"].array.compactMap(\.string))
        #expect(described == Set(ConversationEventKind.allCases.map(\.rawValue)))
    }

    @Test("every field of a conversation and a message as the API returns them is described")
    func viewFields() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let message = try await client.say("hello", visitorToken: visitor.token)
                let agent = try await client.signIn("owner@acme.test")
                let id = try #require(message["conversationId"].string)
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: agent,
                                          json: body(["subject": "s", "category": "deposits", "tags": ["a"], "attributes": ["k": "v"]]))
                let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: agent).json
                let schemas = try document()["components"]["schemas"]
                let conversationFields = Set(((schemas["Conversation"]["properties"].value as? [String: Any]) ?? [:]).keys)
                let returned = Set(((conversation.value as? [String: Any]) ?? [:]).keys)
                #expect(returned.subtracting(conversationFields).isEmpty, "undescribed: \(returned.subtracting(conversationFields))")
                let messageFields = Set(((schemas["Message"]["properties"].value as? [String: Any]) ?? [:]).keys)
                let messageReturned = Set(((message.value as? [String: Any]) ?? [:]).keys)
                #expect(messageReturned.subtracting(messageFields).isEmpty, "undescribed: \(messageReturned.subtracting(messageFields))")
            }
        }
    }
}

/// Runs `body` for every input at once, as clients retrying or arriving together do;
/// the results come back in the order they finished.
func inParallel<Input: Sendable, Output: Sendable>(_ inputs: some Sequence<Input>,
                                                   _ body: @escaping @Sendable (Input) async throws -> Output) async throws -> [Output] {
    try await withThrowingTaskGroup(of: Output.self) { group in
        for input in inputs { group.addTask { try await body(input) } }
        return try await group.reduce(into: [Output]()) { $0.append($1) }
    }
}
