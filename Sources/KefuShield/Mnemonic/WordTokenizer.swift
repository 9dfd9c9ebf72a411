/// A word as the mnemonic detector sees it: a run of letters of one script, or one
/// Han character (Chinese wordlist words are single characters).
struct WordToken {
    var start: Int
    var end: Int
    var script: ScalarClass
    /// Lexicon entry for Latin, kana and Hangul words; -1 when the word is in no list.
    var entry: Int32
    /// Lists holding this word, one bit per list ordinal.
    var mask: UInt16
    /// Whether anything at all stands between this token and the previous one.
    var separatedBefore: Bool
    /// Whether a full stop, question or exclamation mark right after the previous
    /// word ends a sentence before this one ("2." after a number does not).
    var sentenceBreakBefore = false
}

/// Splits scalars into word tokens. Everything that is not a letter separates words,
/// so numbering (`1.`, `2)`), commas, `、`, new lines and ideographic spaces all work.
struct WordTokenizer {
    let lexicon: Lexicon
    private var key: [UInt32] = []

    init(lexicon: Lexicon) {
        self.lexicon = lexicon
        key.reserveCapacity(32)
    }

    mutating func tokens(_ scalars: [UInt32]) -> [WordToken] {
        var tokens: [WordToken] = []
        tokens.reserveCapacity(scalars.count / 4 + 1)
        var i = 0
        let count = scalars.count
        var previousEnd = -1
        var sentenceBreak = false
        while i < count {
            let v = scalars[i]
            let kind: ScalarClass = v < 0x80 ? (Scalars.isASCIILetter(v) ? .latin : .separator) : Scalars.classify(v)
            switch kind {
            case .separator, .combiningMark, .kanaMark:
                if i == previousEnd, Self.endsSentence(v) { sentenceBreak = true }
                i += 1
            case .han:
                let mask = lexicon.hanMask(v)
                tokens.append(WordToken(start: i, end: i + 1, script: .han, entry: -1, mask: mask,
                                        separatedBefore: previousEnd != i, sentenceBreakBefore: sentenceBreak))
                sentenceBreak = false
                previousEnd = i + 1
                i += 1
            case .latin where v < 0x80:
                // Most words are plain ASCII: lower-case, hash and look up in one pass.
                var end = i + 1
                var hash = Hasher64()
                hash.add(Scalars.lowerASCII(v))
                var ascii = true
                while end < count {
                    let next = scalars[end]
                    if next < 0x80 {
                        guard Scalars.isASCIILetter(next) else { break }
                        hash.add(Scalars.lowerASCII(next))
                    } else {
                        let nextKind = Scalars.classify(next)
                        guard nextKind == .latin || nextKind == .combiningMark else { break }
                        ascii = false
                    }
                    end += 1
                }
                var token = WordToken(start: i, end: end, script: .latin, entry: -1, mask: 0,
                                      separatedBefore: previousEnd != i, sentenceBreakBefore: sentenceBreak)
                let length = end - i
                if ascii {
                    if length >= lexicon.shortestKey, length <= lexicon.longestKey {
                        let entry = lexicon.entry(asciiWord: scalars, i..<end, hash: hash.value)
                        if entry >= 0 {
                            token.entry = entry
                            token.mask = lexicon.entryMasks[Int(entry)]
                        }
                    }
                } else if length >= lexicon.shortestKey, length <= lexicon.longestKey * 3 {
                    lookUp(&token, scalars)
                }
                sentenceBreak = false
                tokens.append(token)
                previousEnd = end
                i = end
            case .latin, .kana, .hangul, .hangulJamo, .otherLetter:
                let script: ScalarClass = kind == .hangulJamo ? .hangul : kind
                var end = i + 1
                while end < count {
                    let next = scalars[end]
                    let nextKind: ScalarClass = next < 0x80 ? (Scalars.isASCIILetter(next) ? .latin : .separator) : Scalars.classify(next)
                    if !Self.continues(script, with: nextKind) { break }
                    end += 1
                }
                var token = WordToken(start: i, end: end, script: script, entry: -1, mask: 0,
                                      separatedBefore: previousEnd != i, sentenceBreakBefore: sentenceBreak)
                sentenceBreak = false
                // Folding never lengthens a word, so words shorter than every key are skipped unfolded.
                if script != .otherLetter, end - i >= lexicon.shortestKey, end - i <= lexicon.longestKey * 3 {
                    lookUp(&token, scalars)
                }
                tokens.append(token)
                previousEnd = end
                i = end
            }
        }
        return tokens
    }

    private static func endsSentence(_ v: UInt32) -> Bool {
        v == 0x2E || v == 0x21 || v == 0x3F || v == 0x3002 || v == 0xFF01 || v == 0xFF1F
    }

    private static func continues(_ script: ScalarClass, with next: ScalarClass) -> Bool {
        switch script {
        case .latin: next == .latin || next == .combiningMark
        case .kana: next == .kana || next == .kanaMark
        case .hangul: next == .hangul || next == .hangulJamo
        case .otherLetter: next == .otherLetter || next == .combiningMark
        default: false
        }
    }

    private mutating func lookUp(_ token: inout WordToken, _ scalars: [UInt32]) {
        key.removeAll(keepingCapacity: true)
        lexicon.folding.fold(scalars, token.start..<token.end, script: token.script, into: &key)
        guard key.count >= lexicon.shortestKey, key.count <= lexicon.longestKey else { return }
        let entry = lexicon.entry(for: key, hash: Lexicon.hash(key))
        if entry >= 0 {
            token.entry = entry
            token.mask = lexicon.entryMasks[Int(entry)]
        }
    }

    /// The folded key of a token, for near-miss matching.
    func key(of token: WordToken, _ scalars: [UInt32]) -> [UInt32] {
        var key: [UInt32] = []
        lexicon.folding.fold(scalars, token.start..<token.end, script: token.script, into: &key)
        return key
    }
}
