import Foundation

/// A JSON-RPC parameter: the few shapes the lookups send.
public enum RPCParam: Sendable, Equatable, Encodable {
    case string(String)
    case bool(Bool)
    case int(Int)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        }
    }
}

/// JSON-RPC over a `ChainTransport`, shared by the EVM and Bitcoin clients.
public struct JSONRPCCaller: Sendable {
    /// "2.0" for EVM nodes; Bitcoin Core and its forks take "1.0".
    public let version: String
    public let transport: any ChainTransport

    public init(version: String = "2.0", transport: any ChainTransport) {
        self.version = version
        self.transport = transport
    }

    private struct Request: Encodable {
        let jsonrpc: String
        let id: Int
        let method: String
        let params: [RPCParam]
    }

    private struct Envelope<Result: Decodable>: Decodable {
        struct Failure: Decodable { let code: Int; let message: String }
        let result: Result?
        let error: Failure?
    }

    /// The call's `result`, or nil when the node answered `null`.
    public func call<Result: Decodable>(_ method: String, _ params: [RPCParam], as type: Result.Type) async throws -> Result? {
        let body = try JSONEncoder().encode(Request(jsonrpc: version, id: 1, method: method, params: params))
        let response = try await transport.post(path: "", body: Array(body))
        if response.status == 401 || response.status == 403 {
            throw ChainLookupError.rpcError(code: response.status, message: "the node refused the RPC credentials (HTTP \(response.status))")
        }
        // Bitcoin Core answers RPC errors with HTTP 500 and a JSON body, so the body is read whatever the status.
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: Data(response.body))
        } catch {
            if !(200..<300).contains(response.status) { throw ChainLookupError.badResponse("HTTP \(response.status) to \(method)") }
            throw ChainLookupError.badResponse("\(method) answered with unexpected JSON")
        }
        if let failure = envelope.error {
            throw ChainLookupError.rpcError(code: failure.code, message: String(failure.message.prefix(200)))
        }
        return envelope.result
    }
}

enum Quantity {
    /// An EVM quantity such as "0x1b4".
    static func parse(_ text: String?, field: String) throws -> Int64 {
        guard let text, text.hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) else {
            throw ChainLookupError.badResponse("\(field) is not a hex quantity")
        }
        return value
    }
}
