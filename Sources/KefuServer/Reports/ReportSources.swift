import FluentKit
import Foundation
import KefuCore
import SQLKit

/// One conversation as reports read it: its moments (from its events, and the authors and
/// times of its customers' and agents' messages — never their text), the latest answer of
/// each survey, and the slices it is counted under.
struct ReportSource: Sendable {
    let conversation: ConversationRecord
    let dims: ReportDims
    let moments: [ConversationMoment]
    let signals: ReportSignals
    let schedule: BusinessSchedule

    /// `rules` (the workspace's, read by the caller before its transaction) give the
    /// conversation's schedule, for business time.
    static func read(_ id: UUID, on db: any Database, rules: ServiceLevelRules?) async throws -> ReportSource? {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: ConversationRepository.columns) FROM conversations WHERE id = \(bind: id)
            """).first() else { return nil }
        let conversation = try ConversationRecord(row: row)
        let channel = try await sql.raw("SELECT kind FROM inboxes WHERE id = \(bind: conversation.inboxID)").first()
            .flatMap { try? $0.decode(column: "kind", as: String.self) } ?? "unknown"
        let tier = try await conversation.contactTier(on: db)
        let dims = ReportDims(inbox: conversation.inboxID, channel: channel, team: conversation.teamID, category: conversation.category,
                              language: conversation.language, priority: conversation.priority.rawValue, tier: tier.rawValue)
        // The same rows, read once, also give the service-level facts (messages first, as the clocks read them).
        var serviceFacts = ServiceFactsReading()
        var serviceEvents: [(kind: ConversationEventKind, data: [String: String], at: Date)] = []

        var timeline: [(id: UUID, moment: ConversationMoment)] = [(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                                                   .opened(Date(millisSince1970: conversation.createdMillis)))]
        var signals = ReportSignals()
        for event in try await sql.raw("""
            SELECT id, kind, data, created_at FROM conversation_events WHERE conversation_id = \(bind: id) ORDER BY id
            """).all() {
            let eventID = try event.decode(column: "id", as: UUID.self)
            let stamped = try event.decode(column: "created_at", as: Date?.self)
            let at = stamped ?? Date(millisSince1970: conversation.createdMillis)
            let kind = ConversationEventKind(rawValue: try event.decode(column: "kind", as: String.self))
            func data() throws -> [String: String] { StoredJSON.decode([String: String].self, from: try event.decode(column: "data", as: String.self), default: [:]) }
            if let kind, let stamped, ServiceFactsReading.eventKinds.contains(kind) { serviceEvents.append((kind, try data(), stamped)) }
            switch kind {
            case .reopened: timeline.append((eventID, .reopened(at)))
            case .resolved: timeline.append((eventID, .resolved(at, byBot: false)))
            case .botResolved: timeline.append((eventID, .resolved(at, byBot: true)))
            case .botHandoff: timeline.append((eventID, .handedOver(at, reason: try data()["reason"] ?? "")))
            // An answer, not every message the bot writes: a handoff notice engages nobody.
            case .botAnswered: timeline.append((eventID, .botAnswered(at)))
            case .complaintOpened: signals.complaintSteps.append((.complaintOpened, at))
            case .complaintEscalated: signals.complaintSteps.append((.complaintEscalated, at))
            case .complaintResolved: signals.complaintSteps.append((.complaintResolved, at))
            case .complaintFollowUp: signals.complaintSteps.append((.complaintFollowUp, at))
            case .ratingRequested: signals.ratingRequests.append(at)
            case .slaBreached: signals.breaches.append((at, try data()["clock"] ?? ""))
            default: break
            }
        }
        for message in try await sql.raw("""
            SELECT id, author_kind, author_id, private, created_at FROM messages WHERE conversation_id = \(bind: id) ORDER BY id
            """).all() {
            guard try !message.decode(column: "private", as: Bool.self) else { continue }
            let messageID = try message.decode(column: "id", as: UUID.self)
            let at = try message.decode(column: "created_at", as: Date.self)
            let author = AuthorKind(rawValue: try message.decode(column: "author_kind", as: String.self))
            serviceFacts.message(by: author, at: at)
            switch author {
            case .contact: timeline.append((messageID, .customerWrote(at)))
            case .agent:
                if let agent = try message.decode(column: "author_id", as: UUID?.self) { timeline.append((messageID, .personReplied(at, agent: agent))) }
            default: break
            }
        }
        for survey in try await sql.raw("""
            SELECT rating, rated_ms, agent_ids FROM csat_surveys WHERE conversation_id = \(bind: id) AND rating IS NOT NULL
            """).all() {
            signals.ratings.append(.init(at: Date(millisSince1970: try survey.decode(column: "rated_ms", as: Int64.self)), score: try survey.decode(column: "rating", as: Int.self),
                                         agents: StoredJSON.decode([UUID].self, from: try survey.decode(column: "agent_ids", as: String.self), default: [])))
        }
        for answer in try await sql.raw("""
            SELECT score, answered_ms FROM nps_surveys WHERE conversation_id = \(bind: id) AND score IS NOT NULL
            """).all() {
            signals.recommendations.append((Date(millisSince1970: try answer.decode(column: "answered_ms", as: Int64.self)), try answer.decode(column: "score", as: Int.self)))
        }
        let schedule = rules?.schedule(inboxID: conversation.inboxID, teamID: conversation.teamID).schedule ?? .alwaysOpen
        if let rules, let chosen = try await rules.policy(for: conversation, tier: tier, on: db) {
            // Judged by the policy that covers it now, as its clocks in the console are.
            for event in serviceEvents { serviceFacts.event(event.kind, data: event.data, at: event.at) }
            signals.serviceOutcomes = ServiceLevels(targets: chosen.policy.targets, schedule: schedule)
                .outcomes(serviceFacts.facts, priority: serviceFacts.initialPriority ?? conversation.priority,
                          breaches: signals.breaches.map(\.at), now: .distantFuture)
        }
        // Ids are time-ordered; within one millisecond an event and a message keep the order they were made in.
        let moments = timeline.sorted { ($0.moment.at, $0.id.uuidString) < ($1.moment.at, $1.id.uuidString) }.map(\.moment)
        return ReportSource(conversation: conversation, dims: dims, moments: moments, signals: signals, schedule: schedule)
    }

    var facts: [ReportFact] {
        let schedule = schedule
        return ReportFacts.of(moments, signals: signals, resolver: conversation.assigneeID,
                              businessSeconds: schedule == .alwaysOpen ? nil : { schedule.seconds(from: $0, to: $1) })
    }
}
