import AsyncHTTPClient
import Foundation
import KefuShield
import Logging

/// Chat completions from `/v1/chat/completions`.
struct ChatClient: Sendable {
    let transport: ProviderTransport

    private struct Request: Encodable {
        struct Message: Encodable { let role: String; let content: String }
        let model: String
        let messages: [Message]
        let temperature: Double
        let max_tokens: Int
    }

    private struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { let content: String? }
            let message: Message
        }
        let choices: [Choice]
    }

    func complete(system: String, user: String) async throws -> String {
        let response = try await transport.post("/v1/chat/completions",
                                                Request(model: transport.endpoint.model, messages: [.init(role: "system", content: system), .init(role: "user", content: user)],
                                                        temperature: 0.2, max_tokens: 400),
                                                as: Response.self)
        guard let content = response.choices.first?.message.content?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty else {
            throw ProviderError(kind: .unreadable, detail: "no answer in the completion")
        }
        return content
    }
}

/// What a generated answer must never do. A model can be talked into anything, so its
/// output is checked like an agent's reply, and more strictly: any violation means the
/// customer gets the extractive answer instead.
enum AnswerGuardrails {
    enum Violation: String, Sendable, Equatable {
        case asksForSecret = "asks_for_secret"
        case containsSecret = "contains_secret"
        case promisesMoney = "promises_money"
        case foreignLink = "foreign_link"
        case tooLong = "too_long"
        case noCitation = "no_citation"
    }

    static let maxCharacters = 1_200

    /// Words of a promise support cannot make: only a person may decide on money.
    private static let moneyPromises = [
        "refund", "reimburse", "compensat", "money back", "get your funds back", "recover your funds", "guarantee",
        "退款", "赔偿", "补偿", "退还", "返还", "保证", "追回",
    ]

    static func check(_ text: String, citing url: String) -> [Violation] {
        var violations: [Violation] = []
        if text.count > maxCharacters { violations.append(.tooLong) }
        for reason in AgentMessageGuard(officialDomains: []).review(text).reasons {
            switch reason.kind {
            case .asksForSecret: violations.append(.asksForSecret)
            case .containsSecret: violations.append(.containsSecret)
            case .lookalikeLink, .unofficialLink: break
            }
        }
        let lowered = text.lowercased()
        if moneyPromises.contains(where: lowered.contains) { violations.append(.promisesMoney) }
        let links = lowered.split { $0.isWhitespace || "()<>[]\"'".contains($0) }.filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") || $0.hasPrefix("www.") }
        let own = url.lowercased()
        if links.contains(where: { !$0.hasPrefix(own) }) { violations.append(.foreignLink) }
        if !text.contains("[1]") && !lowered.contains(own) { violations.append(.noCitation) }
        return Array(Set(violations)).sorted { $0.rawValue < $1.rawValue }
    }
}

/// Writes a short answer grounded in the article the bot found, with a citation, or says
/// why it could not; the bot then sends the extractive answer.
struct GroundedAnswerWriter: Sendable {
    let chat: ChatClient
    let logger: Logger

    static func systemPrompt(chinese: Bool) -> String {
        """
        You are the support assistant of a crypto wallet. Answer the customer's question using ONLY the help-center article given. \
        Cite it as [1]. Reply in \(chinese ? "Simplified Chinese" : "English"), in at most 120 words, in plain text without Markdown. \
        Never ask for, or tell the customer to share, a recovery phrase (seed phrase, mnemonic), private key, password or PIN. \
        Never promise refunds, compensation, recovery of funds or any outcome. Include no links. \
        If the article does not answer the question, reply exactly: NO_ANSWER
        """
    }

    func write(question: String, article: ArticleHit, link: String, chinese: Bool) async -> String? {
        let user = "Article [1]: \(article.title)\n\(article.extract)\n\nCustomer question: \(question)"
        let text: String
        do {
            text = try await chat.complete(system: Self.systemPrompt(chinese: chinese), user: user)
        } catch {
            logger.warning("chat provider failed; answering with the article extract", metadata: ["error.type": "\(type(of: error))"])
            return nil
        }
        guard !text.contains("NO_ANSWER") else { return nil }
        let violations = AnswerGuardrails.check(text, citing: link)
        guard violations.isEmpty else {
            logger.notice("generated answer refused by the guardrails", metadata: ["violations": "\(violations.map(\.rawValue).joined(separator: ","))"])
            return nil
        }
        return text
    }
}
