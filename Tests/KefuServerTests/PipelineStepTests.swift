import FluentKit
import Foundation
import KefuCore
import KefuShield
import Logging
import SQLKit
import Testing
@testable import KefuServer

/// One desk's database with the pieces a step needs, for testing steps one at a time.
struct StepBench {
    let persistence: Persistence
    let workspace: WorkspaceSetup.Created
    let inboxID: UUID
    let contactID: UUID

    static func with(_ body: (StepBench) async throws -> Void) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
            do {
                try await persistence.migrate()
                let inbox = try #require(try await InboxRow.query(on: persistence.db).filter(\.$workspaceID == workspace.workspaceID)
                    .filter(\.$kind == "widget").first()?.id)
                let contact = ContactRow(workspaceID: workspace.workspaceID)
                try await contact.create(on: persistence.db)
                try await body(StepBench(persistence: persistence, workspace: workspace, inboxID: inbox, contactID: contact.id!))
            } catch {
                await persistence.shutdown()
                throw error
            }
            await persistence.shutdown()
        }
    }

    func inbound(_ text: String, key: String? = nil) -> Inbound {
        Inbound(workspaceID: workspace.workspaceID, inboxID: inboxID, contactID: contactID, text: text, idempotencyKey: key)
    }

    func openConversation() async throws -> ConversationRecord {
        try await ConversationRepository().insert(.opening(id: TimeOrderedID.make(), workspaceID: workspace.workspaceID, inboxID: inboxID,
                                                           contactID: contactID, now: Date()), on: persistence.db)
    }

    var decide: DecideStep {
        let retrieval = BotRetrieval(knowledgeBase: KnowledgeBase(persistence: persistence), ranker: nil, logger: Logger(label: "test"))
        let settings = BotSettingsCache(persistence: persistence, calibration: BotCalibration(retrieval: retrieval), jobs: JobQueue(persistence: persistence))
        return DecideStep(persistence: persistence, answerBot: AnswerBot(persistence: persistence, retrieval: retrieval, settings: settings,
                                                                         writer: nil, publicBaseURL: "http://desk.test", logger: Logger(label: "test")))
    }

    func shielded(_ text: String) async -> Shielded {
        await ShieldStep(officialChannels: OfficialChannelsCache(persistence: persistence)).apply(to: inbound(text))
    }
}

@Suite("The pipeline's steps, one at a time")
struct PipelineStepTests {
    @Test("identify: the customer's conversation that is not closed; this node's last save without a read; a retried message by its key")
    func identify() async throws {
        try await StepBench.with { bench in
            let step = IdentifyStep(persistence: bench.persistence, cache: OpenConversationCache())
            #expect(try await step.conversation(for: bench.inbound("hi")) == nil)
            let open = try await bench.openConversation()
            #expect(try await step.conversation(for: bench.inbound("hi"))?.id == open.id)

            // A remembered conversation is answered from memory: a change behind the cache's
            // back is not seen until a save fails on its version.
            step.remember(open)
            try await bench.persistence.sql.raw("UPDATE conversations SET sentiment = 'negative' WHERE id = \(bind: open.id)").run()
            #expect(try await step.conversation(for: bench.inbound("hi"))?.sentiment == nil)
            var closed = open
            closed.status = .closed
            step.remember(closed)
            #expect(try await step.conversation(for: bench.inbound("hi"))?.id == open.id, "read again after the closed one was forgotten")

            var message = MessageRecord(id: TimeOrderedID.make(), workspaceID: bench.workspace.workspaceID, conversationID: open.id, authorKind: .contact,
                                        authorID: bench.contactID, body: "first try", isPrivate: false, createdAt: Date())
            message.idempotencyKey = "widget:k1"
            try await TimelineRepository().insert([message], on: bench.persistence.db)
            let replay = try #require(try await step.replay(of: bench.inbound("first try", key: "widget:k1")))
            #expect(replay.replayed)
            #expect(replay.message.id == message.id)
            #expect(try await step.replay(of: bench.inbound("first try", key: "widget:other")) == nil)
        }
    }

    @Test("shield: a pasted phrase is replaced before anything else sees it, and a placeholder the widget sent still counts as exposed")
    func shield() async throws {
        try await StepBench.with { bench in
            let phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident"
            let pasted = await bench.shielded("my words: \(phrase)")
            #expect(!pasted.inbound.text.contains("abandon"))
            #expect(pasted.inbound.text.contains(SecretPlaceholder.recoveryPhrase))
            #expect(pasted.redactedSecrets == ["mnemonic"])
            let hidden = await bench.shielded("my words: \(SecretPlaceholder.recoveryPhrase)")
            #expect(hidden.redactedSecrets == ["mnemonic"])
            #expect(!pasted.metadata.contains("abandon"))
        }
    }

    @Test("understand: language, mood and urgency are read from the customer's own words, not from a placeholder")
    func understand() {
        let read = UnderstandStep.read(SecretPlaceholder.removed(from: "please help \(SecretPlaceholder.recoveryPhrase) someone stole my funds"))
        #expect(read.language == "en")
        #expect(read.urgentBecause.contains(.theft))
        #expect(UnderstandStep.read("我的提币一直没到账").language == "zh-Hans")
        #expect(UnderstandStep.read("where is my deposit").urgentBecause.isEmpty)
    }

    @Test("decide: a first message opens a conversation to route, with its created event and nothing written yet")
    func decideOpening() async throws {
        try await StepBench.with { bench in
            let shielded = await bench.shielded("where is my deposit?")
            let decision = try await bench.decide.customerMessage(shielded, understanding: UnderstandStep.read(shielded.inbound.text), joining: nil, now: Date())
            #expect(decision.write.before == nil)
            #expect(decision.write.events.map(\.kind) == [.created])
            #expect(decision.write.messages.map(\.authorKind) == [.contact])
            #expect(decision.route)
            #expect(decision.write.after.status == .open)
            let stored = try await bench.persistence.sql.raw("SELECT COUNT(*) AS n FROM conversations").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 0)
        }
    }

    @Test("decide: a customer writing to a resolved conversation reopens it; an ongoing chat only moves its activity")
    func decideFollowUps() async throws {
        try await StepBench.with { bench in
            var resolved = try await bench.openConversation()
            resolved.status = .resolved
            resolved.resolvedAt = Date()
            let shielded = await bench.shielded("it happened again")
            let reopened = try await bench.decide.customerMessage(shielded, understanding: UnderstandStep.read(shielded.inbound.text),
                                                                  joining: resolved, now: Date())
            #expect(reopened.write.after.status == .open)
            #expect(reopened.write.after.resolvedAt == nil)
            #expect(reopened.write.events.map(\.kind) == [.reopened])
            // Routing decides whether it goes back to its agent.
            #expect(reopened.route)

            var open = resolved.with(status: .open)
            open.resolvedAt = nil
            let ongoing = try await bench.decide.customerMessage(shielded, understanding: UnderstandStep.read(shielded.inbound.text), joining: open, now: Date())
            #expect(ongoing.write.events.isEmpty)
            #expect(!ongoing.write.after.differs(from: open.with(sentiment: ongoing.write.after.sentiment, language: ongoing.write.after.language)))
        }
    }

    @Test("decide: a theft report is urgent, answered by the desk's own notice in the customer's language, and routed; the bot is not asked")
    func decideSecurityReport() async throws {
        try await StepBench.with { bench in
            let shielded = await bench.shielded("我的钱包被盗了，资产全部被转走")
            let decision = try await bench.decide.customerMessage(shielded, understanding: UnderstandStep.read(shielded.inbound.text), joining: nil, now: Date())
            #expect(decision.write.after.priority == .urgent)
            #expect(decision.write.events.contains { $0.kind == .priorityChanged && $0.data["to"] == "urgent" })
            #expect(decision.write.messages.map(\.authorKind) == [.contact, .system])
            #expect(decision.write.messages.last?.body.contains("紧急") == true)
            #expect(decision.botSession == nil)
            #expect(decision.route)
        }
    }

    @Test("publish: announcements go out in order and their outbox rows are gone after the next sweep")
    func publish() async throws {
        try await StepBench.with { bench in
            let hub = InProcessHub()
            let outbox = Outbox()
            let agents = hub.subscribe(.workspace(bench.workspace.workspaceID))
            let writer = ConversationWriter(outbox: outbox, webhooks: WebhookDispatcher(persistence: bench.persistence, queue: JobQueue(persistence: bench.persistence)))
            let shielded = await bench.shielded("hello")
            let decision = try await bench.decide.customerMessage(shielded, understanding: UnderstandStep.read("hello"), joining: nil, now: Date())
            let committed = try await bench.persistence.db.transaction { db in try await writer.write(decision.write, on: db) }
            #expect(committed.announcements.map(\.type) == ["conversation.created", "message.created"])
            await PublishStep(hub: hub, outbox: outbox, metrics: KefuMetrics()).committed(committed)
            var iterator = agents.events.makeAsyncIterator()
            #expect(await iterator.next()?.type == "conversation.created")
            #expect(await iterator.next()?.type == "message.created")
            try await outbox.sweep(persistence: bench.persistence, hub: hub)
            #expect(try await bench.persistence.sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self) == 0)
        }
    }
}

extension ConversationRecord {
    func with(status: ConversationStatus) -> ConversationRecord { var copy = self; copy.status = status; return copy }
    func with(sentiment: String?, language: String?) -> ConversationRecord { var copy = self; copy.sentiment = sentiment; copy.language = language; return copy }
}
