/// How serious a complaint is: a customer threatening a regulator or a lawyer is not one
/// who finds the service slow.
public enum ComplaintSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case minor, major, critical

    private var rank: Int {
        switch self {
        case .minor: 0
        case .major: 1
        case .critical: 2
        }
    }

    public static func < (lhs: ComplaintSeverity, rhs: ComplaintSeverity) -> Bool { lhs.rank < rhs.rank }

    public var displayName: LocalizedText {
        switch self {
        case .minor: LocalizedText(en: "Minor", zhHans: "一般")
        case .major: LocalizedText(en: "Major", zhHans: "严重")
        case .critical: LocalizedText(en: "Critical", zhHans: "重大")
        }
    }
}

/// What made a message read as a complaint.
public enum ComplaintSignal: String, Sendable, Codable, CaseIterable {
    /// The customer says so: "I want to complain", 投诉, 举报.
    case stated
    /// A regulator, a lawyer, the police or the press: 起诉, 315, "report you to".
    case outside
    /// A grievance ("unacceptable", 太差了) that only counts when the customer is angry.
    case grievance
}

public struct ComplaintDetection: Sendable, Hashable {
    public let severity: ComplaintSeverity
    public let signals: [ComplaintSignal]
    /// The lexicon phrases that matched, as written in the lexicon ("complain*", "投诉").
    public var phrases: [String] = []
}

/// Reads a customer message for a complaint, in English and Chinese (Simplified and
/// Traditional). A stated complaint or a threat to go elsewhere is one on its own; a
/// grievance is one only with angry sentiment, so "unacceptable fees?" asked calmly is
/// a question, not a complaint.
public enum ComplaintDetector {
    /// `ignoring` holds phrases a workspace's agents taught it to ignore (see `ComplaintLearning`).
    public static func detect(_ text: String, ignoring: Set<String> = []) -> ComplaintDetection? {
        let normalized = TextNormalizer.normalize(text)
        let words = Tokenizer.tokens(normalized: normalized)
        let scalars = Array(normalized.unicodeScalars)
        let matches = ComplaintLexicon.matcher.matches(words: words, scalars: scalars).filter { !ignoring.contains($0.value.phrase) }
        let found = Set(matches.map(\.value.signal))
        let phrases = Array(Set(matches.map(\.value.phrase))).sorted()
        guard !found.isEmpty else { return nil }
        if found == [.grievance] {
            // One grievance word in a question ("unacceptable fees?") is asked, not complained;
            // said in anger, exclaimed or repeated it is a complaint.
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let asked = trimmed.hasSuffix("?") || trimmed.hasSuffix("？") || trimmed.hasSuffix("吗")
            let insisted = matches.count > 1 || text.contains("!") || text.contains("！")
            guard SentimentAnalyzer.analyze(text).sentiment == .angry, insisted || !asked else { return nil }
            return ComplaintDetection(severity: .minor, signals: [.grievance], phrases: phrases)
        }
        let signals = ComplaintSignal.allCases.filter(found.contains)
        return ComplaintDetection(severity: found.contains(.outside) ? .critical : .major, signals: signals, phrases: phrases)
    }
}

/// What agents teach the detector: a phrase they said "not a complaint" to again and again
/// (a wallet's own "report" feature, "useless" in "the old app is useless now") stops opening
/// complaints in their workspace. A phrase is ignored once agents undid it at least
/// `minimumUndone` times and kept at most a quarter of the complaints it opened. The other phrases of the
/// lexicon keep working, so a customer who also says 投诉 is still heard.
public enum ComplaintLearning {
    public static let minimumUndone = 3

    public struct Outcome: Sendable, Equatable {
        /// The phrases the full lexicon finds in the text that opened the complaint.
        public var phrases: Set<String>
        /// An agent said it was not a complaint.
        public var withdrawn: Bool
        public init(phrases: Set<String>, withdrawn: Bool) { self.phrases = phrases; self.withdrawn = withdrawn }
    }

    public static func ignoredPhrases(_ outcomes: [Outcome]) -> [String] {
        var undone: [String: Int] = [:], kept: [String: Int] = [:]
        for outcome in outcomes {
            for phrase in outcome.phrases {
                if outcome.withdrawn { undone[phrase, default: 0] += 1 } else { kept[phrase, default: 0] += 1 }
            }
        }
        return undone.filter { phrase, count in count >= minimumUndone && kept[phrase, default: 0] * 4 <= count + kept[phrase, default: 0] }
            .keys.sorted()
    }

    /// Every phrase the detector knows, for checking a list an admin edits.
    public static var phrases: Set<String> { Set(ComplaintLexicon.entries.map(\.0)) }
}

enum ComplaintLexicon {
    struct Entry: Sendable, Hashable {
        let signal: ComplaintSignal
        let phrase: String
    }

    static let matcher = PhraseMatcher<Entry>(entries.map { ($0.0, Entry(signal: $0.1, phrase: $0.0)) })

    static let entries: [(String, ComplaintSignal)] = [
        ("complain*", .stated), ("file a complaint", .stated), ("formal complaint", .stated), ("lodge a complaint", .stated),
        ("make a complaint", .stated), ("speak to your manager", .stated), ("talk to your manager", .stated),
        ("your supervisor", .stated), ("escalate this", .stated),
        ("report you", .outside), ("reporting you", .outside), ("sue you", .outside), ("sue your", .outside), ("lawsuit", .outside),
        ("lawyer", .outside), ("attorney", .outside), ("legal action", .outside), ("regulator*", .outside),
        ("the police", .outside), ("go to the press", .outside), ("journalist*", .outside), ("expose you", .outside),
        ("unacceptable", .grievance), ("ridiculous", .grievance), ("terrible service", .grievance), ("worst service", .grievance),
        ("worst app", .grievance), ("worst exchange", .grievance), ("no one helps", .grievance), ("nobody helps", .grievance),
        ("nobody is helping", .grievance), ("no one is helping", .grievance), ("still no answer", .grievance),
        ("waited for days", .grievance), ("waiting for days", .grievance), ("disgrace*", .grievance), ("useless", .grievance),
        // Chinese, Simplified then Traditional where it differs.
        ("投诉", .stated), ("投訴", .stated), ("举报", .stated), ("舉報", .stated), ("找你们领导", .stated), ("找你們領導", .stated),
        ("要求赔偿", .stated), ("要求賠償", .stated), ("维权", .stated), ("維權", .stated),
        ("起诉", .outside), ("起訴", .outside), ("律师", .outside), ("律師", .outside), ("报警", .outside), ("報警", .outside),
        ("消协", .outside), ("消協", .outside), ("监管", .outside), ("監管", .outside), ("曝光", .outside),
        ("315晚会", .outside), ("媒体", .outside), ("媒體", .outside), ("法院", .outside), ("工商局", .outside),
        ("太差", .grievance), ("垃圾", .grievance), ("没人管", .grievance), ("沒人管", .grievance), ("没人理", .grievance),
        ("沒人理", .grievance), ("不可接受", .grievance), ("无法接受", .grievance), ("無法接受", .grievance),
        ("什么破", .grievance), ("什麼破", .grievance), ("等了好几天", .grievance), ("等了好幾天", .grievance),
        ("太离谱", .grievance), ("太離譜", .grievance), ("坑人", .grievance), ("黑平台", .grievance),
    ]
}
