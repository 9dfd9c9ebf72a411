import Foundation
import KefuChain
import Synchronization

/// Answers from a script instead of a node: by JSON-RPC method, or by HTTP path for TRON.
/// Records what was asked so tests can check the requests too.
final class ReplayTransport: ChainTransport {
    enum Answer: Sendable {
        case json(String, status: Int = 200)
        case failure(ChainLookupError)
    }

    private let answers: [String: Answer]
    private let asked = Mutex<[(key: String, body: String)]>([])

    init(_ answers: [String: Answer]) { self.answers = answers }

    func post(path: String, body: [UInt8]) async throws -> ChainResponse {
        let text = String(decoding: body, as: UTF8.self)
        let key: String
        if path.isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            key = object?["method"] as? String ?? "?"
        } else {
            key = path
        }
        asked.withLock { $0.append((key, text)) }
        switch answers[key] {
        case .json(let json, let status): return ChainResponse(status: status, body: Array(json.utf8))
        case .failure(let error): throw error
        case nil: return ChainResponse(status: 404, body: Array("no recorded answer for \(key)".utf8))
        }
    }

    var keys: [String] { asked.withLock { $0.map(\.key) } }
    func bodies(for key: String) -> [String] { asked.withLock { $0.filter { $0.key == key }.map(\.body) } }
}

/// Counts lookups and answers from a settable state, for cache tests.
final class CountingClient: ChainClient {
    let chain: ChainKind
    private let state = Mutex<(calls: Int, next: Result<TransactionState, ChainLookupError>)>((0, .success(.pending)))

    init(chain: ChainKind = .evm) { self.chain = chain }

    func answer(_ next: Result<TransactionState, ChainLookupError>) { state.withLock { $0.next = next } }
    var calls: Int { state.withLock { $0.calls } }

    func transaction(_ hash: String) async throws -> TransactionStatus {
        let next = state.withLock { value in
            value.calls += 1
            return value.next
        }
        return TransactionStatus(chain: chain, hash: hash, state: try next.get(), confirmations: 1)
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
}

enum Hashes {
    static let evm = "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b"
    static let bitcoin = "e0c6a0cd4b3a7ea1f0c3d7d6d9c9d45a3b4b1b3d0c84fa3d5e9e3f0b1a2c3d4e"
    static let tron = "d5ec749ecc2a615399d8a6c864ea4c74ff9f523c2be0e341ac9be5d47d7c2d62"
}
