import FluentKit
import Foundation
import KefuCore
import KefuShield
import KefuText
import SQLKit

/// Complaint handling in the desk's four steps — listen (open it), acknowledge at once,
/// solve with other teams (escalate), feed the result back (resolve with a summary, then
/// check back). Every step is one transaction through the conversation writer, so the
/// customer's message, the event and the complaint's row never disagree.
struct ComplaintDesk: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let replyGuard: ReplyGuardStep
    let clock: DeskClock
    let repository = ComplaintRepository()
    let conversations = ConversationRepository()

    /// A complaint about to be written with its conversation's change.
    struct Opening: Sendable {
        let row: ComplaintRow
        let events: [EventRecord]
        let acknowledgement: MessageRecord
        let announcement: RealtimeEvent
        let priority: Priority?
    }

    /// What a customer-facing step announces beside the conversation's own events: the
    /// widget and the progress page follow a complaint by these.
    struct Announced: Encodable, Sendable {
        let complaintId: UUID
        let conversationId: UUID
        let number: Int
        let milestone: String
        let replyDueAt: Date
    }

    // MARK: opening

    /// The complaint row (new, or a withdrawn one revived), its event, the acknowledgement
    /// in the customer's language and the priority it calls for. Written by the caller.
    static func opening(_ conversation: ConversationRecord, severity: ComplaintSeverity, source: ComplaintSource, by agentID: UUID?,
                        trigger: String?, facts: ComplaintFacts, now: Date, persistence: Persistence, on db: any Database) async throws -> Opening {
        let policy = try await ComplaintSettings.policy(workspaceID: conversation.workspaceID, on: db)
        let priority: Priority? = switch severity {
        case .critical: .urgent
        case .major: .high
        case .minor: nil
        }
        let effective = max(priority ?? conversation.priority, conversation.priority)
        let rules = try await ServiceLevelRules.load(workspaceID: conversation.workspaceID, persistence: persistence)
        let tier = try await conversation.contactTier(on: db)
        let subject = ServicePolicy.Subject(inboxID: conversation.inboxID, teamID: conversation.teamID, category: conversation.category, tier: tier,
                                            language: conversation.language, priority: effective, isComplaint: true)
        let schedule = rules.schedule(inboxID: conversation.inboxID, teamID: conversation.teamID).schedule
        let targets = rules.policies.first { $0.policy.covers(subject) }?.policy.targets
        let due = policy.replyDue(targets: targets, priority: effective, schedule: schedule, now: now)

        let row = try await ComplaintRow.query(on: db).filter(\.$conversationID == conversation.id).first() ?? ComplaintRow()
        if row.id == nil { row.id = TimeOrderedID.make(now: now) }
        row.workspaceID = conversation.workspaceID
        row.conversationID = conversation.id
        row.contactID = conversation.contactID
        row.severityRaw = severity.rawValue
        row.sourceRaw = source.rawValue
        row.openedBy = agentID
        row.openedMillis = now.millisSince1970
        row.replyDueMillis = due.millisSince1970
        row.factsJSON = StoredJSON.encode(facts)
        row.triggerText = trigger.map { String($0.prefix(Limits.messageText)) }
        row.withdrawnMillis = nil
        row.summary = nil; row.resolvedMillis = nil; row.followUpMillis = nil; row.followedUpMillis = nil; row.confirmedMillis = nil
        row.escalatedTeamID = nil; row.escalationReason = nil; row.escalatedMillis = nil

        let chinese = try await conversation.answersInChinese(on: db)
        let text = ComplaintTexts.acknowledgement(chinese: chinese, number: conversation.number, due: ComplaintTexts.time(due, in: schedule.timeZone))
        let ack = MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: conversation.workspaceID, conversationID: conversation.id,
                                authorKind: .system, authorID: nil, body: text, isPrivate: false, createdAt: now)
        var data = ["complaintId": row.id!.uuidString, "severity": severity.rawValue, "source": source.rawValue,
                    "replyDueAt": ISO8601DateFormatter().string(from: due)]
        if let trigger, source == .detected { data["trigger"] = String(trigger.prefix(200)) }
        let event = EventRecord(.complaintOpened, in: conversation, by: agentID == nil ? .system : .agent, agentID, data: data, at: now)
        let announcement = RealtimeEvent(type: "complaint.opened", workspaceID: conversation.workspaceID, conversationID: conversation.id,
                                         contactID: conversation.contactID, visibleToContact: true,
                                         payload: Announced(complaintId: row.id!, conversationId: conversation.id, number: conversation.number,
                                                            milestone: ComplaintMilestone.received.rawValue, replyDueAt: due))
        return Opening(row: row, events: [event], acknowledgement: ack, announcement: announcement, priority: priority)
    }

    /// The transactions, addresses, amounts, assets and order numbers in the customer's messages so far.
    static func facts(of conversationID: UUID, on db: any Database) async throws -> ComplaintFacts {
        var facts = ComplaintFacts()
        let rows = try await MessageRow.query(on: db).filter(\.$conversationID == conversationID)
            .filter(\.$authorKind == AuthorKind.contact.rawValue).sort(\.$id).limit(200).all()
        for row in rows {
            // The stored text has any secret already taken out: nothing read here can hold one.
            facts.add(ComplaintFactFinder.find(row.body))
            for finding in StoredFindings.decode(row.metadata).findings {
                guard let value = finding.value else { continue }
                switch finding.kind {
                case .txHash where !facts.transactions.contains(value): facts.transactions.append(value)
                case .address where !facts.addresses.contains(value): facts.addresses.append(value)
                default: break
                }
            }
        }
        return facts
    }

    /// An agent marks the conversation a complaint.
    func mark(_ conversationID: UUID, severity: ComplaintSeverity, by agent: AgentPrincipal) async throws -> ComplaintView {
        try await change(conversationID, workspaceID: agent.workspaceID) { before, db, now in
            if try await repository.active(conversationID: before.id, on: db) != nil {
                throw Problem.conflict("This conversation is already a complaint.")
            }
            // Its customer can no longer be written to there: a new conversation is the place.
            guard before.status != .closed else { throw Problem.conflict("A closed conversation cannot become a complaint.") }
            // What the customer last said is what a marked complaint teaches the detector.
            let trigger = try await MessageRow.query(on: db).filter(\.$conversationID == before.id).filter(\.$authorKind == AuthorKind.contact.rawValue)
                .sort(\.$id, .descending).first()?.body
            let opening = try await Self.opening(before, severity: severity, source: .agent, by: agent.agentID, trigger: trigger,
                                                 facts: try await Self.facts(of: before.id, on: db), now: now, persistence: persistence, on: db)
            try await opening.row.save(on: db)
            var write = ConversationWrite(before: before, after: before, messages: [opening.acknowledgement], events: opening.events)
            if let priority = opening.priority, priority > before.priority {
                write.events.append(EventRecord(.priorityChanged, in: before, by: .system, data: ["from": before.priority.rawValue, "to": priority.rawValue, "reason": "complaint"], at: now))
                write.after.priority = priority
            }
            write.after.lastActivityMillis = now.millisSince1970
            write.after.updatedAt = now
            write.extraAnnouncements = [opening.announcement]
            return (write, opening.row)
        }
    }

    /// A complaint triage read in a customer's message, opened inside that message's own
    /// transaction once its conversation has a number. The bot stays out of it (the decide step).
    static func openDetected(_ committed: Committed, detection: ComplaintDetection, text: String, persistence: Persistence,
                             on db: any Database) async throws -> Committed {
        let conversation = committed.conversation
        // Open already, or an agent said it is not one: triage does not overrule them.
        if try await ComplaintRepository().find(conversationID: conversation.id, on: db) != nil { return committed }
        let now = Date(millisSince1970: conversation.lastActivityMillis)
        let opening = try await Self.opening(conversation, severity: detection.severity, source: .detected, by: nil, trigger: text,
                                             facts: try await Self.facts(of: conversation.id, on: db), now: now, persistence: persistence, on: db)
        try await opening.row.create(on: db)
        try await TimelineRepository().insert(opening.events, on: db)
        try await TimelineRepository().insert([opening.acknowledgement], on: db)
        let message = RealtimeEvent(type: "message.created", workspaceID: conversation.workspaceID, conversationID: conversation.id,
                                    contactID: conversation.contactID, visibleToContact: true, payload: opening.acknowledgement.view)
        return committed.adding(messages: [opening.acknowledgement], announcements: [message, opening.announcement])
    }

    // MARK: handling

    /// Not a complaint after all. A withdrawn detected complaint is triage's mistake, kept as its label.
    func withdraw(_ conversationID: UUID, by agent: AgentPrincipal) async throws -> ComplaintView {
        let ignoredBefore = try await ComplaintSettings.policy(workspaceID: agent.workspaceID, on: persistence.reader).ignoredPhrases
        var view = try await change(conversationID, workspaceID: agent.workspaceID) { before, db, now in
            guard let row = try await repository.active(conversationID: before.id, on: db) else { throw Problem.notFound("Complaint") }
            row.withdrawnMillis = now.millisSince1970
            try await row.update(on: db)
            var data = ["complaintId": row.id!.uuidString, "source": row.sourceRaw]
            let learned = try await Self.relearn(workspaceID: before.workspaceID, on: db)
            if !learned.isEmpty { data["ignoredPhrases"] = learned.joined(separator: ",") }
            let event = EventRecord(.complaintWithdrawn, in: before, by: .agent, agent.agentID, data: data, at: now)
            return (ConversationWrite(before: before, after: before, events: [event]), row)
        }
        let ignored = try await ComplaintSettings.policy(workspaceID: agent.workspaceID, on: persistence.reader).ignoredPhrases
        view.learnedToIgnore = ignored.filter { !ignoredBefore.contains($0) }
        return view
    }

    /// What the workspace's agents taught the detector: phrases they said "not a complaint"
    /// to often enough (`ComplaintLearning`) are added to those it ignores. Re-read from the
    /// texts that opened its complaints since the admin last cleared the list; the newly
    /// ignored are returned.
    static func relearn(workspaceID: UUID, on db: any Database) async throws -> [String] {
        var policy = try await ComplaintSettings.policy(workspaceID: workspaceID, on: db)
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT trigger_text, withdrawn_ms FROM complaints WHERE workspace_id = \(bind: workspaceID) AND trigger_text IS NOT NULL
            AND opened_ms >= \(bind: max(0, policy.learnedSince.millisSince1970)) ORDER BY opened_ms DESC LIMIT 1000
            """).all()
        let outcomes = try rows.compactMap { row -> ComplaintLearning.Outcome? in
            guard let detection = ComplaintDetector.detect(try row.decode(column: "trigger_text", as: String.self)) else { return nil }
            return .init(phrases: Set(detection.phrases), withdrawn: try row.decode(column: "withdrawn_ms", as: Int64?.self) != nil)
        }
        let added = ComplaintLearning.ignoredPhrases(outcomes).filter { !policy.ignoredPhrases.contains($0) }
        guard !added.isEmpty else { return [] }
        policy.ignoredPhrases = (policy.ignoredPhrases + added).sorted()
        try await ComplaintSettings.save(policy, workspaceID: workspaceID, on: db)
        return added
    }

    /// Hands the complaint to another team with the reason they will see; its clock runs on.
    func escalate(_ conversationID: UUID, to teamID: UUID, reason: String, by agent: AgentPrincipal) async throws -> ComplaintView {
        guard let team = try await TeamRow.find(teamID, on: persistence.reader), team.workspaceID == agent.workspaceID else {
            throw Problem.invalid([.init(field: "teamId", detail: "no such team in this workspace / 本工作区没有这个团队")])
        }
        return try await change(conversationID, workspaceID: agent.workspaceID) { before, db, now in
            guard let row = try await repository.active(conversationID: before.id, on: db) else { throw Problem.notFound("Complaint") }
            guard before.status.isActive else { throw Problem.conflict("A \(before.status.rawValue) complaint cannot be escalated; reopen it first.") }
            row.escalatedTeamID = teamID
            row.escalationReason = reason
            row.escalatedMillis = now.millisSince1970
            try await row.update(on: db)
            var write = ConversationWrite(before: before, after: before)
            write.after.teamID = teamID
            write.after.updatedAt = now
            write.events = [EventRecord(.complaintEscalated, in: before, by: .agent, agent.agentID,
                                        data: ["complaintId": row.id!.uuidString, "teamId": teamID.uuidString, "reason": reason], at: now)]
            if before.teamID != teamID { write.events.append(EventRecord(.teamAssigned, in: before, by: .agent, agent.agentID, data: ["teamId": teamID.uuidString], at: now)) }
            // The receiving team reads why in the conversation itself; the customer hears it moved.
            write.messages = [
                MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: before.workspaceID, conversationID: before.id, authorKind: .agent,
                              authorID: agent.agentID, body: ComplaintTexts.escalationNote(team: team.name, reason: reason), isPrivate: true, createdAt: now),
                MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: before.workspaceID, conversationID: before.id, authorKind: .system,
                              authorID: nil, body: ComplaintTexts.escalated(chinese: try await before.answersInChinese(on: db)), isPrivate: false, createdAt: now),
            ]
            write.extraAnnouncements = [announce(row, before, milestone: .escalated)]
            return (write, row)
        }
    }

    /// Resolves the complaint with the summary the customer is sent; asks for a rating as
    /// any resolve does and schedules the check-back.
    func resolve(_ conversationID: UUID, summary: String, by agent: AgentPrincipal) async throws -> ComplaintView {
        // The summary is a reply to the customer: the reply guard reads it like one.
        _ = try await replyGuard.check(Reply(workspaceID: agent.workspaceID, conversationID: conversationID, authorKind: .agent, authorID: agent.agentID,
                                             text: summary, isPrivate: false))
        return try await change(conversationID, workspaceID: agent.workspaceID) { before, db, now in
            guard let row = try await repository.active(conversationID: before.id, on: db) else { throw Problem.notFound("Complaint") }
            guard before.status.isActive else { throw Problem.conflict("This complaint is already \(before.status.rawValue).") }
            let policy = try await ComplaintSettings.policy(workspaceID: before.workspaceID, on: db)
            row.summary = summary
            row.resolvedMillis = now.millisSince1970
            row.followUpMillis = policy.followUpAt(resolvedAt: now)?.millisSince1970
            row.followedUpMillis = nil
            row.confirmedMillis = nil
            try await row.update(on: db)
            var change = ConversationChange()
            change.status = .resolved
            var write = try change.applied(to: before, by: agent, now: now)
            let text = ComplaintTexts.resolution(chinese: try await before.answersInChinese(on: db), number: before.number, summary: summary)
            write.messages.append(MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: before.workspaceID, conversationID: before.id,
                                                authorKind: .agent, authorID: agent.agentID, body: text, isPrivate: false, createdAt: now))
            if before.firstResponseAt == nil { write.after.firstResponseAt = now }
            write.after.lastActivityMillis = now.millisSince1970
            write.events.append(EventRecord(.complaintResolved, in: before, by: .agent, agent.agentID,
                                            data: ["complaintId": row.id!.uuidString, "summary": String(summary.prefix(500))],
                                            duration: elapsedSeconds(fromMillis: row.openedMillis, toMillis: now.millisSince1970), at: now))
            write.extraAnnouncements = [announce(row, before, milestone: .resolved)]
            return (write, row)
        }
    }

    /// The customer says on the progress page that the outcome settles it.
    func confirm(_ row: ComplaintRow) async throws -> ComplaintView {
        try await change(row.conversationID, workspaceID: row.workspaceID) { before, db, now in
            guard let fresh = try await repository.active(conversationID: before.id, on: db), fresh.resolvedMillis != nil, !before.status.isActive else {
                throw Problem.conflict("Only a resolved complaint can be confirmed.")
            }
            fresh.confirmedMillis = now.millisSince1970
            fresh.followUpMillis = nil
            try await fresh.update(on: db)
            let event = EventRecord(.complaintConfirmed, in: before, by: .contact, before.contactID, data: ["complaintId": fresh.id!.uuidString], at: now)
            return (ConversationWrite(before: before, after: before, events: [event]), fresh)
        }
    }

    /// Check-backs whose day has come, each in its own transaction; returns how many were sent.
    @discardableResult
    func sendFollowUps(now: Date, limit: Int = 100) async throws -> Int {
        let due = try await ComplaintRow.query(on: persistence.reader).filter(\.$followUpMillis <= now.millisSince1970)
            .filter(\.$followedUpMillis == nil).filter(\.$withdrawnMillis == nil).limit(limit).all()
        var sent = 0
        for candidate in due {
            let wrote = try? await change(candidate.conversationID, workspaceID: candidate.workspaceID, at: now) { before, db, now in
                guard let row = try await repository.active(conversationID: before.id, on: db), row.followedUpMillis == nil, row.followUpMillis != nil else {
                    throw Skipped()
                }
                row.followedUpMillis = now.millisSince1970
                try await row.update(on: db)
                // Reopened meanwhile, or closed for good: the check-back has nothing to ask.
                guard before.status == .resolved else { throw Skipped() }
                var write = ConversationWrite(before: before, after: before)
                write.messages = [MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: before.workspaceID, conversationID: before.id,
                                                authorKind: .system, authorID: nil, body: ComplaintTexts.followUp(chinese: try await before.answersInChinese(on: db), number: before.number),
                                                isPrivate: false, createdAt: now)]
                write.events = [EventRecord(.complaintFollowUp, in: before, by: .system, data: ["complaintId": row.id!.uuidString], at: now)]
                return (write, row)
            }
            if wrote != nil { sent += 1 }
        }
        return sent
    }

    private struct Skipped: Error {}

    // MARK: plumbing

    private func announce(_ row: ComplaintRow, _ conversation: ConversationRecord, milestone: ComplaintMilestone) -> RealtimeEvent {
        RealtimeEvent(type: "complaint.updated", workspaceID: conversation.workspaceID, conversationID: conversation.id, contactID: conversation.contactID,
                      visibleToContact: true, payload: Announced(complaintId: row.id!, conversationId: conversation.id, number: conversation.number,
                                                                 milestone: milestone.rawValue, replyDueAt: Date(millisSince1970: row.replyDueMillis)))
    }

    /// One step on one conversation: read, decided, written with the complaint row, published.
    private func change(_ conversationID: UUID, workspaceID: UUID, at time: Date? = nil,
                        _ body: @escaping @Sendable (ConversationRecord, any Database, Date) async throws -> (ConversationWrite, ComplaintRow)) async throws -> ComplaintView {
        for attempt in 1...ConversationPipeline.attempts {
            if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
            let now = time ?? clock.now()
            do {
                let (committed, row) = try await persistence.transaction { [writer, conversations] db in
                    guard let before = try await conversations.find(conversationID, workspaceID: workspaceID, on: db) else { throw Problem.notFound("Conversation") }
                    let (write, row) = try await body(before, db, now)
                    return (try await writer.write(write, on: db), row)
                }
                await publish.committed(committed)
                return try await view(row, conversation: committed.conversation)
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while the complaint was saved; try again.")
    }

    func view(_ row: ComplaintRow, conversation: ConversationRecord) async throws -> ComplaintView {
        let facts = try await repository.facts(row, on: persistence.reader)
        var view = ComplaintView(row, conversation: conversation, milestone: ComplaintPolicy.progress(facts).current)
        view.sla = try await ServiceLevelWatches(persistence: persistence).summaries([conversation.id])[conversation.id]?.standing
        return view
    }
}
