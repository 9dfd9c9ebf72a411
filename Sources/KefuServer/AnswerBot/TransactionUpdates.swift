import FluentKit
import Foundation
import KefuChain
import KefuCore

/// "Where is my transaction?" answered by the bot itself: when a lookup of a hash the
/// customer quoted reaches a new state, the customer hears it in their language — as long
/// as no agent has answered yet (after that, the agent relays what the desk shows them).
struct TransactionUpdates: Sendable {
    let persistence: Persistence
    let settings: BotSettingsCache
    /// Sends the bot's message through the reply path (stored, published, delivered).
    let send: @Sendable (Reply) async throws -> Void

    /// The states a customer can act on; "not found yet" and node trouble are for agents.
    static let told: Set<String> = [TransactionState.pending.rawValue, TransactionState.confirmed.rawValue, TransactionState.failed.rawValue]

    func stateChanged(_ lookup: ChainLookupRow, from previous: String, chainName: String) async throws {
        guard lookup.state != previous, Self.told.contains(lookup.state) else { return }
        guard let conversation = try await ConversationRow.query(on: persistence.db)
            .filter(\.$id == lookup.conversationID).filter(\.$workspaceID == lookup.workspaceID).first(),
              conversation.firstResponseAt == nil, conversation.status != ConversationStatus.closed.rawValue,
              let inbox = try await InboxRow.find(conversation.inboxID, on: persistence.reader), inbox.kind == InboxKind.widget.rawValue,
              try await settings.current(lookup.workspaceID).enabled else { return }
        let locale = try await ContactRow.find(conversation.contactID, on: persistence.reader)?.locale
        let chinese = CustomerLanguage.answersInChinese(locale: locale, writes: conversation.language)
        let text = Self.text(state: lookup.state, hash: lookup.hash, chain: chainName, confirmations: lookup.confirmations, chinese: chinese)
        try await send(Reply(workspaceID: lookup.workspaceID, conversationID: lookup.conversationID, authorKind: .bot, authorID: nil,
                             text: text, isPrivate: false))
    }

    static func shortHash(_ hash: String) -> String {
        hash.count > 16 ? "\(hash.prefix(8))…\(hash.suffix(6))" : hash
    }

    static func text(state: String, hash: String, chain: String, confirmations: Int, chinese: Bool) -> String {
        let short = shortHash(hash)
        switch (state, chinese) {
        case ("confirmed", false):
            return "Your transaction \(short) on \(chain) is confirmed: it has \(confirmations) confirmation\(confirmations == 1 ? "" : "s") on the network."
        case ("confirmed", true):
            return "您在 \(chain) 上的交易 \(short) 已确认，目前有 \(confirmations) 个区块确认。"
        case ("pending", false):
            return "Your transaction \(short) on \(chain) is still pending: the network has not confirmed it yet. We keep checking and will tell you here."
        case ("pending", true):
            return "您在 \(chain) 上的交易 \(short) 仍在等待网络确认，我们会持续查询，并在这里告诉您结果。"
        case ("failed", false):
            return "Your transaction \(short) on \(chain) failed on the network, so the funds did not move. An agent will help you with what to do next."
        default:
            return "您在 \(chain) 上的交易 \(short) 在链上执行失败，资金没有转出。客服会协助您处理后续步骤。"
        }
    }
}
