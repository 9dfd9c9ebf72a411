/// How a customer sounds.
public enum Sentiment: String, Sendable, Codable, CaseIterable {
    case angry, neutral, positive

    public var displayName: LocalizedText {
        switch self {
        case .angry: return LocalizedText(en: "Angry", zhHans: "愤怒")
        case .neutral: return LocalizedText(en: "Neutral", zhHans: "中性")
        case .positive: return LocalizedText(en: "Positive", zhHans: "正面")
        }
    }
}

public struct SentimentAnalysis: Sendable, Hashable {
    public let sentiment: Sentiment
    /// Lexicon score: negative is angry, positive is pleased.
    public let score: Double
}

/// Lexicon sentiment for English and Chinese support messages, with negation
/// ("not helpful", "不满意") and intensifiers (exclamation marks, shouting).
public enum SentimentAnalyzer {
    /// Scores at or beyond these thresholds leave "neutral".
    static let angryThreshold = -2.0
    static let positiveThreshold = 2.0

    public static func analyze(_ text: String) -> SentimentAnalysis {
        let normalized = TextNormalizer.normalize(text)
        let words = Tokenizer.tokens(normalized: normalized).filter { !Script(($0.unicodeScalars.first)!).isCJK }
        let scalars = Array(normalized.unicodeScalars)

        var negative = 0.0
        var positive = 0.0
        for match in SentimentLexicon.matcher.matches(words: words, scalars: scalars) {
            let negated = match.isCJK
                ? isNegatedCJK(scalars, before: match.position)
                : isNegatedWord(words, before: match.position)
            var weight = match.value
            // "not bad" is mild praise; "not helpful" is a complaint.
            if negated { weight = -weight * 0.5 }
            if weight < 0 { negative -= weight } else { positive += weight }
        }

        let exclamations = normalized.unicodeScalars.filter { $0 == "!" }.count
        let shouting = shoutedWords(in: text)
        if negative > 0 {
            negative *= 1 + 0.25 * Double(min(exclamations, 4)) + 0.25 * Double(min(shouting, 4))
        }
        // Politeness ("thanks") rarely cancels a complaint in the same message.
        let score = negative > 0 ? positive * 0.5 - negative * 1.5 : positive
        let sentiment: Sentiment =
            score <= angryThreshold ? .angry : score >= positiveThreshold ? .positive : .neutral
        return SentimentAnalysis(sentiment: sentiment, score: score)
    }

    private static func isNegatedWord(_ words: [String], before position: Int) -> Bool {
        let window = words[max(0, position - 3)..<position]
        return window.contains { SentimentLexicon.englishNegators.contains($0) }
    }

    /// "不满意", and "不太满意" with one degree word between; "非常" is not a negation.
    private static func isNegatedCJK(_ scalars: [Unicode.Scalar], before position: Int) -> Bool {
        guard position >= 1 else { return false }
        if SentimentLexicon.chineseNegators.contains(scalars[position - 1]) { return true }
        guard position >= 2 else { return false }
        return SentimentLexicon.chineseNegators.contains(scalars[position - 2])
            && SentimentLexicon.chineseDegreeWords.contains(scalars[position - 1])
    }

    private static func shoutedWords(in text: String) -> Int {
        text.split { !$0.isLetter }.filter { word in
            word.count >= 3 && word.allSatisfy { $0.isASCII && $0.isUppercase }
        }.count
    }
}

enum SentimentLexicon {
    static let englishNegators: Set<String> = [
        "not", "no", "never", "t", "dont", "cant", "didnt", "isnt", "wasnt", "wont", "nothing", "hardly", "without",
    ]
    static let chineseNegators: Set<Unicode.Scalar> = ["不", "没", "沒", "别", "別", "未"]
    static let chineseDegreeWords: Set<Unicode.Scalar> = ["太", "很", "是", "够", "夠", "大", "怎", "有"]

    static let matcher = PhraseMatcher<Double>(entries)

    private static let entries: [(String, Double)] = [
        // English complaints.
        ("scam*", -3), ("fraud*", -3), ("thief", -3), ("thieves", -3), ("liar*", -3), ("lying", -2),
        ("garbage", -3), ("trash", -3), ("rubbish", -3), ("worst", -3), ("pathetic", -3), ("disgust*", -3),
        ("incompetent", -3), ("furious", -3), ("ripoff", -3), ("rip off", -3), ("wtf", -3), ("shit*", -3),
        ("fuck*", -3), ("bullshit", -3), ("terrible", -2), ("horrible", -2), ("awful", -2), ("useless", -2),
        ("ridiculous", -2), ("unacceptable", -2), ("frustrat*", -2), ("annoy*", -2), ("angry", -2),
        ("hate", -2), ("stupid", -2), ("disappoint*", -2), ("sucks", -2), ("damn", -2), ("joke", -1),
        ("bad", -1), ("poor", -1), ("slow", -1), ("lawyer", -1), ("sue", -2), ("steal*", -2), ("robbed", -2),
        ("never again", -2), ("waste of time", -2), ("fed up", -2), ("sick of", -2),
        // English praise.
        ("thank*", 2), ("thx", 2), ("ty", 1), ("appreciate*", 2), ("great", 2), ("excellent", 2),
        ("awesome", 2), ("amazing", 2), ("perfect", 2), ("love", 2), ("helpful", 2), ("wonderful", 2),
        ("fantastic", 2), ("good", 1), ("nice", 1), ("happy", 1), ("glad", 1), ("resolved", 1), ("solved", 1),
        ("works now", 1), ("well done", 2),
        // Chinese complaints (Simplified, with Traditional forms where they differ).
        ("骗子", -3), ("騙子", -3), ("骗局", -3), ("騙局", -3), ("诈骗", -3), ("詐騙", -3), ("骗钱", -3),
        ("垃圾", -3), ("坑人", -3), ("黑心", -3), ("气死", -3), ("氣死", -3), ("差劲", -3), ("恶心", -3),
        ("跑路", -3), ("不要脸", -3), ("妈的", -3), ("他妈", -3), ("破平台", -3), ("无语", -2), ("無語", -2),
        ("太差", -2), ("投诉", -2), ("投訴", -2), ("退钱", -2), ("太慢", -2), ("失望", -2), ("愤怒", -3),
        ("生气", -2), ("生氣", -2), ("不满", -2), ("糟糕", -2), ("离谱", -2), ("坑", -2), ("烂", -2),
        ("报警", -2), ("滚", -2), ("什么破", -2), ("搞什么", -2), ("忍无可忍", -3),
        // Chinese praise.
        ("谢谢", 2), ("謝謝", 2), ("感谢", 2), ("感謝", 2), ("多谢", 2), ("多謝", 2), ("好评", 2),
        ("满意", 2), ("滿意", 2), ("不错", 2), ("不錯", 2), ("给力", 2), ("辛苦了", 2), ("太好了", 2),
        ("棒", 2), ("赞", 2), ("很好", 1), ("专业", 1), ("及时", 1), ("解决了", 1), ("耐心", 1),
    ]
}
