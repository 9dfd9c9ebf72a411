import Foundation

/// Who a macro hands the conversation to.
public enum MacroAssignee: String, Sendable, Codable, CaseIterable {
    /// The agent who applies it.
    case me
    /// Nobody: back to the team or the queue.
    case nobody
}

/// One step of a macro. Messages go first in the order written, then the fields, then the
/// status: "reply with /refund-steps, tag refund, resolve" never resolves before replying.
public enum MacroAction: Sendable, Equatable, Hashable {
    case reply(cannedReplyID: UUID)
    case note(String)
    case status(ConversationStatus)
    case priority(Priority)
    /// Nil takes the conversation off its team.
    case team(UUID?)
    case assign(MacroAssignee)
    case addTags([String])
    case removeTags([String])
    /// Snoozed for this many hours, then open again by itself.
    case snooze(hours: Int)

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case reply, note, status, priority, team, assign
        case addTags = "add_tags"
        case removeTags = "remove_tags"
        case snooze
    }

    public var kind: Kind {
        switch self {
        case .reply: .reply
        case .note: .note
        case .status: .status
        case .priority: .priority
        case .team: .team
        case .assign: .assign
        case .addTags: .addTags
        case .removeTags: .removeTags
        case .snooze: .snooze
        }
    }

    var sendsMessage: Bool { kind == .reply || kind == .note }
}

/// What a macro may hold, and what it does to a conversation's fields. Pure: the desk
/// reads the conversation, asks this for the outcome, and writes it in one transaction.
public enum MacroPlan {
    public static let maxActions = 20
    public static let maxName = 100
    public static let maxNote = 4_000
    public static let snoozeHours = 1...(24 * 30)

    /// Why these actions cannot be a macro, one line each (English / 中文); empty if they can.
    public static func problems(_ actions: [MacroAction]) -> [String] {
        var problems: [String] = []
        if actions.isEmpty { problems.append("a macro needs at least one action / 宏至少需要一个动作") }
        if actions.count > maxActions { problems.append("at most \(maxActions) actions / 最多 \(maxActions) 个动作") }
        let kinds = actions.map(\.kind)
        for kind in [MacroAction.Kind.status, .priority, .team, .assign, .snooze] where kinds.filter({ $0 == kind }).count > 1 {
            problems.append("\(kind.rawValue) appears twice; a macro sets it once / \(kind.rawValue) 只能设置一次")
        }
        if kinds.contains(.status) && kinds.contains(.snooze) {
            problems.append("snooze already sets the status; use one of them / 延后已包含状态变更，二者择一")
        }
        if kinds.filter({ $0 == .reply }).count > 3 { problems.append("at most 3 canned replies / 最多 3 条快捷回复") }
        for action in actions {
            switch action {
            case .note(let text):
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("a note needs text / 备注不能为空") }
                if text.count > maxNote { problems.append("a note is at most \(maxNote) characters / 备注最多 \(maxNote) 个字符") }
            case .snooze(let hours) where !snoozeHours.contains(hours):
                problems.append("snooze for 1 to \(snoozeHours.upperBound) hours / 延后 1 到 \(snoozeHours.upperBound) 小时")
            case .status(.snoozed):
                problems.append("use snooze, which says until when / 请用“延后”动作并设定时长")
            case .addTags(let tags), .removeTags(let tags):
                if tags.isEmpty { problems.append("name the tags / 请填写标签") }
            default: break
            }
        }
        return problems
    }

    /// The order actions run in: messages as written, then fields, then status or snooze.
    public static func ordered(_ actions: [MacroAction]) -> [MacroAction] {
        let last: Set<MacroAction.Kind> = [.status, .snooze]
        return actions.filter(\.sendsMessage) + actions.filter { !$0.sendsMessage && !last.contains($0.kind) } + actions.filter { last.contains($0.kind) }
    }

    /// A conversation's fields a macro can change.
    public struct Fields: Sendable, Equatable {
        public var status: ConversationStatus
        public var priority: Priority
        public var teamID: UUID?
        public var assigneeID: UUID?
        public var tags: [String]
        public var snoozeUntil: Date?

        public init(status: ConversationStatus, priority: Priority, teamID: UUID?, assigneeID: UUID?, tags: [String], snoozeUntil: Date? = nil) {
            self.status = status; self.priority = priority; self.teamID = teamID; self.assigneeID = assigneeID; self.tags = tags
            self.snoozeUntil = snoozeUntil
        }
    }

    /// The fields after the actions, applied by `agent` at `now`; messages change none.
    public static func outcome(of actions: [MacroAction], on fields: Fields, by agent: UUID, now: Date) -> Fields {
        var result = fields
        for action in ordered(actions) {
            switch action {
            case .reply, .note: break
            case .status(let status): result.status = status
            case .priority(let priority): result.priority = priority
            case .team(let team): result.teamID = team
            case .assign(.me): result.assigneeID = agent
            case .assign(.nobody): result.assigneeID = nil
            case .addTags(let tags): result.tags += tags.filter { !result.tags.contains($0) }
            case .removeTags(let tags): result.tags.removeAll { tags.contains($0) }
            case .snooze(let hours):
                result.status = .snoozed
                result.snoozeUntil = now.addingTimeInterval(Double(hours) * 3_600)
            }
        }
        return result
    }
}

/// Stored and sent as `{"type": "status", "status": "resolved"}`, one object per action.
extension MacroAction: Codable {
    private enum Keys: String, CodingKey { case type, cannedReplyId, text, status, priority, teamId, to, tags, hours }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let raw = try c.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "type is one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .reply: self = .reply(cannedReplyID: try c.decode(UUID.self, forKey: .cannedReplyId))
        case .note: self = .note(try c.decode(String.self, forKey: .text))
        case .status: self = .status(try c.decode(ConversationStatus.self, forKey: .status))
        case .priority: self = .priority(try c.decode(Priority.self, forKey: .priority))
        case .team: self = .team(try c.decodeIfPresent(UUID.self, forKey: .teamId))
        case .assign: self = .assign(try c.decode(MacroAssignee.self, forKey: .to))
        case .addTags: self = .addTags(try c.decode([String].self, forKey: .tags))
        case .removeTags: self = .removeTags(try c.decode([String].self, forKey: .tags))
        case .snooze: self = .snooze(hours: try c.decode(Int.self, forKey: .hours))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(kind.rawValue, forKey: .type)
        switch self {
        case .reply(let id): try c.encode(id, forKey: .cannedReplyId)
        case .note(let text): try c.encode(text, forKey: .text)
        case .status(let status): try c.encode(status, forKey: .status)
        case .priority(let priority): try c.encode(priority, forKey: .priority)
        case .team(let team): try c.encode(team, forKey: .teamId)
        case .assign(let to): try c.encode(to, forKey: .to)
        case .addTags(let tags), .removeTags(let tags): try c.encode(tags, forKey: .tags)
        case .snooze(let hours): try c.encode(hours, forKey: .hours)
        }
    }
}
