import FluentKit
import Foundation
import Hummingbird
import KefuChain

/// The console's settings area: one page per thing an admin configures. Each page is a
/// template filled with the strings of the reader's language and a script that talks to
/// the same API an integration would, so a page can never accept what the API refuses.
struct SettingsRoutes {
    let services: KefuServices
    static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let priorities = ["urgent", "high", "normal", "low"]
    /// The settings area's sections, in the order its navigation lists them.
    static let sections = ["agents", "inboxes", "routing", "schedules", "sla", "feedback", "complaints", "canned", "macros", "glossary", "webhooks", "tokens", "channels", "chain", "kb"]

    func addRoutes(to router: Router<KefuRequestContext>) {
        guard let assets = try? WebAssets.load() else {
            services.logger.error("the console's settings pages are unavailable: their resources could not be loaded")
            return
        }
        let deskURL = services.configuration.publicURL.map { _ in services.configuration.publicBaseURL } ?? ""
        router.get("console/settings") { request, _ in try await page("settings", request, assets: assets) }
        router.get("console/agents") { request, _ in try await page("agents", request, assets: assets) }
        router.get("console/inboxes") { request, _ in
            try await page("inboxes", request, assets: assets) { _ in ["deskURL": deskURL] }
        }
        router.get("console/feedback") { request, _ in try await page("feedback", request, assets: assets) }
        router.get("console/complaints") { request, _ in try await page("complaints", request, assets: assets) }
        router.get("console/canned") { request, _ in try await page("canned", request, assets: assets) }
        router.get("console/reports") { request, _ in try await page("reports", request, assets: assets) }
        router.get("console/macros") { request, _ in try await page("macros", request, assets: assets) }
        router.get("console/glossary") { request, _ in try await page("glossary", request, assets: assets) }
        router.get("console/tokens") { request, _ in try await page("tokens", request, assets: assets) }
        router.get("console/chain") { request, _ in
            try await page("chain", request, assets: assets) { strings in
                ["chains": ChainKind.allCases.map { ["key": $0.rawValue, "name": strings["chain_\($0.rawValue)"] ?? $0.rawValue,
                                                      "hint": strings["chain_\($0.rawValue)_hint"] ?? ""] }]
            }
        }
        router.get("console/channels") { request, _ in try await page("channels", request, assets: assets) }
        router.get("console/webhooks") { request, _ in try await page("webhooks", request, assets: assets) }
        router.get("console/routing") { request, _ in try await page("routing", request, assets: assets) }
        router.get("console/sla") { request, _ in
            try await page("sla", request, assets: assets) { strings in
                ["priorities": Self.priorities.map { ["key": $0, "name": strings["priority_\($0)"] ?? $0] }]
            }
        }
        router.get("console/schedules") { request, _ in
            try await page("schedules", request, assets: assets) { strings in
                ["days": Self.days.map { day -> [String: Any] in
                    ["key": day, "name": strings["schedules_\(day)"] ?? day, "placeholder": ["sat", "sun"].contains(day) ? "" : "09:00-12:00, 13:00-18:00"]
                }]
            }
        }
    }

    /// A settings page for the signed-in agent; signed-out visitors go to the sign-in page.
    private func page(_ template: String, _ request: Request, assets: WebAssets,
                      extra: ([String: String]) -> [String: Any] = { _ in [:] }) async throws -> Response {
        guard let cookie = request.cookies[Cookies.session]?.value, !cookie.isEmpty,
              let agent = try? await services.credentials.principal(forToken: cookie, viaCookie: true),
              let workspace = try await WorkspaceRow.find(agent.workspaceID, on: services.persistence.db) else {
            return Response(status: .seeOther, headers: [.location: "/console"])
        }
        let locale = WebLocale.choose(request)
        let strings = assets.strings(locale)
        var page: [String: Any] = [
            "lang": locale.rawValue, "t": strings, "stringsJSON": WebAssets.scriptJSON(strings), "slug": workspace.slug,
            "canEdit": agent.role.canAdminister, "isOwner": agent.role == .owner, "otherLang": locale.other.rawValue,
            "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "path": request.uri.path,
        ]
        page["settingsNav"] = Self.sections.map { section -> [String: Any] in
            ["href": "/console/\(section)", "name": strings["settings_nav_\(section)"] ?? section, "current": request.uri.path == "/console/\(section)"]
        }
        page.merge(extra(strings)) { _, new in new }
        return WebAssets.page(assets.render(template, page), locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil)
    }
}
