import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An OpenAI-compatible HTTP endpoint (`/v1/embeddings`, `/v1/chat/completions`). Off by
/// default: the desk answers and triages offline, and a provider only adds to that.
public struct ModelEndpoint: Sendable, Equatable {
    public var baseURL: String
    public var model: String
    /// Sent as a bearer token; never logged.
    public var apiKey: String?
    public var timeoutMillis: Int64

    public init(baseURL: String, model: String, apiKey: String? = nil, timeoutMillis: Int64 = 5_000) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeoutMillis = timeoutMillis
    }
}

/// Why a provider call gave nothing usable. The caller always has an offline answer to
/// fall back to, so these are logged by kind only.
struct ProviderError: Error, CustomStringConvertible {
    enum Kind: String { case unreachable, status, unreadable }
    let kind: Kind
    let detail: String
    var description: String { "model provider \(kind.rawValue): \(detail)" }
}

/// The one HTTP exchange both clients make: POST JSON, read JSON, within the timeout.
struct ProviderTransport: Sendable {
    let endpoint: ModelEndpoint
    let httpClient: HTTPClient

    func post<Body: Encodable, Answer: Decodable>(_ path: String, _ body: Body, as: Answer.Type) async throws -> Answer {
        var request = HTTPClientRequest(url: endpoint.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kefu/1")
        if let key = endpoint.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: .milliseconds(endpoint.timeoutMillis))
        } catch {
            throw ProviderError(kind: .unreachable, detail: "\(type(of: error))")
        }
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard (200..<300).contains(response.status.code) else { throw ProviderError(kind: .status, detail: "HTTP \(response.status.code)") }
        do {
            return try JSONDecoder().decode(Answer.self, from: bytes)
        } catch {
            throw ProviderError(kind: .unreadable, detail: "\(type(of: error))")
        }
    }
}

/// Text embeddings from `/v1/embeddings`. E5-style models want to know whether a text is
/// a question or a passage; `input_type` says so to servers that understand it, and the
/// `query: ` / `passage: ` prefixes say it to those that do not.
struct EmbeddingsClient: Sendable {
    enum Role: String, Sendable { case query, passage }

    let transport: ProviderTransport
    /// Longer inputs only cost time: a passage's first part carries its topic.
    static let maxCharacters = 1_000
    static let batchSize = 64

    private struct Request: Encodable {
        let model: String
        let input: [String]
        let input_type: String
    }

    private struct Response: Decodable {
        struct Item: Decodable { let index: Int; let embedding: [Float] }
        let data: [Item]
    }

    func embed(_ texts: [String], as role: Role) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(start + Self.batchSize, texts.count)].map { "\(role.rawValue): " + String($0.prefix(Self.maxCharacters)) }
            let response = try await transport.post("/v1/embeddings", Request(model: transport.endpoint.model, input: batch, input_type: role.rawValue),
                                                    as: Response.self)
            guard response.data.count == batch.count else {
                throw ProviderError(kind: .unreadable, detail: "\(response.data.count) embeddings for \(batch.count) inputs")
            }
            vectors.append(contentsOf: response.data.sorted { $0.index < $1.index }.map { Self.normalized($0.embedding) })
            start += Self.batchSize
        }
        return vectors
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return 0 }
        var sum: Float = 0
        for index in a.indices { sum += a[index] * b[index] }
        return Double(sum)
    }
}
