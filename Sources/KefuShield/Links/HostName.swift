import Foundation

/// Host names as a desk stores and compares them: lower-cased, internationalised labels in
/// their ASCII (`xn--`) form, so the same domain typed two ways is one official domain.
public enum HostName {
    /// The registrable host an administrator meant, or nil when it is not one.
    /// A whole URL pasted by mistake is reduced to its host; anything else (spaces, ports,
    /// a bare word, an IP address) is refused rather than guessed at.
    public static func normalized(_ raw: String) -> String? {
        var text = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        if let scheme = text.range(of: "://") {
            let name = text[..<scheme.lowerBound].lowercased()
            guard name == "http" || name == "https" else { return nil }
            text = text[scheme.upperBound...]
            if let end = text.firstIndex(where: { "/?#".contains($0) }) { text = text[..<end] }
            if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
            if let colon = text.firstIndex(of: ":") {
                guard text[text.index(after: colon)...].allSatisfy(\.isASCII), text[text.index(after: colon)...].allSatisfy(\.isNumber) else { return nil }
                text = text[..<colon]
            }
        } else if let slash = text.firstIndex(of: "/") {
            // "example.com/" or "example.com/path" without a scheme is a URL too.
            text = text[..<slash]
        }
        var host = text.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, host.utf8.count <= 253 else { return nil }
        var labels: [String] = []
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard let ascii = asciiLabel(String(label)) else { return nil }
            labels.append(ascii)
        }
        guard labels.count >= 2, let top = labels.last,
              top.hasPrefix("xn--") || (top.count >= 2 && top.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII })
        else { return nil }
        let ascii = labels.joined(separator: ".")
        guard ascii.utf8.count <= 253, !DomainName(ascii).name.isEmpty, !DomainName(ascii).suffix.isEmpty else { return nil }
        return ascii
    }

    /// The name people read in a host: `metamask` in `support.metamask.io`.
    public static func registrableName(_ host: String) -> String { DomainName(host).name }

    /// The host as it displays: `xn--` labels decoded.
    public static func displayed(_ host: String) -> String {
        host.split(separator: ".", omittingEmptySubsequences: false)
            .map { Punycode.decodeLabel(String($0)) ?? String($0) }.joined(separator: ".")
    }

    private static func asciiLabel(_ label: String) -> String? {
        guard !label.isEmpty else { return nil }
        let ascii: String
        if label.unicodeScalars.allSatisfy(\.isASCII) {
            ascii = label
            if ascii.hasPrefix("xn--") { guard Punycode.decodeLabel(ascii) != nil else { return nil } }
        } else {
            guard label.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" }),
                  let encoded = Punycode.encode(label) else { return nil }
            ascii = "xn--" + encoded
        }
        guard ascii.utf8.count <= 63, !ascii.hasPrefix("-"), !ascii.hasSuffix("-"),
              ascii.unicodeScalars.allSatisfy({ ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" })
        else { return nil }
        return ascii
    }
}

extension Punycode {
    /// RFC 3492 encoding of one label (without the `xn--` prefix).
    static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = input.filter { $0 < 0x80 }.compactMap { Unicode.Scalar(UInt32($0)).map(Character.init) }.map(String.init).joined()
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output += "-" }
        var n = 128
        var delta = 0
        var bias = 72
        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (step, overflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += step
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = 36
                    while true {
                        let t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (36 - t)))
                        q = (q - t) / (36 - t)
                        k += 36
                    }
                    output.append(digit(q))
                    bias = adaptForEncoding(delta, numPoints: handled + 1, firstTime: handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func digit(_ value: Int) -> Character {
        Character(Unicode.Scalar(UInt8(value < 26 ? 0x61 + value : 0x30 + value - 26)))
    }

    private static func adaptForEncoding(_ delta: Int, numPoints: Int, firstTime: Bool) -> Int {
        var delta = firstTime ? delta / 700 : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > (35 * 26) / 2 {
            delta /= 35
            k += 36
        }
        return k + (36 * delta) / (delta + 38)
    }
}
