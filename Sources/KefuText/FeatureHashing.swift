/// Stable 64-bit keys for n-gram features. Swift's `Hasher` is seeded per
/// process, so a saved model needs a hash of its own that never changes.
struct FeatureKey {
    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    private(set) var state: UInt64

    init(view: UInt8) {
        state = (Self.offset ^ UInt64(view)) &* Self.prime
    }

    mutating func add(_ value: UInt64) {
        state = (state ^ value) &* Self.prime
    }

    /// The finished key; the final mix spreads FNV's weak low bits.
    var value: UInt64 {
        var z = state &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static func word(_ scalars: some Collection<Unicode.Scalar>) -> UInt64 {
        var key = FeatureKey(view: 0)
        for scalar in scalars { key.add(UInt64(scalar.value)) }
        return key.value
    }
}

/// The sparse n-gram views of a text that the category model reads, before
/// weighting: word n-grams, character n-grams inside word boundaries, and
/// pairs of nearby words that are not adjacent.
struct TextFeatures {
    struct Settings: Sendable, Hashable, Codable {
        var wordNgrams: ClosedRange<Int> = 1...2
        var charNgrams: ClosedRange<Int> = 2...5
        /// Largest distance between the two words of a skip pair; below 2 turns
        /// the view off. Pairs let a linear model see "card" and "arrive" together
        /// however the customer words the rest.
        var skipWindow: Int = 64
        var charWeight: Float = 1
        var skipWeight: Float = 1
        /// Strip plural and verb endings from words before the word and pair views.
        var stemsWords = true
    }

    enum View: UInt8, CaseIterable {
        case word = 1, char = 2, skip = 3
    }

    /// Feature key → count, one dictionary per view.
    private(set) var counts: [View: [UInt64: Float]] = [:]
    /// Keys of the single-word features, to tell whether any word is known.
    private(set) var unigramKeys: [UInt64] = []

    init(_ text: String, settings: Settings) {
        let normalized = TextNormalizer.normalize(text)
        let words = Tokenizer.tokens(normalized: normalized).map { Array($0.unicodeScalars) }
        let wordKeys = words.map { FeatureKey.word(settings.stemsWords ? LightStemmer.stem($0) : $0[...]) }

        var word: [UInt64: Float] = [:]
        for n in settings.wordNgrams where n >= 1 {
            guard wordKeys.count >= n else { continue }
            for start in 0...(wordKeys.count - n) {
                var key = FeatureKey(view: View.word.rawValue)
                key.add(UInt64(n))
                for k in wordKeys[start..<(start + n)] { key.add(k) }
                word[key.value, default: 0] += 1
                if n == 1 { unigramKeys.append(key.value) }
            }
        }
        counts[.word] = word

        var char: [UInt64: Float] = [:]
        let space = Unicode.Scalar(0x20)!
        for scalars in words {
            let padded = [space] + scalars + [space]
            for start in padded.indices {
                var key = FeatureKey(view: View.char.rawValue)
                for end in start..<min(padded.count, start + settings.charNgrams.upperBound) {
                    key.add(UInt64(padded[end].value))
                    if end - start + 1 >= settings.charNgrams.lowerBound {
                        char[key.value, default: 0] += 1
                    }
                }
            }
        }
        counts[.char] = char

        if settings.skipWindow >= 2 {
            var skip: [UInt64: Float] = [:]
            for i in wordKeys.indices {
                for j in stride(from: i + 2, through: min(wordKeys.count - 1, i + settings.skipWindow), by: 1) {
                    var key = FeatureKey(view: View.skip.rawValue)
                    key.add(wordKeys[i])
                    key.add(wordKeys[j])
                    skip[key.value, default: 0] += 1
                }
            }
            counts[.skip] = skip
        }
    }
}

/// Strips the commonest English inflections ("cards", "topped", "topping")
/// so that forms of one word share their word and pair features; character
/// n-grams still see the full word.
enum LightStemmer {
    private static let suffixes: [[Unicode.Scalar]] = ["ing", "ed", "es", "s"].map { Array($0.unicodeScalars) }
    private static let doubleS: [Unicode.Scalar] = ["s", "s"]

    static func stem(_ word: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        guard let last = word.last, last.isASCII, !word.ends(with: doubleS) else { return word[...] }
        for suffix in suffixes where word.count - suffix.count >= 3 && word.ends(with: suffix) {
            return word.dropLast(suffix.count)
        }
        return word[...]
    }
}

extension Array where Element: Equatable {
    func ends(with suffix: [Element]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
