import FluentKit
import Foundation
import Hummingbird
import KefuCore
import KefuText
import SQLKit

/// Complaints: agents mark, escalate and resolve them and read the register; owners and
/// admins set the rules; the widget finds the customer's own and a link to its progress.
struct ComplaintsController {
    let services: KefuServices

    struct MarkInput: Decodable { let severity: String? }
    struct EscalateInput: Decodable { let teamId: String?; let reason: String? }
    struct ResolveInput: Decodable { let summary: String? }
    struct SettingsInput: Decodable { let followUpDays: Int?; let reopenDays: Int?; let replyHours: Int?; let detect: Bool?; let ignoredPhrases: [String]? }
    struct SettingsView: ResponseCodable, Sendable {
        let followUpDays: Int; let reopenDays: Int; let replyHours: Int; let detect: Bool
        /// Detector phrases agents taught this workspace to ignore by saying "not a complaint".
        let ignoredPhrases: [String]
    }
    struct LinkView: ResponseCodable, Sendable { let url: String }
    struct Register: ResponseCodable, Sendable {
        let items: [ComplaintView]
        let nextCursor: String?
    }

    static let maxReason = 1_000
    static let maxSummary = 4_000

    var desk: ComplaintDesk { services.complaints }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("complaints", use: register)
        group.get("complaint-settings", use: settings)
        group.patch("complaint-settings", use: updateSettings)
        group.get("conversations/:id/complaint", use: show)
        group.post("conversations/:id/complaint", use: mark)
        group.delete("conversations/:id/complaint", use: withdraw)
        group.post("conversations/:id/complaint/escalate", use: escalate)
        group.post("conversations/:id/complaint/resolve", use: resolve)
    }

    func addVisitorRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("complaints", use: mine)
        group.post("complaints/:id/link", use: link)
    }

    // MARK: agents

    /// Complaints by age, oldest first: `state` open (the default), escalated, resolved or all;
    /// `severity`, `teamId` narrow it.
    @Sendable func register(_ request: Request, context: KefuRequestContext) async throws -> Register {
        let agent = try context.requireAgent()
        let page = try PageRequest(request)
        let params = request.uri.formParameters
        let db = services.persistence.reader
        var query = ComplaintRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$withdrawnMillis == nil)
        let state = params["state"].map(String.init) ?? "open"
        // Open means its conversation is still being worked on: a customer's answer to the
        // check-back reopens the conversation, and with it the complaint.
        let active = ConversationStatus.allCases.filter(\.isActive).map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let working: SQLQueryString = "conversation_id IN (SELECT id FROM conversations WHERE workspace_id = \(bind: agent.workspaceID) AND status IN (\(active)))"
        switch state {
        case "open": query = query.filter(.sql(embed: working))
        case "escalated": query = query.filter(.sql(embed: working)).filter(\.$escalatedMillis != nil)
        case "resolved": query = query.filter(.sql(embed: "NOT (" + working + ")")).filter(\.$resolvedMillis != nil)
        case "all": break
        default: throw Problem.badRequest("state must be open, escalated, resolved or all.")
        }
        if let raw = params["severity"].map(String.init) {
            guard let severity = ComplaintSeverity(rawValue: raw) else { throw Problem.badRequest("severity must be minor, major or critical.") }
            query = query.filter(\.$severityRaw == severity.rawValue)
        }
        if let raw = params["teamId"].map(String.init) {
            guard let team = UUID(uuidString: raw) else { throw Problem.badRequest("teamId must be a team's id.") }
            query = query.filter(\.$escalatedTeamID == team)
        }
        if let cursor = page.cursor {
            let parts = try Cursor.decode(cursor, parts: 2)
            guard let millis = Int64(parts[0]), let id = UUID(uuidString: parts[1]) else { throw Problem.badRequest("cursor is not one this server handed out.") }
            query = query.group(.or) { later in
                later.filter(\.$openedMillis > millis)
                later.group(.and) { same in same.filter(\.$openedMillis == millis).filter(\.$id > id) }
            }
        }
        let rows = try await query.sort(\.$openedMillis).sort(\.$id).limit(page.limit + 1).all()
        let shown = Array(rows.prefix(page.limit))
        let conversations = try await ConversationRepository().findMany(shown.map(\.conversationID), on: db)
        var items: [ComplaintView] = []
        for row in shown {
            guard let conversation = conversations[row.conversationID] else { continue }
            items.append(try await desk.view(row, conversation: conversation))
        }
        let next = rows.count > page.limit ? shown.last.map { Cursor.encode(["\($0.openedMillis)", $0.id!.uuidString]) } : nil
        return Register(items: items, nextCursor: next)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ComplaintView {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let db = services.persistence.reader
        guard let conversation = try await ConversationRepository().find(id, workspaceID: agent.workspaceID, on: db) else { throw Problem.notFound("Conversation") }
        guard let row = try await ComplaintRepository().active(conversationID: id, on: db) else {
            throw Problem(.notFound, "This conversation is not a complaint.")
        }
        return try await desk.view(row, conversation: conversation)
    }

    @Sendable func mark(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<ComplaintView> {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let input = try await request.decodeJSON(MarkInput.self, context: context)
        var validation = Validation()
        let severity = validation.enumValue(input.severity, as: ComplaintSeverity.self, field: "severity") ?? .major
        try validation.check()
        return EditedResponse(status: .created, response: try await desk.mark(id, severity: severity, by: agent))
    }

    @Sendable func withdraw(_ request: Request, context: KefuRequestContext) async throws -> ComplaintView {
        let agent = try context.requireAgent()
        return try await desk.withdraw(try context.uuidParameter("id", what: "Conversation"), by: agent)
    }

    @Sendable func escalate(_ request: Request, context: KefuRequestContext) async throws -> ComplaintView {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let input = try await request.decodeJSON(EscalateInput.self, context: context)
        var validation = Validation()
        let team = input.teamId.flatMap(UUID.init(uuidString:))
        if team == nil { validation.fail("teamId", "the team that takes it over / 请选择接手的团队") }
        let reason = validation.text(input.reason, field: "reason", max: Self.maxReason, required: true)
        try validation.check()
        return try await desk.escalate(id, to: team!, reason: reason!, by: agent)
    }

    @Sendable func resolve(_ request: Request, context: KefuRequestContext) async throws -> ComplaintView {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let input = try await request.decodeJSON(ResolveInput.self, context: context)
        var validation = Validation()
        let summary = validation.text(input.summary, field: "summary", max: Self.maxSummary, required: true)
        try validation.check()
        return try await desk.resolve(id, summary: summary!, by: agent)
    }

    @Sendable func settings(_ request: Request, context: KefuRequestContext) async throws -> SettingsView {
        let agent = try context.requireAgent()
        return Self.view(try await ComplaintSettings.policy(workspaceID: agent.workspaceID, on: services.persistence.reader))
    }

    @Sendable func updateSettings(_ request: Request, context: KefuRequestContext) async throws -> SettingsView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(SettingsInput.self, context: context)
        var policy = try await ComplaintSettings.policy(workspaceID: agent.workspaceID, on: services.persistence.reader)
        var validation = Validation()
        if let days = input.followUpDays {
            if ComplaintPolicy.daysRange.contains(days) { policy.followUpDays = days } else { validation.fail("followUpDays", "between 0 (never) and 90 days / 应在 0（不回访）到 90 天之间") }
        }
        if let days = input.reopenDays {
            if ComplaintPolicy.daysRange.contains(days) { policy.reopenDays = days } else { validation.fail("reopenDays", "between 0 and 90 days / 应在 0 到 90 天之间") }
        }
        if let hours = input.replyHours {
            if ComplaintPolicy.replyHoursRange.contains(hours) { policy.replyHours = hours } else { validation.fail("replyHours", "between 1 and 720 hours / 应在 1 到 720 小时之间") }
        }
        if let detect = input.detect { policy.detect = detect }
        if let phrases = input.ignoredPhrases {
            let known = ComplaintLearning.phrases
            let unknown = phrases.filter { !known.contains($0) }
            if !unknown.isEmpty { validation.fail("ignoredPhrases", "not phrases the detector knows: \(unknown.joined(separator: ", ")) / 检测器中没有这些词") }
            let kept = Array(Set(phrases)).sorted()
            // A phrase taken off the list needs fresh "not a complaint"s to be ignored again.
            if !Set(policy.ignoredPhrases).subtracting(kept).isEmpty { policy.learnedSince = services.configuration.clock.now() }
            policy.ignoredPhrases = kept
        }
        try validation.check()
        let saved = policy
        try await services.persistence.transaction { db in try await ComplaintSettings.save(saved, workspaceID: agent.workspaceID, on: db) }
        return Self.view(saved)
    }

    static func view(_ policy: ComplaintPolicy) -> SettingsView {
        SettingsView(followUpDays: policy.followUpDays, reopenDays: policy.reopenDays, replyHours: policy.replyHours, detect: policy.detect,
                     ignoredPhrases: policy.ignoredPhrases)
    }

    // MARK: the customer's widget

    /// The customer's complaints in this inbox, newest first.
    @Sendable func mine(_ request: Request, context: KefuRequestContext) async throws -> Register {
        let visitor = try context.requireVisitor()
        let db = services.persistence.reader
        let rows = try await ComplaintRepository().forContact(visitor.contactID, on: db)
        let conversations = try await ConversationRepository().findMany(rows.map(\.conversationID), on: db)
        var items: [ComplaintView] = []
        for row in rows {
            guard let conversation = conversations[row.conversationID], conversation.inboxID == visitor.inboxID else { continue }
            items.append(try await desk.view(row, conversation: conversation).forCustomer)
        }
        return Register(items: items, nextCursor: nil)
    }

    /// A new link to the progress page, for the customer to open or keep.
    @Sendable func link(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<LinkView> {
        let visitor = try context.requireVisitor()
        let id = try context.uuidParameter("id", what: "Complaint")
        let url = try await services.persistence.transaction { [services] db -> String in
            guard let row = try await ComplaintRow.find(id, on: db), row.contactID == visitor.contactID, row.isActive,
                  let workspace = try await WorkspaceRow.find(row.workspaceID, on: db) else { throw Problem.notFound("Complaint") }
            let token = try await ComplaintRepository().makeLink(id, now: services.configuration.clock.now(), on: db)
            return ProgressPage.url(base: services.configuration.publicBaseURL, workspaceSlug: workspace.slug, token: token)
        }
        return EditedResponse(status: .created, response: LinkView(url: url))
    }
}

extension ComplaintView {
    /// What the customer may see of their own complaint: not the team's reasons or who opened it.
    var forCustomer: ComplaintView {
        var shown = self
        shown.escalationReason = nil
        shown.openedBy = nil
        return shown
    }
}
