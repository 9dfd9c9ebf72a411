import Foundation

/// Where a complaint stands, as the customer's progress page names it.
public enum ComplaintMilestone: String, Sendable, Codable, CaseIterable {
    case received
    case inReview = "in_review"
    case waitingForCustomer = "waiting_for_customer"
    case escalated
    case resolved
}

/// A complaint's life as the desk recorded it, oldest first.
public enum ComplaintFact: Sendable, Equatable {
    case opened(at: Date)
    /// A person looked at it: a public reply, or taking it on.
    case reviewed(at: Date)
    /// The desk asked the customer for something (the conversation is pending).
    case askedCustomer(at: Date)
    /// The customer answered or added information.
    case customerAnswered(at: Date)
    case escalated(at: Date)
    case resolved(at: Date)
    case reopened(at: Date)

    public var at: Date {
        switch self {
        case .opened(let at), .reviewed(let at), .askedCustomer(let at), .customerAnswered(let at), .escalated(let at),
             .resolved(let at), .reopened(let at): at
        }
    }
}

/// The rules of complaint handling: how long the desk promises to take, when it checks
/// back, and how long the customer may reopen a resolved complaint.
public struct ComplaintPolicy: Sendable, Equatable, Codable {
    /// Days after the resolution when the desk asks "is everything in order now?"; 0 never.
    public var followUpDays: Int
    /// Days after the resolution when the customer may still reopen it from the progress page.
    public var reopenDays: Int
    /// The promise when no service-level policy covers complaints.
    public var replyHours: Int
    /// Messages triage reads as complaints become complaints on their own.
    public var detect: Bool
    /// Detector phrases this workspace's agents taught it to ignore by saying "not a complaint".
    public var ignoredPhrases: [String] = []
    /// Withdrawals since then teach the detector; an admin who clears a phrase starts it afresh.
    public var learnedSince: Date = .distantPast

    public static let standard = ComplaintPolicy(followUpDays: 3, reopenDays: 14, replyHours: 24, detect: true)
    public static let daysRange = 0...90
    public static let replyHoursRange = 1...720

    public init(followUpDays: Int, reopenDays: Int, replyHours: Int, detect: Bool) {
        self.followUpDays = followUpDays; self.reopenDays = reopenDays; self.replyHours = replyHours; self.detect = detect
    }

    /// When the customer will hear back: the covering policy's next-response (or first-
    /// response) target for the priority, in business time when it says so, otherwise
    /// `replyHours` of calendar time.
    public func replyDue(targets: ServiceTargets?, priority: Priority, schedule: BusinessSchedule, now: Date) -> Date {
        if let target = targets?.target(.nextResponse, priority: priority) ?? targets?.target(.firstResponse, priority: priority) {
            if target.businessHours, let due = schedule.adding(TimeInterval(target.seconds), to: now) { return due }
            return now.addingTimeInterval(TimeInterval(target.seconds))
        }
        return now.addingTimeInterval(TimeInterval(replyHours) * 3600)
    }

    public func followUpAt(resolvedAt: Date) -> Date? {
        followUpDays > 0 ? resolvedAt.addingTimeInterval(TimeInterval(followUpDays) * 86_400) : nil
    }

    public func mayReopen(resolvedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(resolvedAt) <= TimeInterval(reopenDays) * 86_400
    }

    /// A milestone with the time it was first reached in the current course of the
    /// complaint: a reopen starts the course again from "in review".
    public struct Reached: Sendable, Equatable {
        public let milestone: ComplaintMilestone
        public let at: Date
    }

    /// The milestones the customer sees, in the page's order, and the one it stands at.
    public static func progress(_ facts: [ComplaintFact]) -> (reached: [Reached], current: ComplaintMilestone) {
        var reached: [ComplaintMilestone: Date] = [:]
        var current = ComplaintMilestone.received
        var escalated = false
        func reach(_ milestone: ComplaintMilestone, _ at: Date) {
            if reached[milestone] == nil { reached[milestone] = at }
            current = milestone
        }
        for fact in facts.sorted(by: { $0.at < $1.at }) {
            switch fact {
            case .opened(let at): reach(.received, at)
            case .reviewed(let at): if current == .received { reach(.inReview, at) }
            case .askedCustomer(let at): reach(.waitingForCustomer, at)
            case .customerAnswered:
                if current == .waitingForCustomer { current = escalated ? .escalated : (reached[.inReview] != nil ? .inReview : .received) }
            case .escalated(let at):
                escalated = true
                if reached[.inReview] == nil { reached[.inReview] = at }
                reach(.escalated, at)
            case .resolved(let at): reach(.resolved, at)
            case .reopened(let at):
                reached[.resolved] = nil
                reached[.waitingForCustomer] = nil
                current = escalated ? .escalated : .inReview
                if reached[.inReview] == nil { reached[.inReview] = at }
            }
        }
        let ordered = ComplaintMilestone.allCases.compactMap { milestone in reached[milestone].map { Reached(milestone: milestone, at: $0) } }
        return (ordered, current)
    }
}
