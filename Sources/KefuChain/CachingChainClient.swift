/// Remembers answers for a short while, so a customer's message, its retries and agents
/// opening the conversation do not each cost a node round trip. A final answer (failed)
/// keeps longest; a confirmed one keeps a while (its confirmations only grow); pending
/// and not-found answers change soonest. Errors are never remembered.
public actor CachingChainClient: ChainClient {
    public struct Lifetimes: Sendable {
        public var failed: Duration
        public var confirmed: Duration
        public var pending: Duration
        public var notFound: Duration
        public static let standard = Lifetimes(failed: .seconds(600), confirmed: .seconds(60), pending: .seconds(10), notFound: .seconds(10))

        public init(failed: Duration, confirmed: Duration, pending: Duration, notFound: Duration) {
            self.failed = failed
            self.confirmed = confirmed
            self.pending = pending
            self.notFound = notFound
        }

        func lifetime(of state: TransactionState) -> Duration {
            switch state {
            case .failed: failed
            case .confirmed: confirmed
            case .pending: pending
            case .notFound: notFound
            }
        }
    }

    public nonisolated let chain: ChainKind
    let base: any ChainClient
    let lifetimes: Lifetimes
    let capacity: Int
    let now: @Sendable () -> ContinuousClock.Instant
    private var entries: [String: (status: TransactionStatus, expires: ContinuousClock.Instant)] = [:]

    public init(_ base: any ChainClient, lifetimes: Lifetimes = .standard, capacity: Int = 1_000,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.chain = base.chain
        self.base = base
        self.lifetimes = lifetimes
        self.capacity = max(1, capacity)
        self.now = now
    }

    public func transaction(_ hash: String) async throws -> TransactionStatus {
        let key = try TransactionHash.normalized(hash, for: chain)
        let instant = now()
        if let entry = entries[key], entry.expires > instant { return entry.status }
        let status = try await base.transaction(key)
        store(status, key: key, at: now())
        return status
    }

    public var count: Int { entries.count }

    private func store(_ status: TransactionStatus, key: String, at instant: ContinuousClock.Instant) {
        if entries.count >= capacity {
            entries = entries.filter { $0.value.expires > instant }
            // Still full of live answers: drop the ones that expire first.
            if entries.count >= capacity, let soonest = entries.min(by: { $0.value.expires < $1.value.expires })?.key {
                entries.removeValue(forKey: soonest)
            }
        }
        entries[key] = (status, instant + lifetimes.lifetime(of: status.state))
    }
}
