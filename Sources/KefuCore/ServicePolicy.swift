import Foundation

/// A service-level policy: which conversations it covers and what it promises them.
/// Policies are kept in order; the first whose conditions all hold applies.
public struct ServicePolicy: Sendable, Equatable {
    /// Each condition left empty holds for every conversation; one that lists values holds
    /// when the conversation has one of them.
    public struct Conditions: Sendable, Equatable {
        public var inboxIDs: Set<UUID> = []
        public var teamIDs: Set<UUID> = []
        public var categories: Set<String> = []
        public var tiers: Set<ContactTier> = []
        /// Language tags as the conversation carries them, compared by primary language
        /// (`zh` covers zh-Hans, zh-Hant and zh-CN).
        public var languages: Set<String> = []
        public var priorities: Set<Priority> = []
        /// True covers complaints only, false everything but complaints, nil both.
        public var complaint: Bool? = nil

        public init(inboxIDs: Set<UUID> = [], teamIDs: Set<UUID> = [], categories: Set<String> = [], tiers: Set<ContactTier> = [],
                    languages: Set<String> = [], priorities: Set<Priority> = [], complaint: Bool? = nil) {
            self.complaint = complaint
            self.inboxIDs = inboxIDs
            self.teamIDs = teamIDs
            self.categories = categories
            self.tiers = tiers
            self.languages = languages
            self.priorities = priorities
        }
    }

    /// What a policy's conditions are judged against.
    public struct Subject: Sendable, Equatable {
        public let inboxID: UUID
        public let teamID: UUID?
        public let category: String?
        public let tier: ContactTier
        public let language: String?
        public let priority: Priority
        public let isComplaint: Bool

        public init(inboxID: UUID, teamID: UUID?, category: String?, tier: ContactTier, language: String?, priority: Priority, isComplaint: Bool = false) {
            self.isComplaint = isComplaint
            self.inboxID = inboxID
            self.teamID = teamID
            self.category = category
            self.tier = tier
            self.language = language
            self.priority = priority
        }
    }

    public let id: UUID
    public let name: String
    public let conditions: Conditions
    public let targets: ServiceTargets
    public let escalation: ServiceEscalation

    public init(id: UUID, name: String, conditions: Conditions, targets: ServiceTargets, escalation: ServiceEscalation = .standard) {
        self.id = id
        self.name = name
        self.conditions = conditions
        self.targets = targets
        self.escalation = escalation
    }

    public func covers(_ subject: Subject) -> Bool {
        let c = conditions
        if !c.inboxIDs.isEmpty && !c.inboxIDs.contains(subject.inboxID) { return false }
        if !c.teamIDs.isEmpty && !(subject.teamID.map(c.teamIDs.contains) ?? false) { return false }
        if !c.categories.isEmpty {
            guard let category = subject.category?.lowercased(), c.categories.contains(where: { $0.lowercased() == category }) else { return false }
        }
        if !c.tiers.isEmpty && !c.tiers.contains(subject.tier) { return false }
        if !c.languages.isEmpty {
            guard let language = subject.language.map(Self.primary), c.languages.contains(where: { Self.primary($0) == language }) else { return false }
        }
        if !c.priorities.isEmpty && !c.priorities.contains(subject.priority) { return false }
        if let complaint = c.complaint, complaint != subject.isComplaint { return false }
        return true
    }

    /// The first policy of `policies`, in order, that covers the conversation.
    public static func applying(to subject: Subject, in policies: [ServicePolicy]) -> ServicePolicy? {
        policies.first { $0.covers(subject) }
    }

    static func primary(_ tag: String) -> String {
        String(tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "")
    }
}
