import FluentKit
import Foundation
import KefuCore
import KefuText
import Logging
import SQLKit

/// The answer bot: on a new widget conversation it searches the knowledge base and answers
/// only when its calibrated confidence clears the workspace's threshold; it asks whether
/// that solved the problem and hands over to a person on "no", on request, or whenever it
/// is not sure. It only reads: what it decides is data the pipeline commits with the
/// customer's message, and every decision becomes a conversation event, so deflection is a
/// report, not a guess.
struct AnswerBot: Sendable {
    let persistence: Persistence
    let retrieval: BotRetrieval
    let settings: BotSettingsCache
    /// Writes a short grounded answer when a chat provider is configured; nil, or any
    /// failure or refusal, means the article extract is sent as it is.
    let writer: GroundedAnswerWriter?
    let publicBaseURL: String
    let logger: Logger
    /// Explains a term in plain words when the customer asks what it means.
    var glossary: GlossaryCache? = nil

    /// A conversation gets at most this many bot answers before a person takes over.
    static let maxAnswers = 2

    enum HandoffReason: String, Sendable, CaseIterable {
        case requested, declined
        case notConfident = "not_confident"
        case secretExposed = "secret_exposed"
        case answerLimit = "answer_limit"
        /// A theft, hacked account, scam, exposed secret or look-alike link: a person at once.
        case securityReport = "security_report"
        /// The customer complains: a person listens.
        case complaint
        /// The bot could not make up its mind (its settings or search failed).
        case unavailable
    }

    enum SessionState: String, Sendable {
        case awaitingFeedback = "awaiting_feedback"
        case handedOff = "handed_off"
        case resolved
    }

    /// What the bot sees of a customer message.
    struct Input: Sendable {
        /// The conversation as the message leaves it so far (status already reopened).
        let conversation: ConversationRecord
        /// As it was before the message; nil when the message opens it.
        let before: ConversationRecord?
        let text: String
        let chinese: Bool
    }

    /// What the bot does about a customer message.
    enum Decision: Sendable, Equatable {
        case stayOut
        case answer(articleID: UUID, locale: String, confidence: Double, generated: Bool, text: String, answers: Int)
        case resolve(articleID: UUID?, text: String)
        case handOver(HandoffReason, notice: String?)
    }

    /// Never fails the message: a bot that cannot decide hands over and says so.
    func decide(_ input: Input) async -> Decision {
        do {
            return try await decision(input)
        } catch {
            logger.warning("answer bot stepped aside", metadata: ["error.type": "\(type(of: error))"])
            return .handOver(.unavailable, notice: BotWording.handOver(chinese: input.chinese))
        }
    }

    private func decision(_ input: Input) async throws -> Decision {
        let conversation = input.conversation
        guard conversation.assigneeID == nil else { return .stayOut }
        guard let before = input.before else {
            guard try await isWidgetInbox(conversation.inboxID, workspaceID: conversation.workspaceID),
                  try await settings.current(conversation.workspaceID).enabled else { return .stayOut }
            // A bot that could never answer (too few sample questions to calibrate on) stays
            // out of the way entirely rather than greet every customer with a hand-over.
            let models = try await settings.models(conversation.workspaceID)
            guard models.canAnswer else { return .stayOut }
            return try await question(input, answersSoFar: 0, models: models)
        }
        // The bot's own answer left the conversation pending; this is the customer's reply to it.
        guard before.status == .pending, conversation.status == .open,
              let session = try await BotSessionRow.query(on: persistence.reader)
                  .filter(\.$conversationID == conversation.id).filter(\.$workspaceID == conversation.workspaceID).first(),
              session.state == SessionState.awaitingFeedback.rawValue else { return .stayOut }
        switch CustomerReplyIntent.classify(input.text) {
        case .solved: return .resolve(articleID: session.articleID, text: BotWording.resolved(chinese: input.chinese))
        case .notSolved: return .handOver(.declined, notice: BotWording.handOver(chinese: input.chinese))
        case .wantsHuman: return .handOver(.requested, notice: BotWording.handOver(chinese: input.chinese))
        case .other: return try await question(input, answersSoFar: session.answers, models: try await settings.models(conversation.workspaceID))
        }
    }

    /// A question: answer it if the knowledge base clearly holds the answer, else hand over.
    private func question(_ input: Input, answersSoFar: Int, models: BotModels) async throws -> Decision {
        let notice = BotWording.handOver(chinese: input.chinese)
        if CustomerReplyIntent.classify(input.text) == .wantsHuman { return .handOver(.requested, notice: notice) }
        if answersSoFar >= Self.maxAnswers { return .handOver(.answerLimit, notice: notice) }
        let judgement = try await retrieval.judge(workspaceID: input.conversation.workspaceID, question: input.text,
                                                  locale: BotWording.articleLocale(chinese: input.chinese, language: input.conversation.language),
                                                  models: models)
        guard judgement.answers, let best = judgement.best else { return .handOver(.notConfident, notice: notice) }
        let link = BotWording.link(best, baseURL: publicBaseURL)
        let generated = await writer?.write(question: input.text, article: best, link: link, chinese: input.chinese)
        // An aid: without a glossary (or when it cannot be read) the answer goes as it is.
        let plain = try? await glossary?.explanation(question: input.text, extract: generated ?? best.extract,
                                                     workspaceID: input.conversation.workspaceID, chinese: input.chinese)
        let text = generated.map { BotWording.generatedAnswer($0, best, link: link, chinese: input.chinese, plain: plain ?? nil) }
            ?? BotWording.answer(best, link: link, chinese: input.chinese, plain: plain ?? nil)
        return .answer(articleID: best.articleID, locale: best.locale, confidence: judgement.probability, generated: generated != nil,
                       text: text, answers: answersSoFar + 1)
    }

    private func isWidgetInbox(_ inboxID: UUID, workspaceID: UUID) async throws -> Bool {
        guard let inbox = try await InboxRow.find(inboxID, on: persistence.reader), inbox.workspaceID == workspaceID else { return false }
        return inbox.kind == InboxKind.widget.rawValue
    }
}

/// The bot's state in one conversation, as a decision leaves it; saved in the same
/// transaction as the customer's message.
struct BotSessionChange: Sendable, Equatable {
    let state: AnswerBot.SessionState
    var articleID: UUID? = nil
    var answers: Int? = nil

    /// Saves the sessions of several conversations in at most two statements: those whose
    /// answer count changed, and those whose count stays as stored (a new session starts at 0).
    static func saveAll(_ sessions: [(change: BotSessionChange, conversation: ConversationRecord)], now: Date, on db: any Database) async throws {
        guard !sessions.isEmpty else { return }
        // One change per conversation: a statement may not touch a row twice.
        var latest: [UUID: (change: BotSessionChange, conversation: ConversationRecord)] = [:]
        var order: [UUID] = []
        for session in sessions {
            if let earlier = latest[session.conversation.id] {
                var merged = session.change
                merged.articleID = merged.articleID ?? earlier.change.articleID
                merged.answers = merged.answers ?? earlier.change.answers
                latest[session.conversation.id] = (merged, session.conversation)
            } else {
                order.append(session.conversation.id)
                latest[session.conversation.id] = session
            }
        }
        let unique = order.map { latest[$0]! }
        let sql = db as! any SQLDatabase
        for countsChange in [true, false] {
            let group = unique.filter { ($0.change.answers != nil) == countsChange }
            guard !group.isEmpty else { continue }
            var rows: [SQLQueryString] = []
            for (change, conversation) in group {
                rows.append("(\(bind: TimeOrderedID.make(now: now)), \(bind: conversation.workspaceID), \(bind: conversation.id), \(bind: change.state.rawValue), \(bind: change.articleID), \(bind: change.answers ?? 0), \(bind: now.millisSince1970))")
            }
            let answers: SQLQueryString = countsChange ? ", answers = excluded.answers" : ""
            try await sql.raw("""
                INSERT INTO bot_sessions (id, workspace_id, conversation_id, state, article_id, answers, updated_ms)
                VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state,
                    article_id = COALESCE(excluded.article_id, bot_sessions.article_id)\(answers), updated_ms = excluded.updated_ms
                """).run()
        }
    }
}

extension AnswerBot.Decision {
    /// What the decision does to the conversation being written: its events, its status,
    /// the bot's message and the bot's state. Returns whether a person should now take it.
    func apply(to write: inout ConversationWrite, session: inout BotSessionChange?, now: Date) -> (holds: Bool, handedOver: Bool) {
        let conversation = write.after
        func event(_ kind: ConversationEventKind, _ data: [String: String] = [:], duration: Int64? = nil) {
            write.events.append(EventRecord(kind, in: conversation, by: .bot, data: data, duration: duration, at: now))
        }
        func say(_ text: String) {
            write.messages.append(MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: conversation.workspaceID, conversationID: conversation.id,
                                                authorKind: .bot, authorID: nil, body: text, isPrivate: false, createdAt: now))
        }
        switch self {
        case .stayOut:
            return (false, false)
        case .answer(let articleID, let locale, let confidence, let generated, let text, let answers):
            session = BotSessionChange(state: .awaitingFeedback, articleID: articleID, answers: answers)
            event(.botAnswered, ["articleId": articleID.uuidString, "confidence": String(format: "%.3f", confidence),
                                 "locale": locale, "generated": generated ? "true" : "false"])
            // Waiting on the customer's "did this solve it?": agents' open views stay clear.
            if write.after.status == .open {
                event(.statusChanged, ["from": ConversationStatus.open.rawValue, "to": ConversationStatus.pending.rawValue])
                write.after.status = .pending
            }
            say(text)
            return (true, false)
        case .resolve(let articleID, let text):
            session = BotSessionChange(state: .resolved, articleID: articleID)
            event(.botResolved, articleID.map { ["articleId": $0.uuidString] } ?? [:])
            let current = write.after.status
            if current != .resolved, current.canTransition(to: .resolved) {
                event(.statusChanged, ["from": current.rawValue, "to": ConversationStatus.resolved.rawValue])
                event(.resolved, duration: elapsedSeconds(fromMillis: conversation.createdMillis, toMillis: now.millisSince1970))
                write.after.status = .resolved
                write.after.resolvedAt = now
            }
            say(text)
            return (true, false)
        case .handOver(let reason, let notice):
            session = BotSessionChange(state: .handedOff)
            event(.botHandoff, ["reason": reason.rawValue])
            if let notice { say(notice) }
            return (false, true)
        }
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
        return LocaleTag.isChinese(language) ? "zh-Hans" : language
    }

    /// The articles to search for a customer answered in Chinese, or in their own language.
    /// The language the question is written in comes first; without one, the language
    /// the customer is answered in.
    static func articleLocale(chinese: Bool, language: String?) -> String? {
        articleLocale(for: language) ?? (chinese ? "zh-Hans" : nil)
    }

    static func link(_ hit: ArticleHit, baseURL: String) -> String {
        hit.url.hasPrefix("/") ? baseURL + hit.url : hit.url
    }

    static func generatedAnswer(_ text: String, _ hit: ArticleHit, link: String, chinese: Bool, plain: String? = nil) -> String {
        let text = plain.map { text + "\n" + $0 } ?? text
        if chinese {
            return "\(text)\n\n[1]《\(hit.title)》：\(link)\n\n问题解决了吗？请回复「是」或「否」；如需人工客服，请输入「人工」。"
        }
        return "\(text)\n\n[1] \(hit.title): \(link)\n\nDid this solve your problem? Reply \"yes\" or \"no\". To talk to a person, type \"agent\"."
    }

    static func answer(_ hit: ArticleHit, link: String, chinese: Bool, plain: String? = nil) -> String {
        let extract = plain.map { hit.extract + "\n" + $0 } ?? hit.extract
        if chinese {
            return "帮助中心的这篇文章或许能解决您的问题：\n\n《\(hit.title)》\n\(extract)\n\n全文：\(link)\n\n"
                + "问题解决了吗？请回复「是」或「否」；如需人工客服，请输入「人工」。"
        }
        return "This article from our help center may answer your question:\n\n\(hit.title)\n\(extract)\n\nRead it all: \(link)\n\n"
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
