import Foundation

/// TRON through a full node's HTTP API (`/wallet/...`, port 8090 by default).
public struct TronClient: ChainClient {
    public var chain: ChainKind { .tron }
    let transport: any ChainTransport

    public init(transport: any ChainTransport) {
        self.transport = transport
    }

    struct Info: Decodable {
        struct Receipt: Decodable { let result: String? }
        let id: String?
        let blockNumber: Int64?
        /// "FAILED" when the transaction was included but did not execute.
        let result: String?
        let receipt: Receipt?
        let Error: String?
    }
    struct Transaction: Decodable { let txID: String?; let Error: String? }
    struct Block: Decodable {
        struct Header: Decodable {
            struct Raw: Decodable { let number: Int64? }
            let raw_data: Raw
        }
        let block_header: Header?
    }

    public func transaction(_ hash: String) async throws -> TransactionStatus {
        let id = try TransactionHash.normalized(hash, for: .tron)
        let info = try await post("/wallet/gettransactioninfobyid", ["value": id], as: Info.self)
        if let message = info.Error { throw ChainLookupError.rpcError(code: 0, message: String(message.prefix(200))) }
        if let block = info.blockNumber {
            let now = try await post("/wallet/getnowblock", [:], as: Block.self)
            guard let head = now.block_header?.raw_data.number else { throw ChainLookupError.badResponse("getnowblock has no block number") }
            // A plain TRX transfer's receipt has no result; contract calls say SUCCESS or why they failed.
            let receiptFailed = info.receipt?.result.map { $0 != "SUCCESS" } ?? false
            let failed = info.result == "FAILED" || receiptFailed
            return TransactionStatus(chain: .tron, hash: id, state: failed ? .failed : .confirmed,
                                     confirmations: Int(max(0, head - block + 1)), blockNumber: block)
        }
        // An empty info object: either unknown, or broadcast and waiting for a block.
        let transaction = try await post("/wallet/gettransactionbyid", ["value": id], as: Transaction.self)
        if let message = transaction.Error { throw ChainLookupError.rpcError(code: 0, message: String(message.prefix(200))) }
        return TransactionStatus(chain: .tron, hash: id, state: transaction.txID == nil ? .notFound : .pending)
    }

    private func post<Result: Decodable>(_ path: String, _ body: [String: String], as type: Result.Type) async throws -> Result {
        let response = try await transport.post(path: path, body: Array(try JSONEncoder().encode(body)))
        guard (200..<300).contains(response.status) else { throw ChainLookupError.badResponse("HTTP \(response.status) from \(path)") }
        do {
            return try JSONDecoder().decode(Result.self, from: Data(response.body))
        } catch {
            throw ChainLookupError.badResponse("\(path) answered with unexpected JSON")
        }
    }
}
