/// A stretch of text that holds a recovery phrase, in one list.
struct MnemonicCandidate {
    var start: Int
    var end: Int
    var list: Int
    var wordCount: Int
    var checksumValid: Bool
}

/// Finds recovery phrases: runs of at least twelve words of one wordlist, with room
/// for one slip. A run is broken by any word of the same script that is not in the
/// list, except one: a near miss (a typo) counts towards twelve, and any other
/// single word is let through when twelve real list words surround it.
///
/// Chinese runs must also look like a list: every character set apart (spaces,
/// commas, `、`, numbering, new lines), or, when typed without any separator, a
/// stretch that `ChineseProseModel` does not read as prose.
struct MnemonicDetector {
    static let minimumWords = 12

    let lexicon: Lexicon

    func candidates(_ scalars: [UInt32], _ tokens: [WordToken], tokenizer: WordTokenizer) -> [MnemonicCandidate] {
        guard tokens.count >= Self.minimumWords - 1 else { return [] }
        var members = [Int](repeating: 0, count: Lexicon.listCount)
        var hasUnbrokenHan = false
        var unbrokenLength = 0
        for token in tokens {
            var mask = token.mask
            while mask != 0 {
                members[mask.trailingZeroBitCount] += 1
                mask &= mask - 1
            }
            if token.script == .han {
                unbrokenLength = token.separatedBefore ? 1 : unbrokenLength + 1
                if unbrokenLength >= Self.minimumWords { hasUnbrokenHan = true }
            } else {
                unbrokenLength = 0
            }
        }
        var found: [MnemonicCandidate] = []
        for list in 0..<Lexicon.listCount where members[list] >= Self.minimumWords - 1 {
            var finder = RunFinder(list: list, detector: self, scalars: scalars, tokens: tokens, tokenizer: tokenizer)
            finder.run()
            found.append(contentsOf: finder.found)
        }
        if hasUnbrokenHan {
            found.append(contentsOf: unbrokenChinese(tokens, scalars))
        }
        return found
    }

    func indices(_ tokens: ArraySlice<WordToken>, list: Int, scalars: [UInt32]) -> [Int]? {
        var indices: [Int] = []
        indices.reserveCapacity(tokens.count)
        for token in tokens {
            let index = token.script == .han
                ? lexicon.hanIndex(scalars[token.start], list: list)
                : (token.entry >= 0 ? lexicon.index(entry: token.entry, list: list) : nil)
            guard let index else { return nil }
            indices.append(index)
        }
        return indices
    }

    /// Chinese typed as one block of characters: only stretches the prose model lets through.
    private func unbrokenChinese(_ tokens: [WordToken], _ scalars: [UInt32]) -> [MnemonicCandidate] {
        var found: [MnemonicCandidate] = []
        let model = ChineseProseModel.shared
        var blockStart = 0
        while blockStart < tokens.count {
            guard tokens[blockStart].script == .han else { blockStart += 1; continue }
            var blockEnd = blockStart + 1
            while blockEnd < tokens.count, tokens[blockEnd].script == .han, !tokens[blockEnd].separatedBefore { blockEnd += 1 }
            if blockEnd - blockStart >= Self.minimumWords {
                for list in [Wordlist.chineseSimplified.ordinal, Wordlist.chineseTraditional.ordinal] {
                    found.append(contentsOf: stretches(in: tokens[blockStart..<blockEnd], scalars, list: list, model: model))
                }
            }
            blockStart = blockEnd
        }
        return found
    }

    private func stretches(in block: ArraySlice<WordToken>, _ scalars: [UInt32], list: Int, model: ChineseProseModel) -> [MnemonicCandidate] {
        var found: [MnemonicCandidate] = []
        let bit = UInt16(1) << UInt16(list)
        var i = block.startIndex
        while i < block.endIndex {
            guard block[i].mask & bit != 0 else { i += 1; continue }
            var end = i
            var indices: [Int] = []
            while end < block.endIndex, let index = lexicon.hanIndex(scalars[block[end].start], list: list) {
                indices.append(index)
                end += 1
            }
            if indices.count >= Self.minimumWords {
                for stretch in model.phraseStretches(indices) {
                    let words = Array(indices[stretch])
                    let validLength = MnemonicChecksum.longestValidPhrase(words)
                    found.append(MnemonicCandidate(
                        start: block[i + stretch.lowerBound].start,
                        end: block[i + stretch.upperBound - 1].end,
                        list: list,
                        wordCount: validLength ?? words.count,
                        checksumValid: validLength != nil
                    ))
                }
            }
            i = end
        }
        return found
    }
}

/// Walks the tokens once for one list, keeping the current run and its one allowed gap.
private struct RunFinder {
    let list: Int
    let detector: MnemonicDetector
    let scalars: [UInt32]
    let tokens: [WordToken]
    let tokenizer: WordTokenizer
    private(set) var found: [MnemonicCandidate] = []

    private var first = -1
    private var last = -1
    private var valid = 0
    private var gap = -1
    private var validBeforeGap = 0

    init(list: Int, detector: MnemonicDetector, scalars: [UInt32], tokens: [WordToken], tokenizer: WordTokenizer) {
        self.list = list
        self.detector = detector
        self.scalars = scalars
        self.tokens = tokens
        self.tokenizer = tokenizer
    }

    mutating func run() {
        let bit = UInt16(1) << UInt16(list)
        let script = detector.lexicon.scripts[list]
        for i in tokens.indices {
            let token = tokens[i]
            if token.sentenceBreakBefore { close() }
            // Chinese characters count only when they stand alone; unbroken text is the prose model's business.
            if token.script != script || (script == .han && !isolatedHan(i)) {
                close()
                continue
            }
            if token.mask & bit != 0 {
                if first < 0 { first = i }
                valid += 1
                last = i
            } else if first < 0 {
                first = i
                last = i
                gap = i
                validBeforeGap = 0
            } else if gap < 0 {
                gap = i
                validBeforeGap = valid
                last = i
            } else {
                let previousGap = gap
                let validAfterGap = valid - validBeforeGap
                close()
                first = previousGap + 1 < i ? previousGap + 1 : i
                valid = validAfterGap
                gap = i
                validBeforeGap = validAfterGap
                last = i
            }
        }
        close()
    }

    private func isolatedHan(_ i: Int) -> Bool {
        let apartFromPrevious = i == 0 || tokens[i].separatedBefore || tokens[i - 1].script != .han
        let apartFromNext = i + 1 == tokens.count || tokens[i + 1].separatedBefore || tokens[i + 1].script != .han
        return apartFromPrevious && apartFromNext
    }

    /// Decides what the run holds. A slip at the edge of a run is only taken in when
    /// the phrase needs it to reach twelve words; a slip inside is taken in when it
    /// is a near miss, or when it is what joins two halves into a phrase.
    private mutating func close() {
        defer {
            first = -1
            last = -1
            valid = 0
            gap = -1
            validBeforeGap = 0
        }
        let minimum = MnemonicDetector.minimumWords
        guard first >= 0, valid >= minimum - 1 else { return }
        guard gap >= 0 else {
            if valid >= minimum { emit(first...last, wordCount: valid, clean: true) }
            return
        }
        let before = validBeforeGap
        let after = valid - validBeforeGap
        var nearMiss: Bool {
            NearMiss(lexicon: detector.lexicon).isNearMiss(tokenizer.key(of: tokens[gap], scalars), list: list)
        }
        if gap == first || gap == last {
            if valid >= minimum {
                emit(gap == first ? (gap + 1)...last : first...(gap - 1), wordCount: valid, clean: true)
            } else if nearMiss {
                emit(first...last, wordCount: valid + 1, clean: false)
            }
            return
        }
        if before >= minimum || after >= minimum {
            if nearMiss {
                emit(first...last, wordCount: valid + 1, clean: false)
            } else {
                if before >= minimum { emit(first...(gap - 1), wordCount: before, clean: true) }
                if after >= minimum { emit((gap + 1)...last, wordCount: after, clean: true) }
            }
            return
        }
        if valid >= minimum || nearMiss {
            emit(first...last, wordCount: valid + 1, clean: false)
        }
    }

    private mutating func emit(_ range: ClosedRange<Int>, wordCount: Int, clean: Bool) {
        var validLength: Int?
        if clean, let indices = detector.indices(tokens[range], list: list, scalars: scalars) {
            validLength = MnemonicChecksum.longestValidPhrase(indices)
        }
        found.append(MnemonicCandidate(
            start: tokens[range.lowerBound].start,
            end: tokens[range.upperBound].end,
            list: list,
            wordCount: validLength ?? wordCount,
            checksumValid: validLength != nil
        ))
    }
}

