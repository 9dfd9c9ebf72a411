import Foundation

/// A node's address, split into the URL requests go to and the credentials that were
/// written into it (`http://user:password@host:port`), so the two never travel together
/// into a log line or a JSON answer.
public struct ChainEndpoint: Sendable, Equatable {
    /// The URL without user or password.
    public let url: String
    /// `Basic …` when the URL carried a user, as Bitcoin-Core-style nodes expect.
    public let authorization: String?

    public init(_ raw: String) throws(ChainLookupError) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard var components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            throw .invalidEndpoint("expected an http or https URL such as http://127.0.0.1:8545")
        }
        if components.query != nil || components.fragment != nil {
            throw .invalidEndpoint("the URL must not have a query or fragment")
        }
        if let user = components.user {
            let credentials = user + ":" + (components.password ?? "")
            authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        components.user = nil
        components.password = nil
        guard let bare = components.string else { throw .invalidEndpoint("the URL could not be rebuilt without its credentials") }
        url = bare
    }

    /// The URL with its password replaced by `***`, safe to show an admin again.
    public static func masked(_ raw: String) -> String {
        guard var components = URLComponents(string: raw), components.password != nil else { return raw }
        components.percentEncodedPassword = "***"
        return components.string ?? "***"
    }

    /// `url` joined with a path such as `/wallet/getnowblock`.
    func url(appending path: String) -> String {
        guard !path.isEmpty else { return url }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }
}
