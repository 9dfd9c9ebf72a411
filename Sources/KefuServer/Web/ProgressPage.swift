import FluentKit
import Foundation
import Hummingbird
import KefuCore
import NIOCore

/// The customer's page for following a complaint: `/help/<workspace>/t/<token>`. The token
/// is the only key (kept hashed, never indexed, never sent on as a referrer); what the
/// customer adds goes through the pipeline like any message, so it is shielded too.
struct ProgressPage {
    let services: KefuServices
    let assets: WebAssets
    private let limiter = VerifyRateLimiter(perMinute: 60)

    static func url(base: String, workspaceSlug: String, token: String) -> String { "\(base)/help/\(workspaceSlug)/t/\(token)" }

    static let maxText = 4_000

    func addRoutes(to router: Router<KefuRequestContext>) {
        router.get("help/:workspaceSlug/t/:token") { request, context in try await show(request, context: context) }
        router.post("help/:workspaceSlug/t/:token") { request, context in try await act(request, context: context) }
    }

    private struct Found {
        let complaint: ComplaintRow
        let conversation: ConversationRecord
        let workspace: WorkspaceRow
        let token: String
    }

    private func find(_ request: Request, context: KefuRequestContext) async throws -> Found? {
        guard let slug = context.parameters.get("workspaceSlug"), let token = context.parameters.get("token") else { return nil }
        let db = services.persistence.reader
        guard let workspace = try await WorkspaceRow.query(on: db).filter(\.$slug == slug).first(),
              let complaint = try await ComplaintRepository().find(token: token, on: db), complaint.workspaceID == workspace.id,
              let conversation = try await ConversationRepository().find(complaint.conversationID, workspaceID: workspace.id!, on: db) else { return nil }
        return Found(complaint: complaint, conversation: conversation, workspace: workspace, token: token)
    }

    private func show(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard limiter.admit(context.clientAddress ?? "local") else { return tooMany(locale) }
        guard let found = try await find(request, context: context) else { return notFound(locale) }
        let t = assets.strings(locale)
        let now = services.configuration.clock.now()
        let db = services.persistence.reader
        let facts = try await ComplaintRepository().facts(found.complaint, on: db)
        let progress = ComplaintPolicy.progress(facts)
        let reached = Dictionary(progress.reached.map { ($0.milestone, $0.at) }, uniquingKeysWith: { first, _ in first })
        let zone = try await zone(found.conversation)
        let milestones: [[String: Any]] = ComplaintMilestone.allCases.compactMap { milestone in
            // "Waiting for you" and "escalated" are shown only when they happened.
            if (milestone == .waitingForCustomer || milestone == .escalated) && reached[milestone] == nil { return nil }
            var entry: [String: Any] = ["name": t["progress_milestone_\(milestone.rawValue)"] ?? milestone.rawValue, "key": milestone.rawValue]
            if let at = reached[milestone] { entry["at"] = ComplaintTexts.time(at, in: zone); entry["done"] = true }
            if milestone == progress.current { entry["current"] = true }
            return entry
        }
        let messages = try await MessageRow.query(on: db).filter(\.$conversationID == found.conversation.id).filter(\.$isPrivate == false)
            .sort(\.$id).limit(200).all()
        let shown: [[String: Any]] = messages.map { message in
            let kind = AuthorKind(rawValue: message.authorKind) ?? .system
            let who = switch kind {
            case .contact: t["progress_you"] ?? ""
            case .agent: t["progress_agent"] ?? ""
            case .bot, .system: t["progress_desk"] ?? ""
            }
            return ["who": who, "text": message.body, "at": message.createdAt.map { ComplaintTexts.time($0, in: zone) } ?? "", "mine": kind == .contact]
        }
        let policy = try await ComplaintSettings.policy(workspaceID: found.workspace.id!, on: db)
        let resolved = found.complaint.resolvedMillis.map(Date.init(millisSince1970:))
        let isResolved = !found.conversation.status.isActive && resolved != nil
        let mayReopen = isResolved && found.conversation.status == .resolved && policy.mayReopen(resolvedAt: resolved!, now: now)
        var page: [String: Any] = [
            "lang": locale.rawValue, "t": t, "otherLang": locale.other.rawValue,
            "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "switchURL": "?lang=\(locale.other.rawValue)",
            "workspaceName": found.workspace.name, "slug": found.workspace.slug,
            "action": "/help/\(found.workspace.slug)/t/\(found.token)",
            "number": found.conversation.number, "milestones": milestones, "messages": shown,
            "severity": found.complaint.severity.displayName.text(for: locale.rawValue),
            "nonce": Secrets.randomToken(prefix: "", bytes: 12),
        ]
        if found.conversation.status.isActive {
            page["replyDue"] = ComplaintTexts.time(Date(millisSince1970: found.complaint.replyDueMillis), in: zone)
            page["mayAdd"] = true
        }
        if isResolved, let summary = found.complaint.summary { page["summary"] = summary }
        if isResolved && found.complaint.confirmedMillis == nil { page["mayConfirm"] = true }
        if found.complaint.confirmedMillis != nil { page["confirmed"] = true }
        if mayReopen { page["mayReopen"] = true }
        if let survey = try await services.satisfaction.open(.contact(found.complaint.contactID, inboxID: found.conversation.inboxID), now: now),
           survey.conversationID == found.conversation.id {
            page["survey"] = true
            if let rating = survey.rating { page["chosen\(rating)"] = true }
        }
        if let done = request.uri.formParameters["done"].map(String.init), ["added", "confirmed", "reopened", "rated"].contains(done) {
            page["done"] = t["progress_done_\(done)"] ?? ""
        }
        return respond(WebAssets.page(assets.render("progress", page), locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil))
    }

    private func act(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard limiter.admit(context.clientAddress ?? "local") else { return tooMany(locale) }
        if SecretLinkPages.isForeign(request) { throw Problem.forbidden("This form is accepted only from its own page.") }
        guard let found = try await find(request, context: context) else { return notFound(locale) }
        let form: ByteBuffer
        do { form = try await request.body.collect(upTo: 64 * 1024) } catch { throw Problem(.contentTooLarge, "The form is too large.") }
        let fields = HelpCenter.formFields(String(buffer: form))
        let now = services.configuration.clock.now()
        let back = "/help/\(found.workspace.slug)/t/\(found.token)?lang=\(locale.rawValue)"
        let t = assets.strings(locale)
        func failed(_ key: String) -> Response { message(t[key] ?? key, locale: locale, back: back, status: .unprocessableContent) }
        switch fields["action"] {
        case "add", "reopen":
            let text = (fields["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return failed("progress_error_empty") }
            guard text.count <= Self.maxText else { return failed("progress_error_long") }
            if fields["action"] == "reopen" {
                let policy = try await ComplaintSettings.policy(workspaceID: found.workspace.id!, on: services.persistence.reader)
                guard found.conversation.status == .resolved, let resolved = found.complaint.resolvedMillis,
                      policy.mayReopen(resolvedAt: Date(millisSince1970: resolved), now: now) else { return failed("progress_error_reopen") }
            } else if !found.conversation.status.isActive {
                return failed("progress_error_closed")
            }
            // The form's nonce makes a double submit (or a retried post) one message.
            let nonce = String((fields["nonce"] ?? "").prefix(40))
            _ = try await services.pipeline.receive(Inbound(workspaceID: found.workspace.id!, inboxID: found.conversation.inboxID,
                                                            contactID: found.complaint.contactID, text: text,
                                                            idempotencyKey: nonce.isEmpty ? nil : "progress:\(found.complaint.id!.uuidString):\(nonce)"))
            return redirect(back + "&done=" + (fields["action"] == "reopen" ? "reopened" : "added"))
        case "confirm":
            do { _ = try await services.complaints.confirm(found.complaint) } catch let problem as Problem where problem.status == .conflict {
                return failed("progress_error_confirm")
            }
            return redirect(back + "&done=confirmed")
        case "rate":
            guard let rating = fields["rating"].flatMap(Int.init).flatMap(Rating.init) else { return failed("progress_error_rating") }
            let comment = fields["comment"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Rating.maxComment)) }.flatMap { $0.isEmpty ? nil : $0 }
            guard let survey = try await services.satisfaction.open(.contact(found.complaint.contactID, inboxID: found.conversation.inboxID), now: now),
                  survey.conversationID == found.conversation.id else { return failed("progress_error_survey") }
            _ = try await services.satisfaction.rate(survey, rating: rating, comment: comment, now: now)
            return redirect(back + "&done=rated")
        default:
            throw Problem.badRequest("action must be add, reopen, confirm or rate.")
        }
    }

    /// The schedule's zone for the conversation, so times read as the team's promises do.
    private func zone(_ conversation: ConversationRecord) async throws -> TimeZone {
        let rules = try await ServiceLevelRules.load(workspaceID: conversation.workspaceID, persistence: services.persistence)
        return rules.schedule(inboxID: conversation.inboxID, teamID: conversation.teamID).schedule.timeZone
    }

    private func respond(_ response: Response) -> Response { SecretLinkPages.kept(response) }

    private func redirect(_ location: String) -> Response {
        respond(Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"]))
    }

    private func message(_ text: String, locale: WebLocale, back: String, status: HTTPResponse.Status) -> Response {
        let page: [String: Any] = [
            "lang": locale.rawValue, "t": assets.strings(locale), "problem": text, "back": back,
            "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "switchURL": back,
        ]
        var response = respond(WebAssets.page(assets.render("progress", page), locale: locale, setLocaleCookie: false))
        response.status = status
        return response
    }

    private func notFound(_ locale: WebLocale) -> Response {
        let page: [String: Any] = [
            "lang": locale.rawValue, "t": assets.strings(locale), "notFound": true,
            "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "",
            "switchURL": "?lang=\(locale.other.rawValue)",
        ]
        var response = respond(WebAssets.page(assets.render("progress", page), locale: locale, setLocaleCookie: false))
        response.status = .notFound
        return response
    }

    private func tooMany(_ locale: WebLocale) -> Response {
        var response = message(assets.strings(locale)["progress_error_busy"] ?? "", locale: locale, back: "", status: .tooManyRequests)
        response.headers[.retryAfter] = "60"
        return response
    }
}
