import Foundation
import HummingbirdCore

extension URI {
    /// The query parameters as HTML forms send them: `+` is a space (`%2B` is a plus), as
    /// every form-style client writes `?q=Piet+Vexler`. Use this instead of `queryParameters`,
    /// which leaves `+` as it is.
    var formParameters: FlatDictionary<Substring, Substring> {
        guard let query, !query.isEmpty else { return .init() }
        var parameters = FlatDictionary<Substring, Substring>()
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decodeForm(parts[0])
            let value = parts.count > 1 ? Self.decodeForm(parts[1]) : ""
            parameters.append(key: key[...], value: value[...])
        }
        return parameters
    }

    private static func decodeForm(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
