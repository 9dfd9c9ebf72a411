import FluentKit
import Foundation
import KefuCore
import KefuShield
import KefuText
import Logging
import SQLKit

/// What arrived from a customer on any channel, before anything else has seen it.
public struct Inbound: Sendable {
    public let workspaceID: UUID
    public let inboxID: UUID
    public let contactID: UUID
    public let text: String
    public let channelMessageID: String?

    public init(workspaceID: UUID, inboxID: UUID, contactID: UUID, text: String, channelMessageID: String? = nil) {
        self.workspaceID = workspaceID
        self.inboxID = inboxID
        self.contactID = contactID
        self.text = text
        self.channelMessageID = channelMessageID
    }
}

/// What an agent, the bot or the system sends into a conversation.
public struct Reply: Sendable {
    public let workspaceID: UUID
    public let conversationID: UUID
    public let authorKind: AuthorKind
    public let authorID: UUID?
    public let text: String
    public let isPrivate: Bool
}

/// The result of either path, as stored.
struct Delivered: Sendable {
    let message: MessageView
    let conversation: ConversationView
    let conversationCreated: Bool
    let conversationChanged: Bool
    /// Kinds of secret the shield removed from the customer's text (never the secret).
    var redactedSecrets: [String] = []
    /// What the desk says to the customer right after their message (the answer bot's answer
    /// or hand-over notice), stored and published after every warning.
    var followUps: [Reply] = []

    /// The same delivery with the conversation as a later step changed it.
    func with(conversation updated: ConversationView) -> Delivered {
        var copy = Delivered(message: message, conversation: updated, conversationCreated: conversationCreated, conversationChanged: true)
        copy.redactedSecrets = redactedSecrets
        copy.followUps = followUps
        return copy
    }
}

/// A customer message after the shield: the text is redacted, the findings hold no secret.
struct Shielded: Sendable {
    let inbound: Inbound
    let findings: [Finding]
    /// Links judged against the workspace's official domains (empty when it lists none).
    var links: [LinkJudgement] = []
    var officialDomains: [String] = []
    var redactedSecrets: [String] { Array(Set(findings.filter(\.kind.isSecret).map(\.kind.rawValue))).sorted() }
    var metadata: String { StoredFindings(findings: findings, links: links.isEmpty ? nil : links).json }
}

/// The one path every customer message takes, and its mirror for replies.
/// Each step is a small value with one job; the sequence reads top to bottom here.
struct ConversationPipeline: Sendable {
    let identify: IdentifyStep
    let shield: ShieldStep
    let store: StoreStep
    let understand: UnderstandStep
    let act: ActStep
    let publish: PublishStep
    let replyGuard: ReplyGuardStep
    private let perContact = KeyedLock()

    func receive(_ inbound: Inbound) async throws -> Delivered {
        try await perContact.withLock(inbound.contactID) {
            let candidate = identify.currentConversation(for: inbound)
            let shielded = await shield.judgeLinks(shield.apply(to: inbound))
            var stored = try await store.customerMessage(shielded, candidate: candidate)
            identify.remember(stored.conversation, for: inbound)
            stored = await understand.apply(to: stored)
            stored = try await act.afterCustomerMessage(stored)
            stored = try await act.recordPhishingLinks(shielded, in: stored)
            await publish.delivered(stored)
            await ChainLookups.enqueue(shielded.findings, for: stored, persistence: act.persistence)
            if let warning = try await act.securityWarning(for: stored) {
                // After the customer's own message, so their screen shows it in order.
                await publish.delivered(try await store.reply(warning))
            }
            if let warning = try await act.phishingWarning(shielded, for: stored) {
                await publish.delivered(try await store.reply(warning))
            }
            for followUp in stored.followUps {
                await publish.delivered(try await store.reply(followUp))
            }
            return stored
        }
    }

    func reply(_ reply: Reply) async throws -> Delivered {
        let checked = try await replyGuard.check(reply)
        let stored = try await store.reply(checked)
        await publish.delivered(stored)
        return stored
    }
}

// MARK: - Steps

/// 1. identify: which conversation this customer is writing into.
struct IdentifyStep: Sendable {
    let cache: OpenConversationCache

    func currentConversation(for inbound: Inbound) -> UUID? { cache.get(contact: inbound.contactID, inbox: inbound.inboxID) }

    func remember(_ conversation: ConversationView, for inbound: Inbound) {
        cache.set(contact: inbound.contactID, inbox: inbound.inboxID, conversation: conversation.id)
    }
}

/// 2. shield: recovery phrases and private keys are replaced before the text goes any
/// further — storage, logs, sockets, webhooks and models only ever see the redacted text.
struct ShieldStep: Sendable {
    let shield = Shield()
    let officialChannels: OfficialChannelsCache

    func apply(to inbound: Inbound) -> Shielded {
        let scan = shield.scan(inbound.text)
        let redacted = Inbound(workspaceID: inbound.workspaceID, inboxID: inbound.inboxID, contactID: inbound.contactID,
                               text: scan.text, channelMessageID: inbound.channelMessageID)
        // Secrets the widget already hid in the browser count as exposed all the same.
        let hiddenBefore = SecretPlaceholder.findings(in: inbound.text)
        return Shielded(inbound: redacted, findings: (scan.findings + hiddenBefore).sorted { $0.start < $1.start })
    }
}

/// 4. understand: the conversation's language, the customer's mood, and urgency — theft,
/// a hacked account, a scam or lost funds make a conversation urgent at once.
/// A new conversation also gets a category from the workspace's own model, when it is sure.
struct UnderstandStep: Sendable {
    let persistence: Persistence
    let categories: CategoryModels
    let logger: Logger

    struct Reading: Equatable {
        var language: String?
        var sentiment: String
        var urgentBecause: [String]
    }

    static func read(_ text: String) -> Reading {
        let language = LanguageDetector.detect(text)
        let urgency = UrgencyDetector.assess(text)
        return Reading(language: language == .undetermined ? nil : language.rawValue,
                       sentiment: SentimentAnalyzer.analyze(text).sentiment.rawValue,
                       urgentBecause: urgency.urgency == .urgent ? urgency.reasons.map(\.rawValue) : [])
    }

    /// Writes only what changed, so an ongoing chat usually costs no extra round trip.
    func apply(to delivered: Delivered) async -> Delivered {
        let reading = Self.read(delivered.message.text)
        let current = delivered.conversation
        let newLanguage = current.language == nil ? reading.language : nil
        let newSentiment = reading.sentiment != current.sentiment ? reading.sentiment : nil
        let escalate = !reading.urgentBecause.isEmpty && current.priority != Priority.urgent.rawValue
        let newCategory: String? = delivered.conversationCreated && current.category == nil
            ? try? await categories.predict(workspaceID: current.workspaceId, text: delivered.message.text)?.label
            : nil
        // A literal, not a bind: PostgreSQL cannot type a NULL parameter inside CASE.
        let categorySource = newCategory == nil ? "category_source" : "CASE WHEN category IS NULL THEN 'model' ELSE category_source END"
        guard newLanguage != nil || newSentiment != nil || escalate || newCategory != nil else { return delivered }
        do {
            // One UPDATE … RETURNING: the mood changes often in a real chat, and this runs then.
            let record: @Sendable (any Database) async throws -> ConversationView? = { db in
                let sql = db as! any SQLDatabase
                guard let row = try await sql.raw("""
                    UPDATE conversations SET language = COALESCE(language, \(bind: newLanguage)),
                        sentiment = \(bind: reading.sentiment),
                    category = COALESCE(category, \(bind: newCategory)), category_source = \(unsafeRaw: categorySource),
                        priority = CASE WHEN \(bind: escalate) THEN \(bind: Priority.urgent.rawValue) ELSE priority END,
                        updated_at = \(bind: Date())
                    WHERE id = \(bind: current.id)
                    RETURNING \(unsafeRaw: HotPath.conversationColumns)
                    """).first() else { return nil }
                return try ConversationView(row: row)
            }
            let updated: ConversationView?
            if escalate {
                updated = try await persistence.db.transaction { db in
                    try await ConversationEventRow(workspaceID: current.workspaceId, conversationID: current.id,
                                                   kind: ConversationEventKind.priorityChanged.rawValue, actorKind: AuthorKind.system.rawValue, actorID: nil,
                                                   data: StoredJSON.encode(["from": current.priority, "to": Priority.urgent.rawValue,
                                                                            "reason": reading.urgentBecause.joined(separator: ",")])).create(on: db)
                    return try await record(db)
                }
            } else {
                updated = try await record(persistence.db)
            }
            guard let updated else { return delivered }
            return delivered.with(conversation: updated)
        } catch {
            // Understanding is an aid: the message is stored and goes on without it.
            logger.warning("could not record triage", metadata: ["error.type": "\(type(of: error))"])
            return delivered
        }
    }
}

/// Agent replies are checked before they are stored: support never asks for a recovery
/// phrase, key, password or PIN, and never sends one. Once a workspace lists its official
/// domains, a reply may link only to them; private notes may link anywhere.
struct ReplyGuardStep: Sendable {
    let officialChannels: OfficialChannelsCache

    func check(_ reply: Reply) async throws -> Reply {
        guard reply.authorKind == .agent else { return reply }
        let domains = try await officialChannels.domains(in: reply.workspaceID)
        let reasons = AgentMessageGuard(officialDomains: domains).review(reply.text).reasons.filter { reason in
            switch reason.kind {
            case .containsSecret: return true
            case .asksForSecret: return !reply.isPrivate
            case .lookalikeLink, .unofficialLink: return !reply.isPrivate && !domains.isEmpty
            }
        }
        guard !reasons.isEmpty else { return reply }
        throw Problem.invalid(reasons.map { .init(field: "text", detail: "\($0.explanation.english) / \($0.explanation.simplifiedChinese)") })
    }
}

/// 3. store: the message and what it did to the conversation, in one transaction.
struct StoreStep: Sendable {
    let persistence: Persistence

    func customerMessage(_ shielded: Shielded, candidate: UUID?) async throws -> Delivered {
        let inbound = shielded.inbound
        let metadata = shielded.metadata
        let secrets = shielded.redactedSecrets
        // The common case — another message in an open conversation — is two statements
        // without BEGIN/COMMIT: the UPDATE only moves the activity time, so if the INSERT
        // then fails nothing is half-written, and the customer gets an error to retry.
        // On SQLite's single writer this halves the round trips per message.
        if let candidate, var appended = try await HotPath.appendToOpenConversation(inbound, metadata: metadata, conversationID: candidate, on: persistence.db) {
            appended.redactedSecrets = secrets
            return appended
        }
        return try await persistence.db.transaction { db in
            let now = Date()
            let nowMillis = now.millisSince1970
            var conversation = try await existingConversation(for: inbound, candidate: candidate, on: db)
            var events: [ConversationEventRow] = []
            var created = false
            var changed = false

            if let current = conversation {
                let status = ConversationStatus(rawValue: current.status) ?? .open
                let next = status.afterCustomerMessage
                if next != status {
                    current.status = next.rawValue
                    changed = true
                    if status == .resolved {
                        current.resolvedAt = nil
                        events.append(.init(workspaceID: inbound.workspaceID, conversationID: current.id!, kind: ConversationEventKind.reopened.rawValue,
                                            actorKind: AuthorKind.contact.rawValue, actorID: inbound.contactID))
                    } else {
                        events.append(.init(workspaceID: inbound.workspaceID, conversationID: current.id!, kind: ConversationEventKind.statusChanged.rawValue,
                                            actorKind: AuthorKind.contact.rawValue, actorID: inbound.contactID,
                                            data: StoredJSON.encode(["from": status.rawValue, "to": next.rawValue])))
                    }
                }
                current.lastActivityMillis = nowMillis
                try await current.update(on: db)
            } else {
                let row = ConversationRow()
                row.id = TimeOrderedID.make(now: now)
                row.workspaceID = inbound.workspaceID
                row.number = try await nextConversationNumber(workspaceID: inbound.workspaceID, on: db)
                row.inboxID = inbound.inboxID
                row.contactID = inbound.contactID
                row.status = ConversationStatus.open.rawValue
                row.priority = Priority.normal.rawValue
                row.tagList = ""
                row.attributes = "{}"
                row.lastActivityMillis = nowMillis
                row.createdMillis = nowMillis
                try await row.create(on: db)
                conversation = row
                created = true
                events.append(.init(workspaceID: inbound.workspaceID, conversationID: row.id!, kind: ConversationEventKind.created.rawValue,
                                    actorKind: AuthorKind.contact.rawValue, actorID: inbound.contactID))
            }
            let stored = conversation!
            let message = MessageRow(id: TimeOrderedID.make(now: now), workspaceID: inbound.workspaceID, conversationID: stored.id!,
                                     authorKind: AuthorKind.contact.rawValue, authorID: inbound.contactID, body: inbound.text, isPrivate: false)
            message.channelMessageID = inbound.channelMessageID
            message.metadata = metadata
            try await message.create(on: db)
            for event in events { try await event.create(on: db) }
            return Delivered(message: MessageView(message), conversation: ConversationView(stored),
                             conversationCreated: created, conversationChanged: changed, redactedSecrets: secrets)
        }
    }

    func reply(_ reply: Reply) async throws -> Delivered {
        try await persistence.db.transaction { db in
            guard let conversation = try await ConversationRow.find(reply.conversationID, on: db),
                  conversation.workspaceID == reply.workspaceID else { throw Problem.notFound("Conversation") }
            if conversation.status == ConversationStatus.closed.rawValue && !reply.isPrivate {
                throw Problem.conflict("This conversation is closed; the customer can no longer be answered in it. Private notes are still possible.")
            }
            let now = Date()
            var changed = false
            let message = MessageRow(id: TimeOrderedID.make(now: now), workspaceID: reply.workspaceID, conversationID: reply.conversationID,
                                     authorKind: reply.authorKind.rawValue, authorID: reply.authorID, body: reply.text, isPrivate: reply.isPrivate)
            try await message.create(on: db)
            if !reply.isPrivate {
                conversation.lastActivityMillis = now.millisSince1970
                if reply.authorKind == .agent && conversation.firstResponseAt == nil {
                    conversation.firstResponseAt = now
                    changed = true
                    let waited = elapsedSeconds(fromMillis: conversation.createdMillis, toMillis: now.millisSince1970)
                    try await ConversationEventRow(workspaceID: reply.workspaceID, conversationID: reply.conversationID,
                                                   kind: ConversationEventKind.firstResponse.rawValue, actorKind: AuthorKind.agent.rawValue,
                                                   actorID: reply.authorID, durationSeconds: waited).create(on: db)
                }
                try await conversation.update(on: db)
            }
            return Delivered(message: MessageView(message), conversation: ConversationView(conversation),
                             conversationCreated: false, conversationChanged: changed)
        }
    }

    private func existingConversation(for inbound: Inbound, candidate: UUID?, on db: any Database) async throws -> ConversationRow? {
        if let candidate, let row = try await ConversationRow.find(candidate, on: db),
           row.contactID == inbound.contactID, row.inboxID == inbound.inboxID,
           row.status != ConversationStatus.closed.rawValue {
            return row
        }
        return try await ConversationRow.query(on: db)
            .filter(\.$contactID == inbound.contactID)
            .filter(\.$inboxID == inbound.inboxID)
            .filter(\.$status != ConversationStatus.closed.rawValue)
            .sort(\.$id, .descending)
            .first()
    }

    /// Numbers are per workspace and never reused; the counter row is updated in the same
    /// transaction, which both databases serialise.
    private func nextConversationNumber(workspaceID: UUID, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("""
            UPDATE workspaces SET conversation_counter = conversation_counter + 1
            WHERE id = \(bind: workspaceID) RETURNING conversation_counter
            """).first() else { throw Problem.notFound("Workspace") }
        return try row.decode(column: "conversation_counter", as: Int.self)
    }
}

/// 5. act: what the desk does about the message. Today: routing of new conversations.
struct ActStep: Sendable {
    let persistence: Persistence
    let answerBot: AnswerBot
    // The answer bot (issue 4), security warnings (issue 5), SLA and incident matching join here.

    func afterCustomerMessage(_ delivered: Delivered) async throws -> Delivered {
        var delivered = delivered
        if !delivered.redactedSecrets.isEmpty { delivered = try await recordExposedSecret(delivered) }
        let bot = await answerBot.consider(delivered)
        delivered = bot.delivered
        let needsAgent = (delivered.conversationCreated && !bot.holdsConversation) || bot.handedOver
        guard needsAgent, delivered.conversation.assigneeId == nil else { return delivered }
        return try await RoundRobinRouter(persistence: persistence).route(delivered)
    }

    /// A customer who pasted a phrase or key may lose everything: the conversation becomes
    /// urgent and the timeline says what kind of secret was hidden (never the secret).
    private func recordExposedSecret(_ delivered: Delivered) async throws -> Delivered {
        let conversation = delivered.conversation
        let kinds = delivered.redactedSecrets.joined(separator: ",")
        let updated = try await persistence.db.transaction { db -> ConversationView in
            guard let row = try await ConversationRow.find(conversation.id, on: db) else { return conversation }
            try await ConversationEventRow(workspaceID: row.workspaceID, conversationID: conversation.id, kind: ConversationEventKind.secretRedacted.rawValue,
                                           actorKind: AuthorKind.system.rawValue, actorID: nil, data: StoredJSON.encode(["kinds": kinds])).create(on: db)
            if row.priority != Priority.urgent.rawValue {
                try await ConversationEventRow(workspaceID: row.workspaceID, conversationID: conversation.id, kind: ConversationEventKind.priorityChanged.rawValue,
                                               actorKind: AuthorKind.system.rawValue, actorID: nil,
                                               data: StoredJSON.encode(["from": row.priority, "to": Priority.urgent.rawValue, "reason": "secret_exposed"])).create(on: db)
                row.priority = Priority.urgent.rawValue
                try await row.update(on: db)
            }
            return ConversationView(row)
        }
        return delivered.with(conversation: updated)
    }

    /// The message the customer gets at once after exposing a secret, in their language.
    func securityWarning(for delivered: Delivered) async throws -> Reply? {
        guard !delivered.redactedSecrets.isEmpty else { return nil }
        let chinese = try await warnsInChinese(delivered)
        return Reply(workspaceID: delivered.conversation.workspaceId, conversationID: delivered.conversation.id, authorKind: .system,
                     authorID: nil, text: SecurityWarning.text(chinese: chinese, kinds: delivered.redactedSecrets), isPrivate: false)
    }
}

extension ActStep {
    /// Warnings follow the language the customer chose in the widget, else the one they write in.
    func warnsInChinese(_ delivered: Delivered) async throws -> Bool {
        let locale = try await ContactRow.find(delivered.conversation.contactId, on: persistence.db)?.locale
        return CustomerLanguage.isChinese(locale, delivered.conversation.language)
    }
}

/// Which of the desk's two languages to write to a customer in.
enum CustomerLanguage {
    /// Chinese when the first language known of the customer, in the order given, is Chinese
    /// in any script or region ("zh-CN", "zh-Hans", "zh-Hant").
    static func isChinese(_ preferences: String?...) -> Bool {
        (preferences.lazy.compactMap { $0 }.first ?? "").lowercased().hasPrefix("zh")
    }
}

enum SecurityWarning {
    static func text(chinese: Bool, kinds: [String]) -> String {
        let phrase = kinds.contains("mnemonic")
        if chinese {
            let what = phrase ? "助记词" : "私钥"
            return "⚠️ 我们已隐藏您发送的\(what)，客服看不到它。但它已经离开了您的设备，请视为已泄露：任何得到它的人都能转走您的资产。"
                + "请立即创建一个新钱包（新的助记词），并把全部资产转入新钱包。我们的客服永远不会索要您的助记词、私钥或密码。"
        }
        let what = phrase ? "recovery phrase" : "private key"
        return "⚠️ We hid the \(what) you sent, so our team cannot see it. It has still left your device, so treat it as exposed: "
            + "anyone who has it can take your funds. Create a new wallet (with a new recovery phrase) now and move all your assets to it. "
            + "Our support team will never ask for your recovery phrase, private key or password."
    }
}

/// Assigns a new conversation to the online inbox agent who has waited longest.
/// Among them, agents who speak the conversation's language come first: a Chinese-speaking
/// customer goes to a Chinese-speaking agent whenever one is online. A conversation whose
/// category names a team goes to that team, and to its online members first.
struct RoundRobinRouter: Sendable {
    let persistence: Persistence

    /// The primary language of a locale or detected language: "zh-Hans", "zh-CN" → "zh".
    static func primaryLanguage(_ tag: String?) -> String? {
        guard let tag, let first = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first, !first.isEmpty else { return nil }
        return String(first)
    }

    func route(_ delivered: Delivered) async throws -> Delivered {
        let conversation = delivered.conversation
        return try await persistence.db.transaction { db in
            guard let row = try await ConversationRow.find(conversation.id, on: db), row.workspaceID == conversation.workspaceId,
                  row.assigneeID == nil else { return delivered }
            var events: [ConversationEventRow] = []
            func event(_ kind: ConversationEventKind, _ data: [String: String]) {
                events.append(ConversationEventRow(workspaceID: row.workspaceID, conversationID: row.id!, kind: kind.rawValue,
                                                   actorKind: AuthorKind.system.rawValue, actorID: nil, data: StoredJSON.encode(data)))
            }
            // A team named after the conversation's category takes it: "Deposits" gets deposits.
            if row.teamID == nil, let category = row.category?.lowercased(),
               let team = try await TeamRow.query(on: db).filter(\.$workspaceID == row.workspaceID).all().first(where: { $0.name.lowercased() == category }) {
                row.teamID = team.id
                event(.teamAssigned, ["teamId": team.id!.uuidString, "reason": "category"])
            }

            let members = try await InboxMemberRow.query(on: db).filter(\.$inboxID == conversation.inboxId).all().map(\.agentID)
            var query = AgentRow.query(on: db).filter(\.$workspaceID == conversation.workspaceId)
            if !members.isEmpty { query = query.filter(\.$id ~~ members) }
            var online = try await query.filter(\.$availability == Availability.online.rawValue).all()
            if let teamID = row.teamID {
                let team = Set(try await TeamMemberRow.query(on: db).filter(\.$teamID == teamID).all().map(\.agentID))
                let inTeam = online.filter { team.contains($0.id!) }
                if !inTeam.isEmpty { online = inTeam }
            }
            let language = Self.primaryLanguage(row.language)
            let speakers = online.filter { language != nil && Self.primaryLanguage($0.locale) == language }
            let agents = speakers.isEmpty ? online : speakers
            let candidates = agents.map { RoundRobin.Candidate(agentID: $0.id!.uuidString, availability: .online, lastAssignedAt: $0.lastAssignedMillis) }
            if let picked = RoundRobin().pick(from: candidates), let agent = agents.first(where: { $0.id!.uuidString == picked }) {
                row.assigneeID = agent.id
                agent.lastAssignedMillis = Date().millisSince1970
                try await agent.update(on: db)
                event(.assigned, ["assigneeId": agent.id!.uuidString, "reason": speakers.isEmpty ? "round_robin" : "round_robin_language"])
            }
            guard !events.isEmpty else { return delivered }
            try await row.update(on: db)
            for event in events { try await event.create(on: db) }
            return delivered.with(conversation: ConversationView(row))
        }
    }
}

/// 6. publish: realtime events to sockets, and webhooks through the job queue.
struct PublishStep: Sendable {
    let hub: any RealtimeHub
    let webhooks: WebhookDispatcher
    let metrics: KefuMetrics
    let logger: Logger

    func delivered(_ delivered: Delivered) async {
        let conversation = delivered.conversation
        var events: [RealtimeEvent] = []
        if delivered.conversationCreated {
            events.append(RealtimeEvent(type: "conversation.created", workspaceID: conversation.workspaceId, conversationID: conversation.id,
                                        contactID: conversation.contactId, visibleToContact: false, payload: conversation))
        } else if delivered.conversationChanged {
            events.append(conversationUpdated(conversation))
        }
        events.append(RealtimeEvent(type: "message.created", workspaceID: conversation.workspaceId, conversationID: conversation.id,
                                    contactID: conversation.contactId, visibleToContact: !delivered.message.private, payload: delivered.message))
        for event in events { await self.event(event) }
        metrics.messageStored(author: delivered.message.authorKind)
    }

    func conversationUpdated(_ conversation: ConversationView) -> RealtimeEvent {
        RealtimeEvent(type: "conversation.updated", workspaceID: conversation.workspaceId, conversationID: conversation.id,
                      contactID: conversation.contactId, visibleToContact: false, payload: conversation)
    }

    func event(_ event: RealtimeEvent) async {
        await hub.publish(event)
        do {
            try await webhooks.dispatch(event)
        } catch {
            // The message is stored and on sockets already; a webhook enqueue failure is logged, not fatal.
            logger.error("could not enqueue webhooks", metadata: ["event.type": "\(event.type)", "error.type": "\(type(of: error))"])
        }
    }
}
