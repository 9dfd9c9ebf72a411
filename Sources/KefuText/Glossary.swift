import Foundation

/// One crypto term a customer may not know, with every spelling it is written in and a
/// plain explanation in English and Chinese.
public struct GlossaryEntry: Sendable, Hashable, Codable {
    public let key: String
    /// English and Chinese spellings: "gas", "gas fee", "矿工费", "燃料费".
    public let terms: [String]
    public let explanation: LocalizedText

    public init(key: String, terms: [String], explanation: LocalizedText) {
        self.key = key
        self.terms = terms
        self.explanation = explanation
    }
}

/// Finds glossary terms in a draft or an answer, and tells when a customer is asking what
/// one means. Terms match as whole words in English and as substrings in Chinese.
public struct GlossaryMatcher: Sendable {
    private let entries: [GlossaryEntry]
    private let matcher: PhraseMatcher<Int>

    public init(_ entries: [GlossaryEntry]) {
        self.entries = entries
        var phrases: [(String, Int)] = []
        for (index, entry) in entries.enumerated() {
            for term in entry.terms {
                let normalized = TextNormalizer.normalize(term)
                if !normalized.isEmpty { phrases.append((normalized, index)) }
            }
        }
        matcher = PhraseMatcher(phrases)
    }

    /// The entries named in `text`, in the order they first appear.
    public func entries(in text: String) -> [GlossaryEntry] {
        let normalized = TextNormalizer.normalize(text)
        let words = Tokenizer.tokens(normalized: normalized)
        let scalars = Array(normalized.unicodeScalars)
        // Word matches are positioned by word, CJK ones by scalar: order each kind on its own, words first.
        let matches = matcher.matches(words: words, scalars: scalars).sorted { ($0.isCJK ? 1 : 0, $0.position) < ($1.isCJK ? 1 : 0, $1.position) }
        var seen = Set<Int>()
        return matches.compactMap { seen.insert($0.value).inserted ? entries[$0.value] : nil }
    }

    /// The customer asks what something means ("what is gas", "什么是滑点", "nonce 是什么意思"):
    /// they are new to it, and an answer should say it plainly.
    public static func asksWhatItMeans(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let english = ["what is", "what's", "whats", "what are", "what does", "meaning of", "don't understand", "dont understand", "do not understand", "never heard"]
        let chinese = ["什么是", "是什么", "什么意思", "啥意思", "啥是", "不懂", "不明白", "不理解", "甚麼是", "什麼是", "是什麼", "什麼意思"]
        return english.contains { lowered.contains($0) } || chinese.contains { text.contains($0) }
    }
}
