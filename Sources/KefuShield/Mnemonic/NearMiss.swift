/// Whether a word that is in no list is one slip away from a word of a list: one
/// letter wrong, missing, extra or swapped with its neighbour, or (for the Latin
/// lists, whose words are unique in their first four letters) a longer word that
/// starts with a list word's four letters.
struct NearMiss {
    let lexicon: Lexicon

    func isNearMiss(_ key: [UInt32], list: Int) -> Bool {
        guard !key.isEmpty else { return false }
        let words = lexicon.keys[list]
        let latin = lexicon.scripts[list] == .latin
        for word in words {
            if abs(word.count - key.count) > 1 { continue }
            if Self.withinOneEdit(key, word) { return true }
        }
        if latin, key.count >= 4 {
            for word in words where word.count >= 4 {
                if word[0] == key[0], word[1] == key[1], word[2] == key[2], word[3] == key[3] { return true }
            }
        }
        return false
    }

    /// Optimal-string-alignment distance ≤ 1, without building the matrix.
    static func withinOneEdit(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        if a.count == b.count {
            var first = -1
            var differences = 0
            for i in 0..<a.count where a[i] != b[i] {
                differences += 1
                if differences == 1 { first = i }
                if differences > 2 { return false }
            }
            if differences <= 1 { return true }
            // Two differences are one edit only when they are adjacent letters swapped.
            return differences == 2 && first + 1 < a.count && a[first] == b[first + 1] && a[first + 1] == b[first]
                && (first + 2 == a.count || a[(first + 2)...] == b[(first + 2)...])
        }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        guard long.count - short.count == 1 else { return false }
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        return short[i...] == long[(i + 1)...]
    }
}
