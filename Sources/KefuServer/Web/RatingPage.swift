import FluentKit
import Foundation
import Hummingbird
import KefuCore
import NIOCore

/// The page a rating link opens: `/help/<workspace>/r/<token>`. Opening it never votes —
/// mail scanners open every link — the customer confirms their score with a button.
struct RatingPage {
    let services: KefuServices
    let assets: WebAssets
    private let limiter = VerifyRateLimiter(perMinute: 60)

    func addRoutes(to router: Router<KefuRequestContext>) {
        router.get("help/:workspaceSlug/r/:token") { request, context in try await show(request, context: context) }
        router.post("help/:workspaceSlug/r/:token") { request, context in try await rate(request, context: context) }
    }

    private func find(_ context: KefuRequestContext) async throws -> (SurveyRow, WorkspaceRow, Int)? {
        guard let slug = context.parameters.get("workspaceSlug"), let token = context.parameters.get("token") else { return nil }
        let db = services.persistence.reader
        guard let workspace = try await WorkspaceRow.query(on: db).filter(\.$slug == slug).first(),
              let survey = try await services.satisfaction.open(.token(token), now: services.configuration.clock.now()),
              survey.workspaceID == workspace.id,
              let conversation = try await ConversationRepository().find(survey.conversationID, workspaceID: workspace.id!, on: db) else { return nil }
        return (survey, workspace, conversation.number)
    }

    private func show(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard limiter.admit(context.clientAddress ?? "local") else { return page(["problem": assets.strings(locale)["progress_error_busy"] ?? ""], locale: locale, status: .tooManyRequests) }
        guard let (survey, workspace, number) = try await find(context) else { return page(["closed": true], locale: locale, status: .notFound) }
        // A score in the link (a mail's five buttons) is only preselected: the post records it.
        let wanted = request.uri.formParameters["score"].flatMap { Int(String($0)) }.flatMap(Rating.init)?.score ?? survey.rating
        var values: [String: Any] = [
            "workspaceName": workspace.name, "number": number, "comment": survey.comment ?? "",
        ]
        if let wanted { values["chosen\(wanted)"] = true }
        if request.uri.formParameters["done"] != nil { values["done"] = true }
        if let rating = survey.rating { values["rated"] = String(rating) }
        return page(values, locale: locale, status: .ok)
    }

    private func rate(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard limiter.admit(context.clientAddress ?? "local") else { return page(["problem": assets.strings(locale)["progress_error_busy"] ?? ""], locale: locale, status: .tooManyRequests) }
        if SecretLinkPages.isForeign(request) { throw Problem.forbidden("This form is accepted only from its own page.") }
        guard let (survey, _, _) = try await find(context) else { return page(["closed": true], locale: locale, status: .notFound) }
        let form: ByteBuffer
        do { form = try await request.body.collect(upTo: 8 * 1024) } catch { throw Problem(.contentTooLarge, "The form is too large.") }
        let fields = HelpCenter.formFields(String(buffer: form))
        guard let rating = fields["rating"].flatMap(Int.init).flatMap(Rating.init) else {
            return page(["problem": assets.strings(locale)["progress_error_rating"] ?? ""], locale: locale, status: .unprocessableContent)
        }
        let comment = fields["comment"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(Rating.maxComment)) }.flatMap { $0.isEmpty ? nil : $0 }
        _ = try await services.satisfaction.rate(survey, rating: rating, comment: comment, now: services.configuration.clock.now())
        return SecretLinkPages.kept(Response(status: .seeOther, headers: [.location: request.uri.path + "?done=1&lang=\(locale.rawValue)"]))
    }

    private func page(_ values: [String: Any], locale: WebLocale, status: HTTPResponse.Status) -> Response {
        var page: [String: Any] = [
            "lang": locale.rawValue, "t": assets.strings(locale), "otherLang": locale.other.rawValue,
            "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "switchURL": "?lang=\(locale.other.rawValue)",
        ]
        page.merge(values) { _, new in new }
        var response = SecretLinkPages.kept(WebAssets.page(assets.render("rating", page), locale: locale, setLocaleCookie: false))
        response.status = status
        return response
    }
}
