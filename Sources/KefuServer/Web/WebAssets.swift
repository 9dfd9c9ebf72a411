import Foundation
import Hummingbird
import Mustache

/// The two languages the pages speak.
enum WebLocale: String, CaseIterable, Sendable {
    case en
    case zhHans = "zh-Hans"

    static let cookie = "kefu_lang"

    var other: WebLocale { self == .en ? .zhHans : .en }

    static func parse(_ raw: String?) -> WebLocale? {
        guard let raw = raw?.lowercased(), !raw.isEmpty else { return nil }
        if raw.hasPrefix("zh") { return .zhHans }
        if raw.hasPrefix("en") { return .en }
        return nil
    }

    /// `?lang=` first (the switch), then the remembered choice, then `Accept-Language`.
    static func choose(_ request: Request) -> WebLocale {
        if let chosen = parse(request.uri.formParameters["lang"].map(String.init)) { return chosen }
        if let remembered = parse(request.cookies[cookie]?.value) { return remembered }
        let header = request.headers[.acceptLanguage] ?? ""
        let ranked = header.split(separator: ",").compactMap { part -> (WebLocale, Double)? in
            let pieces = part.split(separator: ";")
            guard let locale = parse(pieces.first?.trimmingCharacters(in: .whitespaces)) else { return nil }
            let quality = pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (locale, quality)
        }
        return ranked.max { $0.1 < $1.1 }?.0 ?? .en
    }
}

/// Templates, strings and static files, read from the package resources once at start.
struct WebAssets: Sendable {
    struct PublicFile: Sendable { let data: Data; let contentType: String }

    let library: MustacheLibrary
    let locales: [WebLocale: [String: String]]
    let publicFiles: [String: PublicFile]
    let widgetScript: String

    func strings(_ locale: WebLocale) -> [String: String] { locales[locale] ?? [:] }

    func render(_ template: String, _ object: [String: Any]) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    /// Read from the bundle once per process, however many route groups ask for them.
    private static let loadedOnce = Result { try read() }

    static func load() throws -> WebAssets { try loadedOnce.get() }

    private static func read() throws -> WebAssets {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw ConfigurationError("the package resources are missing")
        }
        var templates: [String: MustacheTemplate] = [:]
        let templateFolder = root.appendingPathComponent("Templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: templateFolder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templateFolder.appendingPathComponent(name), encoding: .utf8)
            templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        var locales: [WebLocale: [String: String]] = [:]
        for locale in WebLocale.allCases {
            let data = try Data(contentsOf: root.appendingPathComponent("Locales/\(locale.rawValue).json"))
            locales[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        var files: [String: PublicFile] = [:]
        let publicFolder = root.appendingPathComponent("Public")
        for name in try FileManager.default.contentsOfDirectory(atPath: publicFolder.path) {
            let type: String
            switch (name as NSString).pathExtension {
            case "js": type = "text/javascript; charset=utf-8"
            case "css": type = "text/css; charset=utf-8"
            case "svg": type = "image/svg+xml"
            default: continue
            }
            files[name] = PublicFile(data: try Data(contentsOf: publicFolder.appendingPathComponent(name)), contentType: type)
        }
        // The widget carries its own strings: it runs on other sites, where no page of ours
        // can hand them over.
        let widgetKeys = { (strings: [String: String]) in strings.filter { $0.key.hasPrefix("widget_") } }
        let widgetStrings = "{\"en\":\(scriptJSON(widgetKeys(locales[.en] ?? [:]))),\"zh\":\(scriptJSON(widgetKeys(locales[.zhHans] ?? [:])))}"
        guard let widget = files["widget.js"] else { throw ConfigurationError("Public/widget.js is missing") }
        let widgetScript = String(decoding: widget.data, as: UTF8.self).replacingOccurrences(of: "/*KEFU_STRINGS*/{}", with: widgetStrings)
        return WebAssets(library: MustacheLibrary(templates: templates), locales: locales, publicFiles: files, widgetScript: widgetScript)
    }

    /// JSON that is safe inside a `<script>` element: nothing in it can close the element.
    static func scriptJSON(_ strings: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(strings)) ?? Data("{}".utf8), as: UTF8.self)
        return json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
            .replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    static func page(_ html: String, locale: WebLocale, setLocaleCookie: Bool) -> Response {
        var response = Response(status: .ok,
                                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                          .init("Content-Security-Policy")!: contentSecurityPolicy,
                                          .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "same-origin"],
                                body: .init(byteBuffer: ByteBuffer(string: html)))
        if setLocaleCookie {
            response.setCookie(Cookie(name: WebLocale.cookie, value: locale.rawValue, maxAge: 365 * 24 * 3600, path: "/", sameSite: .lax))
        }
        return response
    }
}
