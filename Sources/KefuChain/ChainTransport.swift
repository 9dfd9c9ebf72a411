import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange with a node, as the clients need it: a JSON body out, a status and
/// body back. Tests replay recorded answers through their own implementation.
public protocol ChainTransport: Sendable {
    /// POSTs `body` (JSON) to the endpoint, or to `path` below it. Throws `ChainLookupError`.
    func post(path: String, body: [UInt8]) async throws -> ChainResponse
}

public struct ChainResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// The transport over AsyncHTTPClient, with one deadline for the whole exchange.
public struct HTTPChainTransport: ChainTransport {
    public let endpoint: ChainEndpoint
    public let httpClient: HTTPClient
    public let timeout: Duration
    /// Nodes answer a lookup in a few KiB; anything far larger is not an answer to it.
    static let maxBody = 4 * 1024 * 1024

    public init(endpoint: ChainEndpoint, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(5)) {
        self.endpoint = endpoint
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func post(path: String, body: [UInt8]) async throws -> ChainResponse {
        var request = HTTPClientRequest(url: endpoint.url(appending: path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kefu-Chain/1")
        if let authorization = endpoint.authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await httpClient.execute(request, deadline: deadline)
            let buffer = try await response.body.collect(upTo: Self.maxBody)
            return ChainResponse(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch let error as ChainLookupError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.lookupError(for: error)
        }
    }

    /// Names what went wrong without repeating the error's text, which can hold the address.
    static func lookupError(for error: any Error) -> ChainLookupError {
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            default: break
            }
        }
        if error is NIOTooManyBytesError { return .badResponse("the answer was larger than \(maxBody / 1024 / 1024) MiB") }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return .timeout }
        let text = String(describing: error).lowercased()
        if text.contains("refused") { return .unreachable("connection refused") }
        if text.contains("timed out") || text.contains("timeout") { return .timeout }
        if text.contains("reset") { return .unreachable("connection reset") }
        if text.contains("dns") || text.contains("resolve") { return .unreachable("the host name could not be resolved") }
        if text.contains("ssl") || text.contains("tls") || text.contains("certificate") { return .unreachable("the TLS handshake failed") }
        return .unreachable("connection failed (\(type(of: error)))")
    }
}
