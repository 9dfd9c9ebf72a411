/// Splits normalised text into search and feature tokens: Latin, Cyrillic and
/// other alphabetic runs become words; Han, kana and Hangul runs become
/// overlapping character bigrams, because those scripts put no spaces between
/// words and bigrams match most words without a dictionary.
public enum Tokenizer {
    public enum Purpose: Sendable {
        /// Indexed text: CJK bigrams plus single characters, so that a
        /// one-character query can still find the document.
        case document
        /// Query text: CJK bigrams, or the character itself when a CJK run is
        /// only one character long.
        case query
    }

    /// Normalises `text`, then tokenises it.
    public static func tokens(_ text: String, for purpose: Purpose = .query) -> [String] {
        tokens(normalized: TextNormalizer.normalize(text), for: purpose)
    }

    /// Tokenises text that has already been through `TextNormalizer`.
    public static func tokens(normalized text: String, for purpose: Purpose = .query) -> [String] {
        var tokens: [String] = []
        var word = String.UnicodeScalarView()
        var cjkRun: [Unicode.Scalar] = []

        func flushWord() {
            guard !word.isEmpty else { return }
            tokens.append(String(word))
            word = String.UnicodeScalarView()
        }
        func flushCJK() {
            guard !cjkRun.isEmpty else { return }
            appendCJK(cjkRun, purpose: purpose, to: &tokens)
            cjkRun.removeAll(keepingCapacity: true)
        }

        for scalar in text.unicodeScalars {
            let script = Script(scalar)
            if script.isCJK {
                flushWord()
                cjkRun.append(scalar)
            } else if script.isWordLike {
                flushCJK()
                word.append(scalar)
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        return tokens
    }

    private static func appendCJK(_ run: [Unicode.Scalar], purpose: Purpose, to tokens: inout [String]) {
        if run.count == 1 {
            tokens.append(String(Character(run[0])))
            return
        }
        for i in 0..<(run.count - 1) {
            var pair = String.UnicodeScalarView()
            pair.append(run[i])
            pair.append(run[i + 1])
            tokens.append(String(pair))
        }
        if purpose == .document {
            for scalar in run { tokens.append(String(Character(scalar))) }
        }
    }
}
