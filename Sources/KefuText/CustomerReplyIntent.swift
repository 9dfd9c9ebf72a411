import Foundation

/// What a customer means by their answer to "did this solve it?", or by asking for a person
/// at any time. Anything longer than a short reply is a new question, not a yes or no.
public enum CustomerReplyIntent: String, Sendable, Codable, Equatable {
    case wantsHuman = "wants_human"
    case solved
    case notSolved = "not_solved"
    case other

    public static func classify(_ text: String) -> CustomerReplyIntent {
        let normalized = TextNormalizer.normalize(text)
        let words = normalized.split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map(String.init)
        let compact = words.joined(separator: " ")
        let cjk = normalized.filter { $0.unicodeScalars.allSatisfy { Script($0) == .han } }

        if words.contains(where: humanWords.contains) || humanPhrases.contains(where: compact.contains)
            || chineseHuman.contains(where: cjk.contains) {
            return .wantsHuman
        }
        // A reply, not a new question: a handful of words, or a short Chinese sentence.
        let latinWords = words.filter { $0.unicodeScalars.contains { Script($0) != .han } }
        guard latinWords.count <= 6 && cjk.count <= 12 else { return .other }

        // Negation first: "no thanks", "not solved", "没解决" carry a yes-word too.
        let positiveChinese = chinesePositiveOverrides.contains(where: cjk.contains)
        if words.contains(where: noWords.contains) || noPhrases.contains(where: compact.contains)
            || (!positiveChinese && chineseNo.contains(where: cjk.contains)) {
            return .notSolved
        }
        if words.contains(where: yesWords.contains) || yesPhrases.contains(where: compact.contains)
            || positiveChinese || chineseYes.contains(where: cjk.contains) {
            return .solved
        }
        return .other
    }

    private static let humanWords: Set<String> = ["human", "agent", "person", "representative", "operator", "staff"]
    private static let humanPhrases = ["real person", "talk to someone", "speak to someone", "customer service", "live chat", "live support"]
    private static let chineseHuman = ["人工", "真人", "找客服", "联系客服", "接客服", "要客服"]

    private static let noWords: Set<String> = ["no", "nope", "nah", "n", "not", "didn't", "didnt", "doesn't", "doesnt", "still", "useless", "unhelpful", "wrong"]
    private static let noPhrases = ["did not", "does not", "not really"]
    private static let chineseNo = ["否", "不", "没", "未解决", "还是"]
    /// Chinese praise that happens to contain 不 or 没: "不错" (not bad), "没问题" (no problem).
    private static let chinesePositiveOverrides = ["不错", "没问题"]

    private static let yesWords: Set<String> = ["yes", "yep", "yeah", "y", "ok", "okay", "solved", "resolved", "fixed", "thanks", "thx", "great", "perfect", "works", "worked", "helpful"]
    private static let yesPhrases = ["thank you", "got it", "it worked", "all good"]
    private static let chineseYes = ["是", "对", "好", "解决了", "可以了", "谢谢", "明白", "懂了", "有用", "有帮助", "行了"]
}
