import FluentKit
import Foundation
import Hummingbird
import KefuCore
import Mustache

/// The pages people see: the agent console, the chat widget script, the demo site.
struct WebRoutes {
    let services: KefuServices

    func addRoutes(to router: Router<KefuRequestContext>) {
        let assets: WebAssets
        do {
            assets = try WebAssets.load()
        } catch {
            // The API still serves without its pages, and the log says why.
            services.logger.error("web pages are unavailable: their resources could not be loaded", metadata: ["error": "\(error)"])
            return
        }
        let credentials = AgentCredentials(persistence: services.persistence)

        router.get("console") { request, context -> Response in
            let locale = WebLocale.choose(request)
            var agent: AgentPrincipal?
            if let cookie = request.cookies[Cookies.session]?.value, !cookie.isEmpty {
                agent = try? await credentials.principal(forToken: cookie, viaCookie: true)
            }
            let strings = assets.strings(locale)
            let page: [String: Any] = [
                "lang": locale.rawValue, "t": strings, "stringsJSON": WebAssets.scriptJSON(strings),
                "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "",
            ]
            let html = assets.render(agent == nil ? "login" : "console", page)
            return WebAssets.page(html, locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil)
        }

        router.get("demo") { request, context -> Response in
            let locale = WebLocale.choose(request)
            let token = try await demoInboxToken()
            let page: [String: Any] = [
                "lang": locale.rawValue, "t": assets.strings(locale), "inboxToken": token ?? "",
                "hasWidget": token != nil, "widgetLocale": locale == .zhHans ? "zh" : "en",
                "otherLang": locale.other.rawValue, "otherLangName": assets.strings(locale.other)["language_name"] ?? "",
            ]
            return WebAssets.page(assets.render("demo", page), locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil)
        }

        router.get("widget.js") { _, _ -> Response in
            // Any site may embed the widget, so this script is served to every origin.
            Response(status: .ok,
                     headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
                               .accessControlAllowOrigin: "*", .init("X-Content-Type-Options")!: "nosniff"],
                     body: .init(byteBuffer: ByteBuffer(string: assets.widgetScript)))
        }

        router.get("static/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let file = assets.publicFiles[name] else {
                throw Problem.notFound("File")
            }
            return Response(status: .ok,
                            headers: [.contentType: file.contentType, .cacheControl: "no-cache", .init("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(data: file.data)))
        }
    }

    /// The widget inbox of the demo workspace, so `/demo` always talks to a desk that exists.
    private func demoInboxToken() async throws -> String? {
        let db = services.persistence.db
        guard let workspace = try await WorkspaceRow.query(on: db).filter(\.$name == "Demo Wallet").sort(\.$id).first() else { return nil }
        return try await InboxRow.query(on: db).filter(\.$workspaceID == workspace.id!)
            .filter(\.$kind == InboxKind.widget.rawValue).sort(\.$id).first()?.publicToken
    }
}
