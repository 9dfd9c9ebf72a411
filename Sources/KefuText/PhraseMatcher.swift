/// Finds lexicon phrases in normalised text. Phrases made of CJK characters are
/// found by substring (longest match first, no overlaps); other phrases are
/// sequences of whole words, where a trailing "*" on a word means "any word
/// starting with this".
struct PhraseMatcher<Value: Sendable>: Sendable {
    struct Match {
        let value: Value
        /// Position of the match: a word index for word phrases, a scalar index
        /// for CJK phrases.
        let position: Int
        let isCJK: Bool
    }

    private struct WordPattern: Sendable {
        let words: [String]
        let prefixes: [Bool]
        let value: Value
    }

    private var wordPatterns: [String: [WordPattern]] = [:]
    /// Prefix patterns by the first scalar of their first word, so a word is only
    /// compared with the few patterns that could match it.
    private var prefixPatterns: [Unicode.Scalar: [WordPattern]] = [:]
    private var cjkPhrases: [String: Value] = [:]
    /// Scalars that begin some CJK phrase: every other position is skipped without
    /// building a candidate string, which is what made matching slow on long text.
    private var cjkFirstScalars: Set<Unicode.Scalar> = []
    private var longestCJK = 0

    init(_ entries: [(String, Value)]) {
        for (phrase, value) in entries {
            if phrase.unicodeScalars.contains(where: { Script($0).isCJK }) {
                cjkPhrases[phrase] = value
                if let first = phrase.unicodeScalars.first { cjkFirstScalars.insert(first) }
                longestCJK = max(longestCJK, phrase.unicodeScalars.count)
                continue
            }
            let parts = phrase.split(separator: " ").map(String.init)
            let prefixes = parts.map { $0.hasSuffix("*") }
            let words = parts.map { $0.hasSuffix("*") ? String($0.dropLast()) : $0 }
            let pattern = WordPattern(words: words, prefixes: prefixes, value: value)
            if prefixes[0] {
                if let first = words[0].unicodeScalars.first { prefixPatterns[first, default: []].append(pattern) }
            } else {
                wordPatterns[words[0], default: []].append(pattern)
            }
        }
    }

    func matches(words: [String], scalars: [Unicode.Scalar]) -> [Match] {
        var found: [Match] = []
        var i = 0
        while i < words.count {
            var candidates = wordPatterns[words[i]] ?? []
            if let first = words[i].unicodeScalars.first, let prefixed = prefixPatterns[first] {
                candidates += prefixed.filter { words[i].hasPrefix($0.words[0]) }
            }
            let best = candidates
                .filter { Self.matches($0, words: words, at: i) }
                .max { $0.words.count < $1.words.count }
            if let best {
                found.append(Match(value: best.value, position: i, isCJK: false))
                i += best.words.count
            } else {
                i += 1
            }
        }

        var j = 0
        while j < scalars.count, longestCJK > 0 {
            guard cjkFirstScalars.contains(scalars[j]) else { j += 1; continue }
            var matched = false
            for length in stride(from: min(longestCJK, scalars.count - j), through: 1, by: -1) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[j..<(j + length)])
                if let value = cjkPhrases[String(view)] {
                    found.append(Match(value: value, position: j, isCJK: true))
                    j += length
                    matched = true
                    break
                }
            }
            if !matched { j += 1 }
        }
        return found
    }

    private static func matches(_ pattern: WordPattern, words: [String], at start: Int) -> Bool {
        guard start + pattern.words.count <= words.count else { return false }
        for (offset, word) in pattern.words.enumerated() {
            let candidate = words[start + offset]
            if pattern.prefixes[offset] ? !candidate.hasPrefix(word) : candidate != word { return false }
        }
        return true
    }
}
