/// A host split the way people read it: the registrable name (`metamask` in
/// `support.metamask.io`), the public suffix after it and the labels before it.
struct DomainName: Equatable {
    var host: String
    var subdomainLabels: [String]
    /// The registrable label as it displays (punycode decoded), lower-cased.
    var name: String
    var suffix: String
    var usesPunycode: Bool

    /// Second-level labels under which country codes register names (`example.co.uk`).
    private static let secondLevelSuffixes: Set<String> = ["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"]

    init(_ host: String) {
        var normalized = host.lowercased()
        while normalized.hasSuffix(".") { normalized.removeLast() }
        self.host = normalized
        let labels = normalized.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        usesPunycode = labels.contains { $0.hasPrefix("xn--") }
        let decoded = labels.map { Punycode.decodeLabel($0) ?? $0 }
        var suffixCount = 1
        if decoded.count >= 3, decoded[decoded.count - 1].count == 2, Self.secondLevelSuffixes.contains(decoded[decoded.count - 2]) {
            suffixCount = 2
        }
        if decoded.count <= suffixCount {
            name = decoded.first ?? ""
            suffix = ""
            subdomainLabels = []
        } else {
            suffix = decoded.suffix(suffixCount).joined(separator: ".")
            name = decoded[decoded.count - suffixCount - 1]
            subdomainLabels = Array(decoded.prefix(decoded.count - suffixCount - 1))
        }
    }

    /// The host without a leading `www.`.
    var comparable: String {
        host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    func isSameOrSubdomain(of official: String) -> Bool {
        comparable == official || host == official || host.hasSuffix("." + official)
    }
}

enum EditDistance {
    /// Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps).
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
