import Crypto
import FluentKit
import Foundation
import Hummingbird
import KefuText
import NIOCore
import SQLKit

/// The knowledge base's routes: the agents' API, the public help center and the console editor page.
struct KnowledgeBaseRoutes {
    let services: KefuServices

    func addRoutes(to router: Router<KefuRequestContext>, api: RouterGroup<KefuRequestContext>, agentAuth: AgentAuthenticator) {
        CategoriesController(services: services).addRoutes(to: api.group("categories").add(middleware: agentAuth))
        ArticlesController(services: services).addRoutes(to: api.group("articles").add(middleware: agentAuth))
        guard let assets = try? WebAssets.load() else {
            services.logger.error("the help center is unavailable: its resources could not be loaded")
            return
        }
        HelpCenter(services: services, assets: assets).addRoutes(to: router)
        ProgressPage(services: services, assets: assets).addRoutes(to: router)
        RatingPage(services: services, assets: assets).addRoutes(to: router)
        router.get("console/kb") { request, _ -> Response in
            let locale = WebLocale.choose(request)
            var signedIn = false
            if let cookie = request.cookies[Cookies.session]?.value, !cookie.isEmpty {
                signedIn = (try? await services.credentials.principal(forToken: cookie, viaCookie: true)) != nil
            }
            let strings = assets.strings(locale)
            let page: [String: Any] = [
                "lang": locale.rawValue, "t": strings, "stringsJSON": WebAssets.scriptJSON(strings),
                "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "",
            ]
            return WebAssets.page(assets.render(signedIn ? "kb" : "login", page), locale: locale,
                                  setLocaleCookie: request.uri.formParameters["lang"] != nil)
        }
    }
}

/// The public help center at `/help/<workspace>`: published articles only, in the visitor's
/// language, rendered on the server so it works without JavaScript.
struct HelpCenter {
    let services: KefuServices
    let assets: WebAssets

    static let visitorCookie = "kefu_visitor"
    static let maxQuery = 200

    func addRoutes(to router: Router<KefuRequestContext>) {
        router.get("help/:workspaceSlug") { request, context in try await home(request, context: context) }
        router.get("help/:workspaceSlug/search") { request, context in try await search(request, context: context) }
        router.get("help/:workspaceSlug/:locale/articles/:articleSlug") { request, context in try await article(request, context: context) }
        router.post("help/:workspaceSlug/articles/:id/vote") { request, context in try await vote(request, context: context) }
    }

    // MARK: - Pages

    private func home(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard let workspace = try await workspace(context) else { return notFound(locale) }
        let db = services.persistence.db
        let categories = try await CategoryRow.query(on: db).filter(\.$workspaceID == workspace.id!)
            .filter(\.$locale == locale.rawValue).sort(\.$position).sort(\.$name).all()
        let articles = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspace.id!)
            .filter(\.$locale == locale.rawValue).filter(\.$status == ArticleStatus.published.rawValue).sort(\.$title).all()
        func links(_ rows: [ArticleRow]) -> [[String: Any]] {
            rows.map { ["title": $0.title, "url": KnowledgeBase.url(workspace: workspace.slug, locale: $0.locale, slug: $0.slug)] }
        }
        let known = Set(categories.map { $0.id! })
        var sections: [[String: Any]] = categories.compactMap { category in
            let inside = articles.filter { $0.categoryID == category.id }
            guard !inside.isEmpty else { return nil }
            // Mustache shows a section for an empty string, so an absent description is left out.
            var section: [String: Any] = ["name": category.name, "articles": links(inside)]
            if let summary = category.summary, !summary.isEmpty { section["description"] = summary }
            return section
        }
        let loose = articles.filter { $0.categoryID == nil || !known.contains($0.categoryID!) }
        if !loose.isEmpty { sections.append(["name": assets.strings(locale)["help_other_articles"] ?? "", "articles": links(loose)]) }
        var page = base(locale, workspace: workspace, switchURL: "/help/\(workspace.slug)?lang=\(locale.other.rawValue)")
        page["home"] = ["sections": sections, "empty": sections.isEmpty] as [String: Any]
        return render(page, locale: locale, request: request)
    }

    private func search(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard let workspace = try await workspace(context) else { return notFound(locale) }
        // HTML forms send spaces as "+", which the query parser leaves as they are.
        let raw = (request.uri.formParameters["q"].map(String.init) ?? "").replacingOccurrences(of: "+", with: " ")
        let query = String(raw.unicodeScalars.filter { $0.value >= 0x20 }.map(Character.init).prefix(Self.maxQuery))
            .trimmingCharacters(in: .whitespaces)
        var results: [[String: Any]] = []
        if !query.isEmpty {
            let hits = try await services.knowledgeBase.search(workspaceID: workspace.id!, query: query, locale: locale.rawValue, limit: 20)
            results = hits.map { ["title": $0.title, "url": $0.url, "extract": $0.extract] }
        }
        var page = base(locale, workspace: workspace,
                        switchURL: "/help/\(workspace.slug)/search?lang=\(locale.other.rawValue)&q=\(Self.queryEscape(query))")
        page["query"] = query
        page["results"] = ["items": results, "none": results.isEmpty && !query.isEmpty, "asked": !query.isEmpty] as [String: Any]
        return render(page, locale: locale, request: request)
    }

    private func article(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let pathLocale = ArticleLocale(rawValue: context.parameters.get("locale") ?? "")
        let locale = pathLocale.flatMap { WebLocale(rawValue: $0.rawValue) } ?? WebLocale.choose(request)
        // An error page speaks the visitor's language, not that of an address that led nowhere.
        guard let workspace = try await workspace(context), let articleLocale = pathLocale,
              let slug = context.parameters.get("articleSlug"), Slug.isValid(slug) else { return notFound(WebLocale.choose(request)) }
        let db = services.persistence.db
        guard let row = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspace.id!)
            .filter(\.$locale == articleLocale.rawValue).filter(\.$slug == slug)
            .filter(\.$status == ArticleStatus.published.rawValue).first() else { return notFound(WebLocale.choose(request)) }
        let translation = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspace.id!)
            .filter(\.$translationGroup == row.translationGroup).filter(\.$locale == locale.other.rawValue)
            .filter(\.$status == ArticleStatus.published.rawValue).first()
        let switchURL = translation.map { KnowledgeBase.url(workspace: workspace.slug, locale: $0.locale, slug: $0.slug) }
            ?? "/help/\(workspace.slug)?lang=\(locale.other.rawValue)"
        var category: String?
        if let categoryID = row.categoryID {
            category = try await CategoryRow.query(on: db).filter(\.$workspaceID == workspace.id!).filter(\.$id == categoryID).first()?.name
        }
        var page = base(locale, workspace: workspace, switchURL: switchURL)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale == .zhHans ? "zh_Hans_CN" : "en_US")
        formatter.dateStyle = .long
        formatter.timeZone = TimeZone(identifier: "UTC")
        var article: [String: Any] = [
            "id": row.id!.uuidString, "title": row.title, "bodyHTML": Markdown.html(row.bodyMarkdown),
            "updated": formatter.string(from: Date(millisSince1970: row.updatedMillis)),
            "voted": request.uri.formParameters["voted"] != nil,
        ]
        if let category { article["category"] = category }
        page["article"] = article
        return render(page, locale: locale, request: request)
    }

    /// "Was this helpful?": a plain form post, counted once per visitor and article.
    private func vote(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let locale = WebLocale.choose(request)
        guard let workspace = try await workspace(context),
              let id = UUID(uuidString: context.parameters.get("id") ?? "") else { return notFound(locale) }
        if let origin = request.headers[.origin], let host = request.head.authority,
           URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true {
            throw Problem.forbidden("Votes are accepted only from the help center's own pages.")
        }
        let db = services.persistence.db
        guard let row = try await ArticleRow.query(on: db).filter(\.$workspaceID == workspace.id!).filter(\.$id == id)
            .filter(\.$status == ArticleStatus.published.rawValue).first() else { return notFound(locale) }
        let form: ByteBuffer
        do { form = try await request.body.collect(upTo: 1024) } catch { throw Problem(.contentTooLarge, "The form is too large.") }
        let fields = Self.formFields(String(buffer: form))
        guard let raw = fields["helpful"], let helpful = Bool(raw) else {
            throw Problem.badRequest("helpful must be true or false.")
        }
        var visitor = request.cookies[Self.visitorCookie]?.value ?? ""
        let newVisitor = visitor.count != 43 || !visitor.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        if newVisitor { visitor = Secrets.randomToken(prefix: "", bytes: 32) }
        try await recordVote(article: row, helpful: helpful, fingerprint: Self.fingerprint(visitor))

        let target = KnowledgeBase.url(workspace: workspace.slug, locale: row.locale, slug: row.slug) + "?voted=1#feedback"
        var response = Response(status: .seeOther, headers: [.location: target, .cacheControl: "no-store"])
        if newVisitor {
            response.setCookie(Cookie(name: Self.visitorCookie, value: visitor, maxAge: 365 * 24 * 3600, path: "/help",
                                      httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// Inserts the vote and bumps its counter in one transaction; a second vote by the same
    /// visitor meets the unique index and changes nothing.
    func recordVote(article: ArticleRow, helpful: Bool, fingerprint: String) async throws {
        let db = services.persistence.db
        let articleID = article.id!, workspaceID = article.workspaceID
        if try await ArticleVoteRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$articleID == articleID)
            .filter(\.$fingerprint == fingerprint).first() != nil { return }
        do {
            try await db.transaction { db in
                try await ArticleVoteRow(workspaceID: workspaceID, articleID: articleID, helpful: helpful, fingerprint: fingerprint).create(on: db)
                guard let sql = db as? any SQLDatabase else { return }
                let column = helpful ? "helpful_count" : "not_helpful_count"
                try await sql.update("articles")
                    .set(SQLIdentifier(column), to: SQLBinaryExpression(SQLIdentifier(column), .add, SQLLiteral.numeric("1")))
                    .where("id", .equal, articleID).where("workspace_id", .equal, workspaceID).run()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same visitor voting twice at once: the first one counts.
        }
    }

    // MARK: - Helpers

    private func base(_ locale: WebLocale, workspace: WorkspaceRow, switchURL: String) -> [String: Any] {
        [
            "lang": locale.rawValue, "t": assets.strings(locale), "otherLang": locale.other.rawValue,
            "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "switchURL": switchURL,
            "workspaceName": workspace.name, "slug": workspace.slug,
        ]
    }

    private func render(_ page: [String: Any], locale: WebLocale, request: Request) -> Response {
        WebAssets.page(assets.render("help", page), locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil)
    }

    private func notFound(_ locale: WebLocale) -> Response {
        let page: [String: Any] = [
            "lang": locale.rawValue, "t": assets.strings(locale), "notFound": true,
            "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "",
            "switchURL": "?lang=\(locale.other.rawValue)",
        ]
        var response = WebAssets.page(assets.render("help", page), locale: locale, setLocaleCookie: false)
        response.status = .notFound
        return response
    }

    private func workspace(_ context: KefuRequestContext) async throws -> WorkspaceRow? {
        guard let slug = context.parameters.get("workspaceSlug"), !slug.isEmpty, slug.count <= 100 else { return nil }
        return try await WorkspaceRow.query(on: services.persistence.db).filter(\.$slug == slug).first()
    }

    static func fingerprint(_ visitor: String) -> String {
        SHA256.hash(data: Data(("kefu-vote:" + visitor).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    static func queryEscape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
