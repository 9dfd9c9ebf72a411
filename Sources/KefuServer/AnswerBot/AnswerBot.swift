import FluentKit
import Foundation
import KefuCore
import KefuText
import Logging

/// The answer bot: on a new widget conversation it searches the knowledge base and answers
/// only when its calibrated confidence clears the workspace's threshold; it asks whether
/// that solved the problem and hands over to a person on "no", on request, or whenever it
/// is not sure. Every decision is a conversation event, so deflection is a report, not a guess.
struct AnswerBot: Sendable {
    let persistence: Persistence
    let retrieval: BotRetrieval
    let settings: BotSettingsCache
    /// Writes a short grounded answer when a chat provider is configured; nil, or any
    /// failure or refusal, means the article extract is sent as it is.
    let writer: GroundedAnswerWriter?
    let publicBaseURL: String
    let logger: Logger

    /// A conversation gets at most this many bot answers before a person takes over.
    static let maxAnswers = 2

    struct Outcome: Sendable {
        var delivered: Delivered
        /// The bot answered and waits for the customer: do not route to an agent yet.
        var holdsConversation = false
        /// The bot gave the conversation to the team: route it now.
        var handedOver = false
    }

    enum HandoffReason: String, Sendable {
        case requested, declined
        case notConfident = "not_confident"
        case secretExposed = "secret_exposed"
        case answerLimit = "answer_limit"
    }

    enum SessionState: String, Sendable {
        case awaitingFeedback = "awaiting_feedback"
        case handedOff = "handed_off"
        case resolved
    }

    /// Never fails the message: a bot error gives the conversation to the team.
    func consider(_ delivered: Delivered) async -> Outcome {
        do {
            return try await decide(delivered)
        } catch {
            logger.warning("answer bot stepped aside", metadata: ["error.type": "\(type(of: error))"])
            return Outcome(delivered: delivered, handedOver: true)
        }
    }

    private func decide(_ delivered: Delivered) async throws -> Outcome {
        let conversation = delivered.conversation
        guard conversation.assigneeId == nil, delivered.message.authorKind == AuthorKind.contact.rawValue else {
            return Outcome(delivered: delivered)
        }
        if delivered.conversationCreated {
            guard try await isWidgetInbox(conversation.inboxId, workspaceID: conversation.workspaceId),
                  try await settings.current(conversation.workspaceId).enabled else { return Outcome(delivered: delivered) }
            // A bot that could never answer (too few sample questions to calibrate on) stays
            // out of the way entirely rather than greet every customer with a hand-over.
            let models = try await settings.models(conversation.workspaceId)
            guard models.canAnswer else { return Outcome(delivered: delivered) }
            return try await question(delivered, answersSoFar: 0, models: models)
        }
        // The bot's own answer left the conversation pending; the customer's reply reopened it.
        guard delivered.conversationChanged, conversation.status == ConversationStatus.open.rawValue,
              let session = try await BotSessionRow.query(on: persistence.db)
                  .filter(\.$conversationID == conversation.id).filter(\.$workspaceID == conversation.workspaceId).first(),
              session.state == SessionState.awaitingFeedback.rawValue else { return Outcome(delivered: delivered) }
        if !delivered.redactedSecrets.isEmpty { return try await handOver(delivered, reason: .secretExposed) }
        switch CustomerReplyIntent.classify(delivered.message.text) {
        case .solved: return try await resolve(delivered, articleID: session.articleID)
        case .notSolved: return try await handOver(delivered, reason: .declined)
        case .wantsHuman: return try await handOver(delivered, reason: .requested)
        case .other: return try await question(delivered, answersSoFar: session.answers, models: try await settings.models(conversation.workspaceId))
        }
    }

    /// A question: answer it if the knowledge base clearly holds the answer, else hand over.
    private func question(_ delivered: Delivered, answersSoFar: Int, models: BotModels) async throws -> Outcome {
        let conversation = delivered.conversation
        let text = delivered.message.text
        if !delivered.redactedSecrets.isEmpty { return try await handOver(delivered, reason: .secretExposed) }
        if CustomerReplyIntent.classify(text) == .wantsHuman { return try await handOver(delivered, reason: .requested) }
        if answersSoFar >= Self.maxAnswers { return try await handOver(delivered, reason: .answerLimit) }
        let judgement = try await retrieval.judge(workspaceID: conversation.workspaceId, question: text,
                                                  locale: BotWording.articleLocale(for: conversation.language), models: models)
        guard judgement.answers, let best = judgement.best else { return try await handOver(delivered, reason: .notConfident) }
        return try await answer(delivered, with: best, probability: judgement.probability, answersSoFar: answersSoFar)
    }

    private func answer(_ delivered: Delivered, with hit: ArticleHit, probability: Double, answersSoFar: Int) async throws -> Outcome {
        let conversation = delivered.conversation
        let chinese = isChinese(conversation)
        let link = BotWording.link(hit, baseURL: publicBaseURL)
        let generated = await writer?.write(question: delivered.message.text, article: hit, link: link, chinese: chinese)
        let updated = try await persistence.db.transaction { db -> ConversationView in
            guard let row = try await ConversationRow.find(conversation.id, on: db) else { throw Problem.notFound("Conversation") }
            try await recordSession(conversation, state: .awaitingFeedback, articleID: hit.articleID, answers: answersSoFar + 1, on: db)
            try await event(.botAnswered, conversation, ["articleId": hit.articleID.uuidString, "confidence": String(format: "%.3f", probability),
                                                        "locale": hit.locale, "generated": generated == nil ? "false" : "true"], on: db)
            // Waiting on the customer's "did this solve it?": agents' open views stay clear.
            if row.status == ConversationStatus.open.rawValue {
                try await event(.statusChanged, conversation, ["from": row.status, "to": ConversationStatus.pending.rawValue], on: db)
                row.status = ConversationStatus.pending.rawValue
                try await row.update(on: db)
            }
            return ConversationView(row)
        }
        var result = delivered.with(conversation: updated)
        let text = generated.map { BotWording.generatedAnswer($0, hit, link: link, chinese: chinese) } ?? BotWording.answer(hit, link: link, chinese: chinese)
        result.followUps.append(botReply(conversation, text))
        return Outcome(delivered: result, holdsConversation: true)
    }

    private func resolve(_ delivered: Delivered, articleID: UUID?) async throws -> Outcome {
        let conversation = delivered.conversation
        let updated = try await persistence.db.transaction { db -> ConversationView in
            guard let row = try await ConversationRow.find(conversation.id, on: db) else { throw Problem.notFound("Conversation") }
            let now = Date()
            try await recordSession(conversation, state: .resolved, articleID: articleID, answers: nil, on: db)
            try await event(.botResolved, conversation, articleID.map { ["articleId": $0.uuidString] } ?? [:], on: db)
            if let current = ConversationStatus(rawValue: row.status), current != .resolved, current.canTransition(to: .resolved) {
                try await event(.statusChanged, conversation, ["from": current.rawValue, "to": ConversationStatus.resolved.rawValue], on: db)
                try await event(.resolved, conversation, [:], duration: elapsedSeconds(fromMillis: row.createdMillis, toMillis: now.millisSince1970), on: db)
                row.status = ConversationStatus.resolved.rawValue
                row.resolvedAt = now
                try await row.update(on: db)
            }
            return ConversationView(row)
        }
        var result = delivered.with(conversation: updated)
        result.followUps.append(botReply(conversation, BotWording.resolved(chinese: isChinese(conversation))))
        return Outcome(delivered: result, holdsConversation: true)
    }

    private func handOver(_ delivered: Delivered, reason: HandoffReason) async throws -> Outcome {
        let conversation = delivered.conversation
        try await persistence.db.transaction { db in
            try await recordSession(conversation, state: .handedOff, articleID: nil, answers: nil, on: db)
            try await event(.botHandoff, conversation, ["reason": reason.rawValue], on: db)
        }
        var result = delivered
        // Someone who just pasted a secret already gets the security warning; one message is enough.
        if reason != .secretExposed {
            result.followUps.append(botReply(conversation, BotWording.handOver(chinese: isChinese(conversation))))
        }
        return Outcome(delivered: result, handedOver: true)
    }

    // MARK: - Small parts

    private func isWidgetInbox(_ inboxID: UUID, workspaceID: UUID) async throws -> Bool {
        guard let inbox = try await InboxRow.find(inboxID, on: persistence.db), inbox.workspaceID == workspaceID else { return false }
        return inbox.kind == InboxKind.widget.rawValue
    }

    private func isChinese(_ conversation: ConversationView) -> Bool {
        CustomerLanguage.isChinese(conversation.language)
    }

    private func botReply(_ conversation: ConversationView, _ text: String) -> Reply {
        Reply(workspaceID: conversation.workspaceId, conversationID: conversation.id, authorKind: .bot, authorID: nil, text: text, isPrivate: false)
    }

    private func event(_ kind: ConversationEventKind, _ conversation: ConversationView, _ data: [String: String],
                       duration: Int64? = nil, on db: any Database) async throws {
        try await ConversationEventRow(workspaceID: conversation.workspaceId, conversationID: conversation.id, kind: kind.rawValue,
                                       actorKind: AuthorKind.bot.rawValue, actorID: nil, data: StoredJSON.encode(data),
                                       durationSeconds: duration).create(on: db)
    }

    private func recordSession(_ conversation: ConversationView, state: SessionState, articleID: UUID?, answers: Int?, on db: any Database) async throws {
        let existing = try await BotSessionRow.query(on: db).filter(\.$conversationID == conversation.id).first()
        let row = existing ?? BotSessionRow()
        if existing == nil {
            row.id = TimeOrderedID.make()
            row.workspaceID = conversation.workspaceId
            row.conversationID = conversation.id
            row.answers = 0
        }
        row.state = state.rawValue
        if let articleID { row.articleID = articleID }
        if let answers { row.answers = answers }
        row.updatedMillis = Date().millisSince1970
        try await row.save(on: db)
    }
}

/// The two numbers the confidence model reads off a result list: the best article's score
/// and the next different article's. Calibration and answering must read them the same way.
enum BotEvidence {
    static func from(_ hits: [ArticleHit]) -> RetrievalEvidence {
        guard let best = hits.first else { return RetrievalEvidence(topScore: 0, secondScore: 0) }
        let runnerUp = hits.dropFirst().first { $0.articleID != best.articleID }
        return RetrievalEvidence(topScore: best.score, secondScore: runnerUp?.score ?? 0)
    }
}

/// What the bot says, in the customer's language.
enum BotWording {
    /// Knowledge-base locale for a conversation language: Chinese in any script reads the
    /// Simplified articles; others search their own language first.
    static func articleLocale(for language: String?) -> String? {
        guard let language else { return nil }
        return CustomerLanguage.isChinese(language) ? "zh-Hans" : language
    }

    static func link(_ hit: ArticleHit, baseURL: String) -> String {
        hit.url.hasPrefix("/") ? baseURL + hit.url : hit.url
    }

    static func generatedAnswer(_ text: String, _ hit: ArticleHit, link: String, chinese: Bool) -> String {
        if chinese {
            return "\(text)\n\n[1]《\(hit.title)》：\(link)\n\n问题解决了吗？请回复「是」或「否」；如需人工客服，请输入「人工」。"
        }
        return "\(text)\n\n[1] \(hit.title): \(link)\n\nDid this solve your problem? Reply \"yes\" or \"no\". To talk to a person, type \"agent\"."
    }

    static func answer(_ hit: ArticleHit, link: String, chinese: Bool) -> String {
        if chinese {
            return "帮助中心的这篇文章或许能解决您的问题：\n\n《\(hit.title)》\n\(hit.extract)\n\n全文：\(link)\n\n"
                + "问题解决了吗？请回复「是」或「否」；如需人工客服，请输入「人工」。"
        }
        return "This article from our help center may answer your question:\n\n\(hit.title)\n\(hit.extract)\n\nRead it all: \(link)\n\n"
            + "Did this solve your problem? Reply \"yes\" or \"no\". To talk to a person, type \"agent\"."
    }

    static func handOver(chinese: Bool) -> String {
        chinese
            ? "收到，已为您转接人工客服，客服会尽快在这里回复您。提醒：我们的客服永远不会索要您的助记词、私钥或密码。"
            : "Thanks, we have passed your conversation to our support team; an agent will reply here shortly. "
                + "Remember: our team will never ask for your recovery phrase, private key or password."
    }

    static func resolved(chinese: Bool) -> String {
        chinese
            ? "太好了，很高兴问题已解决！如还有其他问题，随时在这里留言。"
            : "Great, glad that solved it! If you need anything else, just write here."
    }
}
