/// Round-robin routing: the next conversation goes to the online agent who has waited
/// longest since their last assignment, so work spreads evenly even as agents come and go.
public struct RoundRobin: Sendable {
    public struct Candidate: Sendable, Equatable {
        public let agentID: String
        public let availability: Availability
        /// Milliseconds since 1970 of this agent's last routed conversation; nil if never.
        public let lastAssignedAt: Int64?

        public init(agentID: String, availability: Availability, lastAssignedAt: Int64?) {
            self.agentID = agentID
            self.availability = availability
            self.lastAssignedAt = lastAssignedAt
        }
    }

    public init() {}

    /// The agent to assign, or nil when nobody is online: the conversation then waits
    /// unassigned in the inbox rather than landing on someone who is away.
    public func pick(from candidates: [Candidate]) -> String? {
        candidates
            .filter { $0.availability == .online }
            .min { lhs, rhs in
                let l = lhs.lastAssignedAt ?? Int64.min
                let r = rhs.lastAssignedAt ?? Int64.min
                return l == r ? lhs.agentID < rhs.agentID : l < r
            }?
            .agentID
    }
}
