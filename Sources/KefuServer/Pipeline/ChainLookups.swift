import FluentKit
import Foundation
import KefuChain
import KefuShield
import Logging

/// One transaction lookup as agents, the console and the answer bot see it.
struct ChainLookupView: Codable, Sendable, Equatable {
    let id: UUID
    let conversationId: UUID
    let messageId: UUID?
    let chain: String
    let hash: String
    /// checking, pending, confirmed, failed, not_found or unknown.
    let state: String
    let confirmations: Int
    let blockNumber: Int64?
    /// Why the node gave no answer (state unknown); never the node's URL.
    let error: String?
    let checkedAt: Date?
    let createdAt: Date?

    init(_ row: ChainLookupRow) {
        id = row.id!; conversationId = row.conversationID; messageId = row.messageID; chain = row.chain; hash = row.hash
        state = row.state; confirmations = row.confirmations; blockNumber = row.blockNumber; error = row.error
        checkedAt = row.checkedMillis.map(Date.init(millisSince1970:)); createdAt = row.createdAt
    }
}

/// Transaction hashes customers send are looked up on the workspace's own nodes in the
/// background, so an agent sees "3 confirmations" or "still pending" beside the message.
enum ChainLookups {
    /// States in which a lookup's job is still running; a repeated hash then waits for it.
    static let inFlight: Set<String> = ["checking", "pending"]
    /// A lookup stuck in flight longer than this (its job gave up) may be started again.
    static let inFlightLimitMillis: Int64 = 15 * 60 * 1000
    /// A message quoting more hashes than this is a paste of a list, not a question about each.
    static let maxHashesPerMessage = 5

    /// The latest known state of each transaction quoted in a conversation, oldest first.
    static func latest(conversationID: UUID, workspaceID: UUID, on db: any Database) async throws -> [ChainLookupView] {
        try await ChainLookupRow.query(on: db)
            .filter(\.$workspaceID == workspaceID)
            .filter(\.$conversationID == conversationID)
            .sort(\.$id)
            .all()
            .map(ChainLookupView.init)
    }

    /// The chains a hash could belong to, and the hash as that chain's node wants it.
    static func candidates(for finding: Finding) -> [(chain: ChainKind, hash: String)] {
        guard finding.kind == .txHash, let value = finding.value else { return [] }
        let digits = value.lowercased().hasPrefix("0x") ? String(value.dropFirst(2)) : value
        let chains: [ChainKind] = switch finding.chain {
        case .evm: [.evm]
        case .bitcoin, .bitcoinTestnet: [.bitcoin]
        case .tron: [.tron]
        // A bare 64-hex hash with no chain named nearby is a Bitcoin or a TRON id.
        case nil: value.lowercased().hasPrefix("0x") ? [.evm] : [.bitcoin, .tron]
        }
        return chains.compactMap { chain in
            let written = chain == .evm ? "0x" + digits : digits
            return (try? TransactionHash.normalized(written, for: chain)).map { (chain, $0) }
        }
    }

    /// Starts the decided lookups in the transaction that stores the message quoting them,
    /// so a lookup exists exactly when its message does.
    static func start(_ lookups: [(chain: ChainKind, hash: String)], conversation: ConversationRecord, messageID: UUID,
                      queue: JobQueue, on db: any Database) async throws {
        let now = Date().millisSince1970
        for (chain, hash) in lookups {
            let existing = try await ChainLookupRow.query(on: db)
                .filter(\.$workspaceID == conversation.workspaceID)
                .filter(\.$conversationID == conversation.id)
                .filter(\.$chain == chain.rawValue)
                .filter(\.$hash == hash)
                .first()
            let row: ChainLookupRow
            if let existing {
                let since = existing.checkedMillis ?? existing.createdAt?.millisSince1970 ?? now
                if inFlight.contains(existing.state) && now - since < inFlightLimitMillis { continue }
                row = existing
            } else {
                row = ChainLookupRow()
                row.id = TimeOrderedID.make()
                row.workspaceID = conversation.workspaceID
                row.conversationID = conversation.id
                row.chain = chain.rawValue
                row.hash = hash
                row.confirmations = 0
            }
            row.messageID = messageID
            row.state = "checking"
            row.error = nil
            try await row.save(on: db)
            try await queue.enqueue(
                kind: ChainLookupHandler.kindName,
                payload: StoredJSON.encode(ChainLookupHandler.Payload(lookupID: row.id!, workspaceID: conversation.workspaceID, round: 1)),
                on: db, maxAttempts: ChainLookupHandler.maxAttempts, workspaceID: conversation.workspaceID)
        }
    }
}
