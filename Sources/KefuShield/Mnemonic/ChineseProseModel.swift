import Foundation

/// Tells an unbroken run of Chinese wordlist characters that is ordinary prose from
/// one that is a recovery phrase typed without spaces.
///
/// The Chinese wordlists are the 2048 most common characters, in order of frequency,
/// so prose forms long runs of them too. Two things differ: prose is made of words,
/// so adjacent characters often form a common two-character word, while a phrase's
/// characters are drawn at random and rarely do; and prose leans on the most frequent
/// characters, while a phrase uses every rank alike.
struct ChineseProseModel: Sendable {
    static let shared = ChineseProseModel(lexicon: .shared, resources: BundledResources())

    /// One bit per ordered pair of word indices (first * 2048 + second).
    private let commonPairs: [UInt64]
    /// Per word index, log(P(character | uniform draw) / P(character | Zipf-ranked prose)) negated:
    /// positive for characters prose uses more often than a random draw would.
    let proseLeaning: [Float]

    /// A window may hold this many common-word pairs, plus one per `pairAllowancePer` characters.
    static let basePairAllowance = 1
    static let pairAllowancePer = 8
    /// Mean prose leaning above which a window reads as prose.
    static let maximumMeanLeaning: Float = 0.6

    init(lexicon: Lexicon, resources: BundledResources) {
        var pairs = [UInt64](repeating: 0, count: 2048 * 2048 / 64)
        let simplified = lexicon.keys[Wordlist.chineseSimplified.ordinal]
        var indexOf: [UInt32: Int] = [:]
        for (index, key) in simplified.enumerated() { indexOf[key[0]] = index }
        for word in resources.commonChineseWords() {
            let scalars = word.unicodeScalars.map(\.value)
            guard scalars.count == 2, let first = indexOf[scalars[0]], let second = indexOf[scalars[1]] else { continue }
            let bit = first * 2048 + second
            pairs[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        commonPairs = pairs
        let harmonic = (0..<2048).reduce(0.0) { $0 + 1.0 / Double($1 + 10) }
        proseLeaning = (0..<2048).map { rank in Float(log(2048.0 / (Double(rank + 10) * harmonic))) }
    }

    @inline(__always)
    func isCommonWord(_ first: Int, _ second: Int) -> Bool {
        let bit = first * 2048 + second
        return commonPairs[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// The stretches of `indices` (word indices of adjacent characters, all in one
    /// list) that read as a phrase rather than prose: the union of every window of
    /// 12 to 24 characters that passes.
    func phraseStretches(_ indices: [Int]) -> [Range<Int>] {
        let count = indices.count
        guard count >= 12 else { return [] }
        var pairHits = [Int](repeating: 0, count: count)  // pairHits[i]: common pairs among indices[0...i]
        var leaning = [Float](repeating: 0, count: count + 1)
        for i in 0..<count {
            leaning[i + 1] = leaning[i] + proseLeaning[indices[i]]
            pairHits[i] = (i > 0 ? pairHits[i - 1] : 0) + (i > 0 && isCommonWord(indices[i - 1], indices[i]) ? 1 : 0)
        }
        var stretches: [Range<Int>] = []
        var start = 0
        while start + 12 <= count {
            var best = 0
            for length in 12...min(24, count - start) {
                let end = start + length
                let hits = pairHits[end - 1] - pairHits[start]
                let meanLeaning = (leaning[end] - leaning[start]) / Float(length)
                if hits <= Self.basePairAllowance + length / Self.pairAllowancePer && meanLeaning <= Self.maximumMeanLeaning {
                    best = length
                }
            }
            if best > 0 {
                let range = start..<(start + best)
                if let last = stretches.last, last.upperBound >= range.lowerBound {
                    stretches[stretches.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
                } else {
                    stretches.append(range)
                }
            }
            start += 1
        }
        return stretches
    }
}
