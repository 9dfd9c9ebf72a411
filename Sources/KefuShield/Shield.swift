/// What a scan returns: the text with every secret replaced by a placeholder, and
/// everything found, in order of position in the original text.
public struct ShieldScan: Sendable, Hashable, Codable {
    public var text: String
    public var findings: [Finding]

    public init(text: String, findings: [Finding]) {
        self.text = text
        self.findings = findings
    }

    public var containsSecret: Bool {
        findings.contains { $0.kind.isSecret }
    }
}

/// Finds recovery phrases, private keys, addresses, transaction hashes and links in a
/// message, and redacts the secrets. Everything that stores, logs, indexes or
/// forwards a message sees only `ShieldScan.text`.
public struct Shield: Sendable {
    private let lexicon: Lexicon

    public init() {
        lexicon = .shared
    }

    /// Loads the wordlists and the Chinese word list now (about a tenth of a second)
    /// rather than on the first message, e.g. while a server starts.
    public static func warmUp() {
        _ = Lexicon.shared
        _ = ChineseProseModel.shared
    }

    public func scan(_ text: String) -> ShieldScan {
        let scalars = text.scalarValues
        var findings = EntityScanner().findings(scalars)
        findings += mnemonics(scalars)
        let links = LinkDetector().findings(scalars)

        let secrets = Self.secretSpans(findings)
        findings += links.map { Self.withoutSecrets($0, scalars, secrets) }
        findings.sort { ($0.start, $0.end, $0.kind.rawValue) < ($1.start, $1.end, $1.kind.rawValue) }
        guard !secrets.isEmpty else { return ShieldScan(text: text, findings: findings) }
        return ShieldScan(text: Self.redact(scalars, 0..<scalars.count, secrets), findings: findings)
    }

    private func mnemonics(_ scalars: [UInt32]) -> [Finding] {
        var tokenizer = WordTokenizer(lexicon: lexicon)
        let tokens = tokenizer.tokens(scalars)
        let candidates = MnemonicDetector(lexicon: lexicon).candidates(scalars, tokens, tokenizer: tokenizer)
        return MnemonicMerge.findings(candidates)
    }

    /// Secret stretches, merged where they touch, each with the placeholder that replaces it.
    private static func secretSpans(_ findings: [Finding]) -> [(range: Range<Int>, placeholder: String)] {
        let secrets = findings.filter { $0.kind.isSecret }.sorted { $0.start < $1.start }
        var spans: [(range: Range<Int>, placeholder: String)] = []
        for secret in secrets {
            let placeholder = SecretPlaceholder.text(for: secret)
            if let last = spans.last, last.range.upperBound > secret.start {
                let merged = last.range.lowerBound..<max(last.range.upperBound, secret.end)
                let phrase = last.placeholder == SecretPlaceholder.recoveryPhrase || secret.kind == .mnemonic
                spans[spans.count - 1] = (merged, phrase ? SecretPlaceholder.recoveryPhrase : last.placeholder)
            } else {
                spans.append((secret.start..<secret.end, placeholder))
            }
        }
        return spans
    }

    private static func redact(_ scalars: [UInt32], _ range: Range<Int>, _ secrets: [(range: Range<Int>, placeholder: String)]) -> String {
        var output = String.UnicodeScalarView()
        var cursor = range.lowerBound
        func copy(upTo end: Int) {
            guard end > cursor else { return }
            output.append(contentsOf: scalars[cursor..<end].lazy.compactMap(Unicode.Scalar.init))
        }
        for secret in secrets where secret.range.overlaps(range) {
            copy(upTo: max(cursor, secret.range.lowerBound))
            output.append(contentsOf: secret.placeholder.unicodeScalars)
            cursor = max(cursor, min(secret.range.upperBound, range.upperBound))
        }
        copy(upTo: range.upperBound)
        return String(output)
    }

    /// A link's value never carries a secret written inside it.
    private static func withoutSecrets(_ link: Finding, _ scalars: [UInt32], _ secrets: [(range: Range<Int>, placeholder: String)]) -> Finding {
        let range = link.start..<link.end
        guard secrets.contains(where: { $0.range.overlaps(range) }) else { return link }
        var cleaned = link
        cleaned.value = redact(scalars, range, secrets)
        return cleaned
    }
}

/// Joins the candidates of all lists into findings: overlapping candidates are one
/// phrase, reported in the list that explains it best.
enum MnemonicMerge {
    static func findings(_ candidates: [MnemonicCandidate]) -> [Finding] {
        let sorted = candidates.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var groups: [(start: Int, end: Int, best: MnemonicCandidate)] = []
        for candidate in sorted {
            if let last = groups.last, candidate.start < last.end {
                let best = better(candidate, than: last.best) ? candidate : last.best
                groups[groups.count - 1] = (last.start, max(last.end, candidate.end), best)
            } else {
                groups.append((candidate.start, candidate.end, candidate))
            }
        }
        return groups.map { group in
            Finding(
                kind: .mnemonic, valid: true, start: group.start, end: group.end,
                wordCount: group.best.wordCount, wordlist: Wordlist(ordinal: group.best.list),
                checksumValid: group.best.checksumValid
            )
        }
    }

    private static func better(_ a: MnemonicCandidate, than b: MnemonicCandidate) -> Bool {
        if a.checksumValid != b.checksumValid { return a.checksumValid }
        if a.wordCount != b.wordCount { return a.wordCount > b.wordCount }
        return a.list < b.list
    }
}
