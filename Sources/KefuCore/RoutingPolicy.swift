import Foundation

/// Who takes a conversation. A team named after its category takes it; within the inbox's
/// online agents (that team's members first), those who speak the customer's language when
/// anyone does, then those with the category as a skill when anyone has it; of them, whoever
/// has room and the lowest load for their capacity, ties to whoever waited longest since
/// their last conversation. A reopened conversation goes back to its agent when they are
/// online and have room. When nobody eligible has room, the conversation waits in the queue.
public struct RoutingPolicy: Sendable {
    public struct Agent: Sendable, Equatable {
        public let id: String
        public let availability: Availability
        public let locale: String?
        public let lastAssignedAt: Int64?
        public let teamIDs: Set<String>
        /// Language tags the agent answers in; the locale counts when none are given.
        public let languages: Set<String>
        /// Categories the agent is skilled in, compared case-insensitively.
        public let skills: Set<String>
        /// The most open conversations the agent takes at once.
        public let capacity: Int
        /// Open conversations the agent has now.
        public let load: Int

        public init(id: String, availability: Availability, locale: String?, lastAssignedAt: Int64?, teamIDs: Set<String> = [],
                    languages: Set<String> = [], skills: Set<String> = [], capacity: Int = RoutingPolicy.defaultCapacity, load: Int = 0) {
            self.id = id
            self.availability = availability
            self.locale = locale
            self.lastAssignedAt = lastAssignedAt
            self.teamIDs = teamIDs
            self.languages = languages
            self.skills = skills
            self.capacity = capacity
            self.load = load
        }

        func speaks(_ language: String) -> Bool {
            let spoken = languages.isEmpty ? Set([locale].compactMap { $0 }) : languages
            return spoken.contains { LocaleTag.primaryLanguage($0) == language }
        }

        func skilled(in category: String) -> Bool { skills.contains { $0.lowercased() == category } }

        var hasRoom: Bool { load < capacity }

        /// The same agent after taking one more conversation at `millis`.
        func taking(at millis: Int64) -> Agent {
            Agent(id: id, availability: availability, locale: locale, lastAssignedAt: millis, teamIDs: teamIDs, languages: languages,
                  skills: skills, capacity: capacity, load: load + 1)
        }
    }

    public static let defaultCapacity = 5

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
        /// The agent a reopened conversation had.
        public let previousAssignee: String?
        public init(category: String?, language: String?, teamID: String?, previousAssignee: String? = nil) {
            self.category = category
            self.language = language
            self.teamID = teamID
            self.previousAssignee = previousAssignee
        }
    }

    public enum Reason: String, Sendable {
        /// The eligible agent with the lowest load for their capacity.
        case lowestLoad = "lowest_load"
        /// A reopened conversation back with the agent who had it.
        case returning
        /// Waiting: everyone eligible is at capacity.
        case allFull = "all_full"
        /// Waiting: nobody who could take it is online.
        case nobodyOnline = "nobody_online"
    }

    public struct Outcome: Sendable, Equatable {
        /// Set when the category chose a team for a conversation that had none.
        public var team: String?
        public var agent: String?
        public var reason: Reason?
        /// The customer's language, when it decided who was eligible.
        public var language: String?
        /// The category, when it decided who was eligible as a skill.
        public var skill: String?
        /// The chosen agent's load before and their capacity: "2/5".
        public var load: String?

        public var queued: Bool { agent == nil }
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
        let online = agents.filter { $0.availability == .online }
        if let previous = conversation.previousAssignee, let agent = online.first(where: { $0.id == previous }), agent.hasRoom {
            outcome.agent = agent.id
            outcome.reason = .returning
            outcome.load = "\(agent.load)/\(agent.capacity)"
            return outcome
        }
        var pool = online
        if let teamID {
            let members = pool.filter { $0.teamIDs.contains(teamID) }
            if !members.isEmpty { pool = members }
        }
        if let language = LocaleTag.primaryLanguage(conversation.language) {
            let speakers = pool.filter { $0.speaks(language) }
            if !speakers.isEmpty {
                pool = speakers
                outcome.language = language
            }
        }
        if let category = conversation.category?.lowercased(), !category.isEmpty {
            let skilled = pool.filter { $0.skilled(in: category) }
            if !skilled.isEmpty {
                pool = skilled
                outcome.skill = category
            }
        }
        let free = pool.filter(\.hasRoom)
        guard let picked = free.min(by: Self.sooner) else {
            outcome.reason = online.isEmpty ? .nobodyOnline : .allFull
            return outcome
        }
        outcome.agent = picked.id
        outcome.reason = .lowestLoad
        outcome.load = "\(picked.load)/\(picked.capacity)"
        return outcome
    }

    /// Lower load for the capacity first; then whoever has waited longest since their last
    /// assignment (never assigned counts as longest); then by id, so the choice is stable.
    static func sooner(_ a: Agent, _ b: Agent) -> Bool {
        let left = a.load * max(b.capacity, 1), right = b.load * max(a.capacity, 1)
        if left != right { return left < right }
        switch (a.lastAssignedAt, b.lastAssignedAt) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (let x?, let y?) where x != y: return x < y
        default: return a.id < b.id
        }
    }
}

/// Conversations waiting for an agent, in the order they are served: priority, then VIP
/// customers, then the soonest service-level target, then who has waited longest.
public struct RoutingQueue: Sendable {
    public struct Entry: Sendable, Equatable {
        public let conversationID: String
        public let conversation: RoutingPolicy.Conversation
        public let priority: Priority
        public let tier: ContactTier
        public let slaDue: Date?
        public let queuedAt: Date

        public init(conversationID: String, conversation: RoutingPolicy.Conversation, priority: Priority, tier: ContactTier, slaDue: Date?,
                    queuedAt: Date) {
            self.conversationID = conversationID
            self.conversation = conversation
            self.priority = priority
            self.tier = tier
            self.slaDue = slaDue
            self.queuedAt = queuedAt
        }
    }

    public struct Assignment: Sendable, Equatable {
        public let conversationID: String
        public let outcome: RoutingPolicy.Outcome
        /// Why it was served before others waiting longer, when it was: "VIP first".
        public let servedFirstBecause: String?
    }

    public init() {}

    public static func ordered(_ entries: [Entry]) -> [Entry] {
        entries.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.tier != b.tier { return a.tier == .vip }
            switch (a.slaDue, b.slaDue) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            if a.queuedAt != b.queuedAt { return a.queuedAt < b.queuedAt }
            return a.conversationID < b.conversationID
        }
    }

    /// Gives waiting conversations to agents with room, in queue order, each agent's load
    /// rising as they take one. A conversation nobody eligible can take yet stays, and
    /// those behind it are still served (no one waits behind a customer only a busy
    /// specialist can help).
    public func dispatch(_ entries: [Entry], teams: [RoutingPolicy.Team], agents: [RoutingPolicy.Agent], now: Int64) -> [Assignment] {
        var agents = agents
        var assignments: [Assignment] = []
        let order = Self.ordered(entries)
        for (place, entry) in order.enumerated() {
            let outcome = RoutingPolicy().route(entry.conversation, teams: teams, agents: agents)
            guard let picked = outcome.agent, let index = agents.firstIndex(where: { $0.id == picked }) else { continue }
            agents[index] = agents[index].taking(at: now + Int64(assignments.count))
            var because: String?
            // Someone behind it in the order has waited longer: say what put it ahead.
            if order[(place + 1)...].contains(where: { $0.queuedAt < entry.queuedAt }) {
                if entry.priority > .normal { because = "\(entry.priority.rawValue) priority first" }
                else if entry.tier == .vip { because = "VIP first" }
                else if entry.slaDue != nil { because = "service-level target first" }
            }
            assignments.append(Assignment(conversationID: entry.conversationID, outcome: outcome, servedFirstBecause: because))
        }
        return assignments
    }
}
