import FluentKit
import Foundation
import Hummingbird
import KefuShield
import Synchronization

/// "Is this really you?": the public check of a link, email address, Telegram account or
/// agent code against a workspace's official channels, as JSON and as a help-center page.
struct VerifyRoutes {
    let services: KefuServices
    static let maxValueLength = 500
    private let limiter = VerifyRateLimiter()

    func addRoutes(to router: Router<KefuRequestContext>) {
        router.get("api/v1/public/:workspaceSlug/verify", use: verifyJSON)
        // The widget's in-browser redaction needs the English list; it never changes, so it is cached long.
        let english = Array((PublicWordlists.words(.english).joined(separator: "\n") + "\n").utf8)
        router.get("widget/v1/wordlists/english.txt") { _, _ -> Response in
            Response(status: .ok,
                     headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=86400",
                               .accessControlAllowOrigin: "*", .init("X-Content-Type-Options")!: "nosniff"],
                     body: .init(byteBuffer: ByteBuffer(bytes: english)))
        }
        guard let assets = try? WebAssets.load() else {
            services.logger.error("the verify page is unavailable: its resources could not be loaded")
            return
        }
        router.get("help/:workspaceSlug/verify") { request, context in try await page(request, context: context, assets: assets) }
    }

    @Sendable func verifyJSON(_ request: Request, context: KefuRequestContext) async throws -> ChannelVerification {
        try limit(context)
        let raw = request.uri.formParameters["value"].map(String.init) ?? ""
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw Problem.invalid([.init(field: "value", detail: "give the link, email address, Telegram account or agent code to check")]) }
        guard value.count <= Self.maxValueLength, !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw Problem.invalid([.init(field: "value", detail: "must be at most \(Self.maxValueLength) characters on one line")])
        }
        let workspace = try await workspace(context)
        return try await verifier(for: workspace).verify(value)
    }

    private func page(_ request: Request, context: KefuRequestContext, assets: WebAssets) async throws -> Response {
        try limit(context)
        let locale = WebLocale.choose(request)
        let strings = assets.strings(locale)
        let slug = context.parameters.get("workspaceSlug") ?? ""
        let raw = (request.uri.formParameters["value"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var page: [String: Any] = [
            "lang": locale.rawValue, "t": strings, "otherLang": locale.other.rawValue,
            "otherLangName": assets.strings(locale.other)["language_name"] ?? "", "slug": slug,
        ]
        guard let workspace = try await findWorkspace(slug) else {
            page["notFound"] = true
            var response = WebAssets.page(assets.render("verify", page), locale: locale, setLocaleCookie: false)
            response.status = .notFound
            return response
        }
        let verifier = try await verifier(for: workspace)
        page["workspaceName"] = workspace.name
        page["channels"] = verifier.channels.map { channel -> [String: Any] in
            ["kind": strings["verify_kind_\(channel.kind.rawValue)"] ?? channel.kind.rawValue,
             "value": channel.kind == .telegram ? "@" + channel.value : (channel.kind == .domain ? HostName.displayed(channel.value) : channel.value),
             "label": channel.label ?? ""]
        }
        page["hasChannels"] = !verifier.channels.isEmpty
        page["value"] = raw
        if raw.count > Self.maxValueLength || raw.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            page["inputError"] = true
        } else if !raw.isEmpty {
            let result = verifier.verify(raw)
            page["result"] = [
                "official": result.official, "lookalike": result.verdict == .lookalike,
                "explanation": locale == .zhHans ? result.explanation.zhHans : result.explanation.en,
                "imitates": result.imitates ?? "",
            ] as [String: Any]
        }
        return WebAssets.page(assets.render("verify", page), locale: locale, setLocaleCookie: request.uri.formParameters["lang"] != nil)
    }

    private func limit(_ context: KefuRequestContext) throws {
        guard limiter.admit(context.clientAddress ?? "local") else {
            throw Problem(.tooManyRequests, "Too many checks from this address; wait a minute and try again.")
        }
    }

    private func findWorkspace(_ slug: String) async throws -> WorkspaceRow? {
        guard !slug.isEmpty, slug.count <= 100 else { return nil }
        return try await WorkspaceRow.query(on: services.persistence.db).filter(\.$slug == slug).first()
    }

    private func workspace(_ context: KefuRequestContext) async throws -> WorkspaceRow {
        guard let row = try await findWorkspace(context.parameters.get("workspaceSlug") ?? "") else {
            throw Problem(.notFound, "No workspace has this address.")
        }
        return row
    }

    private func verifier(for workspace: WorkspaceRow) async throws -> ChannelVerifier {
        ChannelVerifier(workspaceName: workspace.name, channels: try await services.officialChannels.channels(in: workspace.id!))
    }
}

/// A light brake on scripted look-ups: a fixed number of checks per address per minute.
/// Per node and in memory, which is enough to stop a loop without a shared store.
final class VerifyRateLimiter: Sendable {
    private struct Window { var start: ContinuousClock.Instant; var count: Int }
    private let windows = Mutex<[String: Window]>([:])
    let perMinute: Int

    init(perMinute: Int = 120) { self.perMinute = perMinute }

    func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        windows.withLock { all in
            if all.count > 50_000 { all.removeAll() }
            var window = all[key] ?? Window(start: now, count: 0)
            if now - window.start >= .seconds(60) { window = Window(start: now, count: 0) }
            window.count += 1
            all[key] = window
            return window.count <= perMinute
        }
    }
}
