import FluentKit
import Foundation
import KefuChain
import KefuCore
import KefuShield
import KefuText

/// What a customer message does, as data: the conversation as it leaves it, the events,
/// the desk's own messages after it, and the work that follows. Nothing is written yet.
struct Decision: Sendable {
    var write: ConversationWrite
    /// A person should take the conversation now; the commit routes it on what is stored then.
    var route: Bool
    var botSession: BotSessionChange?
    /// Quoted transactions to look up on the workspace's nodes.
    var lookups: [(chain: ChainKind, hash: String)]
    /// A complaint triage read in this message, to open once the conversation has its number.
    var complaint: ComplaintDetection? = nil

    var message: MessageRecord { write.messages[0] }
}

/// Theft, a hacked account, a scam, an exposed secret or a look-alike link: a person takes
/// these at once, the bot stays out, and the customer hears from the desk itself.
struct SecurityReport: Sendable, Equatable {
    static let reasons: Set<UrgencyReason> = [.theft, .accountTakeover, .scam, .unauthorisedTransfer]

    let secrets: [String]
    let lookalikes: Int
    let urgentBecause: [UrgencyReason]

    var isReport: Bool { !secrets.isEmpty || lookalikes > 0 || urgentBecause.contains(where: Self.reasons.contains) }
}

/// 4. decide: what the message causes — reopening, triage, priority, security warnings,
/// the answer bot or a hand-over, routing, chain lookups — computed from what was read,
/// before the one write that commits all of it.
struct DecideStep: Sendable {
    let persistence: Persistence
    let answerBot: AnswerBot

    func customerMessage(_ shielded: Shielded, understanding: Understanding, joining before: ConversationRecord?, now: Date) async throws -> Decision {
        let inbound = shielded.inbound
        var after = before ?? .opening(id: TimeOrderedID.make(now: now), workspaceID: inbound.workspaceID, inboxID: inbound.inboxID,
                                       contactID: inbound.contactID, now: now)
        var events: [EventRecord] = []
        func event(_ kind: ConversationEventKind, by actor: AuthorKind, _ data: [String: String] = [:]) {
            events.append(EventRecord(kind, in: after, by: actor, actor == .contact ? inbound.contactID : nil, data: data, at: now))
        }
        func raise(to priority: Priority, because reason: String) {
            guard after.priority < priority else { return }
            event(.priorityChanged, by: .system, ["from": after.priority.rawValue, "to": priority.rawValue, "reason": reason])
            after.priority = priority
        }

        if let before {
            let next = before.status.afterCustomerMessage
            if next != before.status {
                after.status = next
                if before.status == .resolved {
                    after.resolvedAt = nil
                    event(.reopened, by: .contact)
                } else {
                    event(.statusChanged, by: .contact, ["from": before.status.rawValue, "to": next.rawValue])
                }
            }
        } else {
            event(.created, by: .contact)
        }
        after.lastActivityMillis = now.millisSince1970
        after.updatedAt = now

        // Triage.
        if after.language == nil { after.language = understanding.language }
        after.sentiment = understanding.sentiment
        if before == nil, let category = understanding.category {
            after.category = category
            after.categorySource = .model
        }
        if !understanding.urgentBecause.isEmpty { raise(to: .urgent, because: understanding.urgentBecause.map(\.rawValue).joined(separator: ",")) }

        // What the shield found: a secret makes the conversation urgent, a look-alike link high.
        let secrets = shielded.redactedSecrets
        if !secrets.isEmpty {
            event(.secretRedacted, by: .system, ["kinds": secrets.joined(separator: ",")])
            raise(to: .urgent, because: "secret_exposed")
        }
        let lookalikes = shielded.lookalikeHosts
        for found in lookalikes { event(.phishingLink, by: .system, ["host": found.host]) }
        if !lookalikes.isEmpty { raise(to: .high, because: ConversationEventKind.phishingLink.rawValue) }

        var message = MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: inbound.workspaceID, conversationID: after.id,
                                    authorKind: .contact, authorID: inbound.contactID, body: inbound.text, isPrivate: false, createdAt: now)
        message.channelMessageID = inbound.channelMessageID
        message.idempotencyKey = inbound.idempotencyKey
        message.metadata = shielded.metadata
        var write = ConversationWrite(before: before, after: after, messages: [message], events: events)

        // A complaint goes to a person, never to the bot; looked up only when one is read.
        let complaint = try await newComplaint(understanding.complaint, text: SecretPlaceholder.removed(from: inbound.text), in: before, workspaceID: inbound.workspaceID)
        if let complaint {
            switch complaint.severity {
            case .critical: raise(to: .urgent, because: "complaint")
            case .major: raise(to: .high, because: "complaint")
            case .minor: break
            }
        }
        write.after = after
        write.events = events

        let report = SecurityReport(secrets: secrets, lookalikes: lookalikes.count, urgentBecause: understanding.urgentBecause)
        var session: BotSessionChange?
        var route = before == nil
        // A resolved conversation the customer writes in again goes back to its agent only
        // if they are online with room: routing decides.
        let reopened = before.map { !$0.status.isActive } ?? false
        // Only a message the desk may answer needs the contact's locale read.
        let mayAnswer = report.isReport || before == nil || before?.status == .pending
        let chinese = mayAnswer ? try await after.answersInChinese(on: persistence.reader) : LocaleTag.isChinese(after.language)
        if report.isReport {
            // The desk speaks for itself, in the customer's language, before anything else.
            if !secrets.isEmpty { write.say(SecurityWarning.text(chinese: chinese, kinds: secrets), as: .system, at: now) }
            if !lookalikes.isEmpty {
                write.say(PhishingWarning.text(chinese: chinese, hosts: lookalikes, officialDomains: shielded.officialDomains), as: .system, at: now)
            }
            if secrets.isEmpty && lookalikes.isEmpty { write.say(SecurityReportNotice.text(chinese: chinese), as: .system, at: now) }
            // A bot waiting on "did this solve it?" steps aside without a word.
            if before?.status == .pending, try await awaitsBotFeedback(after) {
                _ = AnswerBot.Decision.handOver(.securityReport, notice: nil).apply(to: &write, session: &session, now: now)
            }
            route = true
        } else if complaint != nil {
            if before?.status == .pending, try await awaitsBotFeedback(after) {
                _ = AnswerBot.Decision.handOver(.complaint, notice: nil).apply(to: &write, session: &session, now: now)
            }
            route = true
        } else {
            let bot = await answerBot.decide(.init(conversation: write.after, before: before, text: inbound.text, chinese: chinese))
            let outcome = bot.apply(to: &write, session: &session, now: now)
            route = (before == nil && !outcome.holds) || outcome.handedOver || (reopened && !outcome.holds)
        }
        return Decision(write: write, route: route && (write.after.assigneeID == nil || reopened), botSession: session,
                        lookups: try await lookups(shielded.findings, workspaceID: inbound.workspaceID), complaint: complaint)
    }

    /// A detected complaint the workspace wants opened: not when detection is off, nor in a
    /// conversation that is one already or that an agent said is not one, nor on the strength
    /// of phrases its agents taught it to ignore.
    private func newComplaint(_ detection: ComplaintDetection?, text: String, in conversation: ConversationRecord?, workspaceID: UUID) async throws -> ComplaintDetection? {
        guard let detection else { return nil }
        let policy = try await ComplaintSettings.policy(workspaceID: workspaceID, on: persistence.reader)
        guard policy.detect else { return nil }
        if let conversation, try await ComplaintRepository().find(conversationID: conversation.id, on: persistence.reader) != nil { return nil }
        let ignored = Set(policy.ignoredPhrases)
        guard !ignored.isDisjoint(with: detection.phrases) else { return detection }
        return ComplaintDetector.detect(text, ignoring: ignored)
    }

    private func awaitsBotFeedback(_ conversation: ConversationRecord) async throws -> Bool {
        try await BotSessionRow.query(on: persistence.reader).filter(\.$conversationID == conversation.id)
            .filter(\.$state == AnswerBot.SessionState.awaitingFeedback.rawValue).first() != nil
    }

    /// Each quoted hash on each plausible chain the workspace has a node for.
    private func lookups(_ findings: [Finding], workspaceID: UUID) async throws -> [(chain: ChainKind, hash: String)] {
        let wanted = findings.filter { $0.kind == .txHash }.prefix(ChainLookups.maxHashesPerMessage).flatMap(ChainLookups.candidates(for:))
        guard !wanted.isEmpty else { return [] }
        let configured = Set(try await ChainEndpointRow.query(on: persistence.reader).filter(\.$workspaceID == workspaceID).all().map(\.chain))
        var seen = Set<String>()
        return wanted.filter { configured.contains($0.chain.rawValue) && seen.insert($0.chain.rawValue + $0.hash).inserted }
    }
}

extension ConversationWrite {
    /// Adds a message from the desk (a warning, the bot) after the ones already written.
    mutating func say(_ text: String, as author: AuthorKind, at now: Date) {
        messages.append(MessageRecord(id: TimeOrderedID.make(now: now), workspaceID: after.workspaceID, conversationID: after.id,
                                      authorKind: author, authorID: nil, body: text, isPrivate: false, createdAt: now))
    }
}
