/// Who takes a new conversation: a team named after its category, and within the inbox's
/// online agents, that team's members first, then those who speak the customer's
/// language, then whoever has waited longest since their last conversation.
public struct RoutingPolicy: Sendable {
    public struct Agent: Sendable, Equatable {
        public let id: String
        public let availability: Availability
        public let locale: String?
        public let lastAssignedAt: Int64?
        public let teamIDs: Set<String>

        public init(id: String, availability: Availability, locale: String?, lastAssignedAt: Int64?, teamIDs: Set<String> = []) {
            self.id = id
            self.availability = availability
            self.locale = locale
            self.lastAssignedAt = lastAssignedAt
            self.teamIDs = teamIDs
        }
    }

    public struct Team: Sendable, Equatable {
        public let id: String
        public let name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Conversation: Sendable, Equatable {
        public let category: String?
        public let language: String?
        public let teamID: String?
        public init(category: String?, language: String?, teamID: String?) {
            self.category = category
            self.language = language
            self.teamID = teamID
        }
    }

    public enum Reason: String, Sendable {
        case roundRobin = "round_robin"
        case roundRobinLanguage = "round_robin_language"
    }

    public struct Outcome: Sendable, Equatable {
        /// Set when the category chose a team for a conversation that had none.
        public var team: String?
        public var agent: String?
        public var reason: Reason?
    }

    public init() {}

    public func route(_ conversation: Conversation, teams: [Team], agents: [Agent]) -> Outcome {
        var outcome = Outcome()
        var teamID = conversation.teamID
        // A team named after the conversation's category takes it: "Deposits" gets deposits.
        if teamID == nil, let category = conversation.category?.lowercased(),
           let team = teams.first(where: { $0.name.lowercased() == category }) {
            teamID = team.id
            outcome.team = team.id
        }
        var online = agents.filter { $0.availability == .online }
        if let teamID {
            let members = online.filter { $0.teamIDs.contains(teamID) }
            if !members.isEmpty { online = members }
        }
        let language = LocaleTag.primaryLanguage(conversation.language)
        let speakers = online.filter { language != nil && LocaleTag.primaryLanguage($0.locale) == language }
        let candidates = speakers.isEmpty ? online : speakers
        let picked = RoundRobin().pick(from: candidates.map {
            RoundRobin.Candidate(agentID: $0.id, availability: $0.availability, lastAssignedAt: $0.lastAssignedAt)
        })
        if let picked {
            outcome.agent = picked
            outcome.reason = speakers.isEmpty ? .roundRobin : .roundRobinLanguage
        }
        return outcome
    }
}
