import Foundation

/// The chain families a desk can look transactions up on; each speaks its own node API.
public enum ChainKind: String, Sendable, Codable, CaseIterable {
    case evm
    case bitcoin
    case tron
}

/// Where a transaction stands, as a customer would ask about it.
public enum TransactionState: String, Sendable, Codable, CaseIterable {
    /// Known to the node but not yet in a block (mempool).
    case pending
    /// In a block and executed successfully.
    case confirmed
    /// In a block, but execution reverted or failed: the value did not move.
    case failed
    /// The node has never heard of this hash.
    case notFound = "not_found"
}

/// One answer to "where is my transaction?", as the node saw it at `checkedAt`.
public struct TransactionStatus: Sendable, Equatable, Codable {
    public var chain: ChainKind
    public var hash: String
    public var state: TransactionState
    /// Blocks including the transaction's own; 0 while pending or not found.
    public var confirmations: Int
    public var blockNumber: Int64?
    public var checkedAt: Date

    public init(chain: ChainKind, hash: String, state: TransactionState, confirmations: Int = 0, blockNumber: Int64? = nil, checkedAt: Date = Date()) {
        self.chain = chain
        self.hash = hash
        self.state = state
        self.confirmations = confirmations
        self.blockNumber = blockNumber
        self.checkedAt = checkedAt
    }

    enum CodingKeys: String, CodingKey { case chain, hash, state, confirmations, blockNumber, checkedAt }

    // The time is written as ISO-8601 text whatever the encoder's date strategy, so the
    // CLI, the API and stored copies all read the same.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chain, forKey: .chain)
        try container.encode(hash, forKey: .hash)
        try container.encode(state, forKey: .state)
        try container.encode(confirmations, forKey: .confirmations)
        try container.encode(blockNumber, forKey: .blockNumber)
        try container.encode(checkedAt.formatted(.iso8601), forKey: .checkedAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        chain = try container.decode(ChainKind.self, forKey: .chain)
        hash = try container.decode(String.self, forKey: .hash)
        state = try container.decode(TransactionState.self, forKey: .state)
        confirmations = try container.decode(Int.self, forKey: .confirmations)
        blockNumber = try container.decodeIfPresent(Int64.self, forKey: .blockNumber)
        let text = try container.decode(String.self, forKey: .checkedAt)
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw DecodingError.dataCorruptedError(forKey: .checkedAt, in: container, debugDescription: "expected an ISO-8601 time")
        }
        checkedAt = date
    }
}

/// Anything that can answer for one chain.
public protocol ChainClient: Sendable {
    var chain: ChainKind { get }
    func transaction(_ hash: String) async throws -> TransactionStatus
}
