import Foundation
import HTTPTypes
import Hummingbird

/// What the customer pages behind a secret link (a complaint's progress, a rating) share:
/// the link is the only key, so the page is never indexed or cached and never hands its
/// address on, and its forms take posts from itself only.
enum SecretLinkPages {
    /// The response with the headers that keep its link to the customer.
    static func kept(_ response: Response) -> Response {
        var response = response
        response.headers[.init("X-Robots-Tag")!] = "noindex, nofollow"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A post made from another site. The pages send no referrer, so their own posts carry
    /// `Origin: null`; the browser's fetch metadata still says where a post came from.
    static func isForeign(_ request: Request) -> Bool {
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]
        let foreignOrigin = request.headers[.origin].map { origin in
            origin != "null" && URL(string: origin)?.host.map { host in request.head.authority.map { $0 == host || $0.hasPrefix(host + ":") } ?? false } != true
        } ?? false
        return site == "cross-site" || site == "same-site" || foreignOrigin
    }
}
