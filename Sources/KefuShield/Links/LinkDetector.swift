/// Finds links: anything after `http://` or `https://`, and bare domains such as
/// `metamask-support.io` whose last label is a known top-level domain (so that
/// "e.g." or "v1.2" are not links). Addresses in e-mail form are not links.
struct LinkDetector {
    func findings(_ scalars: [UInt32]) -> [Finding] {
        // Every link holds "://" or a dot between two host characters, so only those are looked at.
        var findings: [Finding] = []
        let count = scalars.count
        var covered = 0
        var i = 1
        while i + 1 < count {
            let v = scalars[i]
            if v == 0x3A, i + 2 < count, scalars[i + 1] == 0x2F, scalars[i + 2] == 0x2F,
               let start = schemeStart(scalars, colon: i), start >= covered {
                let end = urlEnd(scalars, from: i + 3)
                if let host = host(scalars, authorityFrom: i + 3, to: end) {
                    findings.append(link(scalars, start..<end, host: host))
                }
                covered = max(end, i + 3)
                i = covered
                continue
            }
            if v == 0x2E, i >= covered, Self.isHostScalar(scalars[i - 1]), Self.isHostScalar(scalars[i + 1]) {
                var start = i - 1
                while start > covered, Self.isHostScalar(scalars[start - 1]) || scalars[start - 1] == 0x2E { start -= 1 }
                var end = i + 1
                while end < count, Self.isHostScalar(scalars[end]) || scalars[end] == 0x2E { end += 1 }
                // "https://" further on is the scheme pass's business.
                if let found = bareDomain(scalars, start..<end) {
                    findings.append(found)
                    covered = found.end
                } else {
                    covered = end
                }
                i = max(covered, i + 1)
                continue
            }
            i += 1
        }
        return findings
    }

    // MARK: Scheme links

    /// Where "http" or "https" begins before the "://" at `colon`, if it does.
    private func schemeStart(_ scalars: [UInt32], colon: Int) -> Int? {
        for scheme in [Self.https, Self.http] where colon >= scheme.count {
            let start = colon - scheme.count
            guard start == 0 || !Scalars.isASCIIAlphanumeric(scalars[start - 1]) else { continue }
            if scheme.indices.allSatisfy({ Scalars.lowerASCII(scalars[start + $0]) == scheme[$0] }) { return start }
        }
        return nil
    }

    private static let http = Array("http".unicodeScalars.map(\.value))
    private static let https = Array("https".unicodeScalars.map(\.value))

    /// Where a link stops: at white space, quotes and angle brackets, CJK text, and
    /// without the punctuation that ends the sentence around it.
    private func urlEnd(_ scalars: [UInt32], from start: Int) -> Int {
        var end = start
        var openParentheses = 0
        while end < scalars.count {
            let v = scalars[end]
            if Scalars.isWhitespace(v) || v < 0x20 || v == 0x22 || v == 0x27 || v == 0x3C || v == 0x3E || v == 0x60 { break }
            if v >= 0x2E80 && !(v >= 0xAC00 && v <= 0xD7A3) { break }
            if v == 0x28 { openParentheses += 1 }
            if v == 0x29 {
                if openParentheses == 0 { break }
                openParentheses -= 1
            }
            end += 1
        }
        while end > start, let last = Unicode.Scalar(scalars[end - 1]), ".,;:!?]}*".unicodeScalars.contains(last) { end -= 1 }
        return end
    }

    private func host(_ scalars: [UInt32], authorityFrom start: Int, to end: Int) -> String? {
        var authorityEnd = start
        while authorityEnd < end, ![0x2F, 0x3F, 0x23, 0x5C].contains(scalars[authorityEnd]) { authorityEnd += 1 }
        var hostStart = start
        for j in start..<authorityEnd where scalars[j] == 0x40 { hostStart = j + 1 }
        var hostEnd = hostStart
        if hostStart < authorityEnd, scalars[hostStart] == 0x5B {
            while hostEnd < authorityEnd, scalars[hostEnd] != 0x5D { hostEnd += 1 }
            hostEnd = min(hostEnd + 1, authorityEnd)
        } else {
            while hostEnd < authorityEnd, scalars[hostEnd] != 0x3A { hostEnd += 1 }
        }
        while hostEnd > hostStart, scalars[hostEnd - 1] == 0x2E { hostEnd -= 1 }
        guard hostEnd > hostStart else { return nil }
        return Self.lowercased(scalars[hostStart..<hostEnd])
    }

    // MARK: Bare domains

    private func bareDomain(_ scalars: [UInt32], _ candidate: Range<Int>) -> Finding? {
        var start = candidate.lowerBound
        var end = candidate.upperBound
        while end > start, scalars[end - 1] == 0x2E || scalars[end - 1] == 0x2D { end -= 1 }
        while start < end, scalars[start] == 0x2D { start += 1 }
        guard end > start else { return nil }
        if start > 0 {
            let before = scalars[start - 1]
            // e-mail addresses, paths and file names are not links.
            if before == 0x40 || before == 0x2F || before == 0x5C || before == 0x2E || before == 0x3A { return nil }
        }
        let labels = scalars[start..<end].split(separator: 0x2E, omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && $0.first != 0x2D && $0.last != 0x2D }) else { return nil }
        let topLevel = Self.lowercased(labels[labels.count - 1])
        let startsWithWWW = Self.lowercased(labels[0]) == "www"
        guard TopLevelDomains.known.contains(topLevel) || topLevel.hasPrefix("xn--")
            || (startsWithWWW && topLevel.count >= 2 && topLevel.unicodeScalars.allSatisfy { Scalars.isASCIILetter($0.value) })
        else { return nil }
        // Every label but the top one must hold a letter: "1.5.com" is not a host anyone types.
        guard labels.dropLast().contains(where: { $0.contains(where: { !Scalars.isASCIIDigit($0) && $0 != 0x2D }) }) else { return nil }
        let host = Self.lowercased(scalars[start..<end])
        var linkEnd = end
        if end == candidate.upperBound, end < scalars.count, scalars[end] == 0x2F {
            linkEnd = urlEnd(scalars, from: end)
        }
        return link(scalars, start..<linkEnd, host: host)
    }

    private func link(_ scalars: [UInt32], _ range: Range<Int>, host: String) -> Finding {
        let value = String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
        return Finding(kind: .link, value: value, valid: true, start: range.lowerBound, end: range.upperBound, host: host)
    }

    /// Letters, digits and hyphens, including the Latin, Greek and Cyrillic letters that homoglyph domains are built from.
    @inline(__always)
    static func isHostScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return Scalars.isASCIIAlphanumeric(v) || v == 0x2D }
        return (v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7) || (v >= 0x300 && v <= 0x52F) || (v >= 0x1E00 && v <= 0x1EFF)
    }

    static func lowercased(_ scalars: ArraySlice<UInt32>) -> String {
        String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init))).lowercased()
    }
}

enum TopLevelDomains {
    /// Generic domains people meet in crypto support, the cheap ones phishing favours,
    /// and country codes, less the ones that are also everyday words or file types.
    static let known: Set<String> = Set("""
    com net org info biz io co app dev xyz top site online live pro finance exchange wallet support help \
    ai gg cc tv ly me vip club link click shop store tech network cloud space website fun icu ltd group \
    digital money cash trade market global world today life news services service center solutions \
    systems software security secure email mobi asia tk ml ga cf gq su ws la to cx sx vc \
    uk us cn hk tw jp kr sg ru de fr es nl eu ch be ca au nz ie se no dk fi pt pl cz gr hu ro bg ua by kz \
    tr il ae sa qa kw ir pk bd lk np vn th my id ph mx br ar cl pe ve ec uy py ng ke za eg ma gh \
    ee lv lt sk si hr rs ba mk al ge am az uz kg tj mn kh la mm bt mo bz gs nu fm im je gi mt lu li sm ad
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)).subtracting(["is", "in", "it", "at", "am", "my", "id", "py", "no", "to", "so"])
}
