import Foundation

/// Bitcoin Core and its forks (Litecoin, Dogecoin…) through their JSON-RPC. The node needs
/// `-txindex=1` to find confirmed transactions that are not its own wallet's.
public struct BitcoinClient: ChainClient {
    public var chain: ChainKind { .bitcoin }
    let rpc: JSONRPCCaller
    /// RPC_INVALID_ADDRESS_OR_KEY: what Bitcoin Core answers for a transaction it does not know.
    static let unknownTransaction = -5

    public init(transport: any ChainTransport) {
        rpc = JSONRPCCaller(version: "1.0", transport: transport)
    }

    struct RawTransaction: Decodable { let txid: String?; let confirmations: Int?; let blockhash: String? }
    struct BlockHeader: Decodable { let height: Int64 }

    public func transaction(_ hash: String) async throws -> TransactionStatus {
        let txid = try TransactionHash.normalized(hash, for: .bitcoin)
        let raw: RawTransaction?
        do {
            raw = try await rpc.call("getrawtransaction", [.string(txid), .bool(true)], as: RawTransaction.self)
        } catch ChainLookupError.rpcError(let code, _) where code == Self.unknownTransaction {
            return TransactionStatus(chain: .bitcoin, hash: txid, state: .notFound)
        }
        guard let raw else { throw ChainLookupError.badResponse("getrawtransaction answered null") }
        // In the mempool a transaction has no confirmations field (or 0).
        guard let confirmations = raw.confirmations, confirmations > 0, let blockhash = raw.blockhash else {
            return TransactionStatus(chain: .bitcoin, hash: txid, state: .pending)
        }
        let header = try await rpc.call("getblockheader", [.string(blockhash), .bool(true)], as: BlockHeader.self)
        return TransactionStatus(chain: .bitcoin, hash: txid, state: .confirmed, confirmations: confirmations, blockNumber: header?.height)
    }
}
