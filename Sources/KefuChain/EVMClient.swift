import Foundation

/// Ethereum and every EVM chain (BSC, Polygon, Arbitrum…) through standard JSON-RPC.
public struct EVMClient: ChainClient {
    public var chain: ChainKind { .evm }
    let rpc: JSONRPCCaller

    public init(transport: any ChainTransport) {
        rpc = JSONRPCCaller(version: "2.0", transport: transport)
    }

    struct Receipt: Decodable { let blockNumber: String?; let status: String? }
    struct Transaction: Decodable { let hash: String?; let blockNumber: String? }

    public func transaction(_ hash: String) async throws -> TransactionStatus {
        let hash = try TransactionHash.normalized(hash, for: .evm)
        // The receipt first: for the common question, a mined transaction, it settles everything.
        if let receipt = try await rpc.call("eth_getTransactionReceipt", [.string(hash)], as: Receipt.self),
           receipt.blockNumber != nil {
            let block = try Quantity.parse(receipt.blockNumber, field: "receipt.blockNumber")
            guard let head = try await rpc.call("eth_blockNumber", [], as: String.self) else {
                throw ChainLookupError.badResponse("eth_blockNumber answered null")
            }
            let confirmations = max(0, try Quantity.parse(head, field: "blockNumber") - block + 1)
            // Before Byzantium receipts had no status; such a mined transaction counts as done.
            let failed = receipt.status.map { (try? Quantity.parse($0, field: "status")) == 0 } ?? false
            return TransactionStatus(chain: .evm, hash: hash, state: failed ? .failed : .confirmed,
                                     confirmations: Int(confirmations), blockNumber: block)
        }
        guard try await rpc.call("eth_getTransactionByHash", [.string(hash)], as: Transaction.self) != nil else {
            return TransactionStatus(chain: .evm, hash: hash, state: .notFound)
        }
        return TransactionStatus(chain: .evm, hash: hash, state: .pending)
    }
}
