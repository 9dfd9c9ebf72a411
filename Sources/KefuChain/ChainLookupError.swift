/// Why a lookup gave no answer. Messages name the node's behaviour, never its URL, since
/// URLs can carry credentials.
public enum ChainLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidHash(chain: ChainKind, reason: String)
    case invalidEndpoint(String)
    case timeout
    case unreachable(String)
    case badResponse(String)
    case rpcError(code: Int, message: String)

    public var description: String {
        switch self {
        case .invalidHash(let chain, let reason): "not a \(chain.rawValue) transaction hash: \(reason)"
        case .invalidEndpoint(let reason): "the node endpoint is not usable: \(reason)"
        case .timeout: "the node did not answer in time"
        case .unreachable(let reason): "the node could not be reached: \(reason)"
        case .badResponse(let reason): "the node gave an answer that could not be read: \(reason)"
        case .rpcError(let code, let message): "the node refused the request (error \(code)): \(message)"
        }
    }

    /// Worth asking again later: the node may come back; a bad hash or URL will not change.
    public var isTransient: Bool {
        switch self {
        case .timeout, .unreachable, .badResponse, .rpcError: true
        case .invalidHash, .invalidEndpoint: false
        }
    }
}
