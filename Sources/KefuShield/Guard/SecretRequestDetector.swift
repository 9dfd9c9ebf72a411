/// The secrets a support agent must never ask for.
public enum RequestedSecret: String, Sendable, Codable, CaseIterable {
    case recoveryPhrase = "recovery_phrase"
    case privateKey = "private_key"
    case password
    case pin

    var name: LocalizedText {
        switch self {
        case .recoveryPhrase: LocalizedText(english: "recovery phrase", simplifiedChinese: "助记词")
        case .privateKey: LocalizedText(english: "private key", simplifiedChinese: "私钥")
        case .password: LocalizedText(english: "password", simplifiedChinese: "密码")
        case .pin: LocalizedText(english: "PIN", simplifiedChinese: "PIN 码")
        }
    }
}

/// Finds sentences that ask for a secret, in English or Chinese, and lets through
/// the ones that warn about it.
///
/// A sentence asks when it names a secret and has a request ("send", "share",
/// "提供", "发给"…) that no negation ("never", "do not", "不会", "请勿"…) comes
/// before; a sentence that speaks of scams or phishing is a warning whatever its
/// verbs. Softer verbs ("enter", "import", "输入", "导入") only count when the message
/// points somewhere: a link outside the official domains, or "here", "this page", "链接".
struct SecretRequestDetector {
    struct Request: Equatable {
        var secret: RequestedSecret
        var sentence: Range<Int>
    }

    private static let englishTerms: [([String], RequestedSecret)] = [
        (["recovery", "phrase"], .recoveryPhrase), (["seed", "phrase"], .recoveryPhrase),
        (["secret", "phrase"], .recoveryPhrase), (["backup", "phrase"], .recoveryPhrase),
        (["seed", "words"], .recoveryPhrase), (["recovery", "words"], .recoveryPhrase),
        (["secret", "words"], .recoveryPhrase), (["mnemonic"], .recoveryPhrase), (["mnemonics"], .recoveryPhrase),
        (["seed"], .recoveryPhrase), (["seedphrase"], .recoveryPhrase),
        (["12", "words"], .recoveryPhrase), (["12", "word"], .recoveryPhrase), (["24", "words"], .recoveryPhrase),
        (["24", "word"], .recoveryPhrase), (["twelve", "words"], .recoveryPhrase),
        (["private", "key"], .privateKey), (["private", "keys"], .privateKey), (["privkey"], .privateKey),
        (["secret", "key"], .privateKey), (["keystore"], .privateKey),
        (["password"], .password), (["passwords"], .password), (["passcode"], .password), (["passphrase"], .password),
        (["pin"], .pin), (["pins"], .pin),
    ]
    private static let chineseTerms: [(String, RequestedSecret)] = [
        ("助记词", .recoveryPhrase), ("助記詞", .recoveryPhrase), ("恢复短语", .recoveryPhrase), ("恢復短語", .recoveryPhrase),
        ("种子短语", .recoveryPhrase), ("種子短語", .recoveryPhrase), ("种子词", .recoveryPhrase), ("種子詞", .recoveryPhrase),
        ("助记码", .recoveryPhrase), ("私钥", .privateKey), ("私鑰", .privateKey), ("密钥", .privateKey),
        ("密鑰", .privateKey), ("秘钥", .privateKey), ("密码", .password), ("密碼", .password), ("口令", .password),
        ("pin码", .pin),
    ]

    private static let englishRequests: Set<String> = [
        "send", "sending", "sent", "share", "sharing", "shared", "provide", "providing", "give", "giving", "tell",
        "submit", "paste", "dm", "reply", "forward", "upload", "email", "need", "needs", "require", "requires",
        "required", "ask", "asks", "asking", "screenshot", "disclose", "reveal",
    ]
    private static let englishRequestPhrases: [[String]] = [
        ["what", "is", "your"], ["what's", "your"], ["whats", "your"], ["can", "i", "have"], ["may", "i", "have"],
        ["let", "me", "know", "your"], ["read", "out"],
    ]
    private static let englishSoftRequests: Set<String> = [
        "enter", "entering", "type", "typing", "input", "fill", "import", "importing", "verify", "verifying",
        "validate", "validating", "sync", "synchronize", "confirm", "connect", "click",
    ]
    private static let englishPointers: Set<String> = ["here", "below", "form", "page", "link", "site", "website", "portal", "dapp", "url"]
    /// What phishing says the secret is for; a soft verb with one of these is a request.
    private static let englishPurposes: Set<String> = [
        "verify", "verification", "validate", "validation", "sync", "synchronize", "unlock", "claim", "airdrop", "reward",
        "activate", "activation", "whitelist",
    ]
    private static let englishNegations: Set<String> = [
        "never", "not", "don't", "dont", "won't", "wont", "cannot", "can't", "cant", "shouldn't", "shouldnt",
        "no", "nobody", "nor", "neither", "avoid", "refuse", "doesn't", "doesnt", "mustn't",
    ]
    private static let englishWarnings: Set<String> = [
        "scam", "scams", "scammer", "scammers", "phishing", "fraud", "fraudster", "fraudsters", "fake",
        "impersonate", "impersonating", "impersonator", "impersonators", "beware", "warning", "caution",
    ]

    private static let chineseRequests = [
        "发给", "发送", "发我", "发过来", "发一下", "发到", "发来", "发出来", "提供", "告诉", "告知", "给我", "私信",
        "回复", "截图", "报一下", "说一下", "报给", "贴出", "贴上", "粘贴", "上传", "拍照", "索要", "索取", "需要您",
        "需要你", "透露", "交出", "發給", "發送", "提供", "告訴",
    ]
    private static let chineseSoftRequests = ["输入", "填写", "填入", "导入", "验证", "同步", "确认", "连接", "点击", "輸入", "導入"]
    private static let chinesePointers = ["这里", "此处", "下方", "下面", "链接", "网站", "网页", "表单", "页面", "网址", "這裡", "連結", "網站"]
    private static let chinesePurposes = ["验证", "同步", "解锁", "领取", "空投", "激活", "白名单", "驗證", "解鎖", "領取"]
    private static let chineseNegations = [
        "不会", "不要", "切勿", "请勿", "勿", "绝不", "绝对不", "永远不", "从不", "不得", "不可", "不能", "别把", "别发",
        "别告诉", "别给", "别向", "别将", "别在", "不应", "不该", "禁止", "不需要", "无需", "没有必要", "不會", "請勿", "絕不",
    ]
    private static let chineseWarnings = ["诈骗", "骗子", "骗局", "钓鱼", "谨防", "小心", "警惕", "冒充", "假冒", "詐騙", "騙子"]

    /// `pointsElsewhere`: the message carries a link outside the official domains.
    func requests(in text: String, pointsElsewhere: Bool) -> [Request] {
        // Lower-cased one scalar at a time, so positions stay those of the draft.
        let scalars: [Unicode.Scalar] = text.unicodeScalars.map { scalar in
            if scalar == "’" { return "'" }
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            return lower.count == 1 ? lower.first! : scalar
        }
        var requests: [Request] = []
        for sentence in Self.sentences(scalars) {
            if let secret = request(in: scalars, sentence, pointsElsewhere: pointsElsewhere) {
                requests.append(Request(secret: secret, sentence: sentence))
            }
        }
        return requests
    }

    private func request(in scalars: [Unicode.Scalar], _ sentence: Range<Int>, pointsElsewhere: Bool) -> RequestedSecret? {
        let words = Self.words(scalars, sentence)
        let wordTexts = words.map(\.text)
        var secret: (RequestedSecret, Int)?
        func note(_ found: RequestedSecret, at position: Int) {
            if secret == nil || position < secret!.1 { secret = (found, position) }
        }
        for (sequence, kind) in Self.englishTerms {
            if let index = Self.firstIndex(of: sequence, in: wordTexts) { note(kind, at: words[index].start) }
        }
        for (phrase, kind) in Self.chineseTerms {
            if let position = Self.firstPosition(of: phrase, in: scalars, sentence) { note(kind, at: position) }
        }
        guard let (found, _) = secret else { return nil }

        if wordTexts.contains(where: Self.englishWarnings.contains)
            || Self.chineseWarnings.contains(where: { Self.firstPosition(of: $0, in: scalars, sentence) != nil }) {
            return nil
        }

        var softPositions: [Int] = words.filter { Self.englishSoftRequests.contains($0.text) }.map(\.start)
        for phrase in Self.chineseSoftRequests {
            softPositions.append(contentsOf: Self.positions(of: phrase, in: scalars, sentence))
        }
        var purposePositions: [Int] = words.filter { Self.englishPurposes.contains($0.text) }.map(\.start)
        for phrase in Self.chinesePurposes {
            purposePositions.append(contentsOf: Self.positions(of: phrase, in: scalars, sentence))
        }
        // A purpose counts when it is not the soft verb itself ("verify your phrase" alone stays soft).
        let pointing = pointsElsewhere || wordTexts.contains(where: Self.englishPointers.contains)
            || Self.chinesePointers.contains(where: { Self.firstPosition(of: $0, in: scalars, sentence) != nil })
            || purposePositions.contains(where: { purpose in softPositions.contains { $0 != purpose } })
        var requestPositions: [Int] = pointing ? softPositions : []
        for (index, word) in words.enumerated() {
            if Self.englishRequests.contains(word.text) { requestPositions.append(word.start) }
            for phrase in Self.englishRequestPhrases where wordTexts[index...].starts(with: phrase) {
                requestPositions.append(word.start)
            }
        }
        for phrase in Self.chineseRequests {
            requestPositions.append(contentsOf: Self.positions(of: phrase, in: scalars, sentence))
        }
        guard !requestPositions.isEmpty else { return nil }

        var negations = words.filter { Self.englishNegations.contains($0.text) }.map(\.start)
        for phrase in Self.chineseNegations {
            negations.append(contentsOf: Self.positions(of: phrase, in: scalars, sentence))
        }
        let firstNegation = negations.min() ?? Int.max
        return requestPositions.contains(where: { $0 < firstNegation }) ? found : nil
    }

    // MARK: Text

    /// Sentences end at . ! ? (followed by a space or the end), their full-width forms, semicolons and new lines.
    static func sentences(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var sentences: [Range<Int>] = []
        var start = 0
        for (i, scalar) in scalars.enumerated() {
            let ends: Bool = switch scalar {
            case "。", "！", "？", "；", ";", "\n": true
            case ".", "!", "?": i + 1 == scalars.count || scalars[i + 1].properties.isWhitespace
            default: false
            }
            if ends {
                if i > start { sentences.append(start..<i) }
                start = i + 1
            }
        }
        if start < scalars.count { sentences.append(start..<scalars.count) }
        return sentences
    }

    struct Word {
        var text: String
        var start: Int
    }

    static func words(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> [Word] {
        var words: [Word] = []
        var i = range.lowerBound
        while i < range.upperBound {
            guard scalars[i].isASCII, Scalars.isASCIIAlphanumeric(scalars[i].value) else {
                i += 1
                continue
            }
            var end = i + 1
            while end < range.upperBound, scalars[end].isASCII,
                  Scalars.isASCIIAlphanumeric(scalars[end].value) || scalars[end] == "'" { end += 1 }
            words.append(Word(text: String(String.UnicodeScalarView(scalars[i..<end])), start: i))
            i = end
        }
        return words
    }

    static func firstIndex(of sequence: [String], in words: [String]) -> Int? {
        guard sequence.count <= words.count else { return nil }
        for start in 0...(words.count - sequence.count) where words[start..<(start + sequence.count)].elementsEqual(sequence) {
            return start
        }
        return nil
    }

    static func positions(of phrase: String, in scalars: [Unicode.Scalar], _ range: Range<Int>) -> [Int] {
        let needle = Array(phrase.unicodeScalars)
        guard let first = needle.first, range.count >= needle.count else { return [] }
        var found: [Int] = []
        for i in range.lowerBound...(range.upperBound - needle.count) where scalars[i] == first {
            if scalars[i..<(i + needle.count)].elementsEqual(needle) { found.append(i) }
        }
        return found
    }

    static func firstPosition(of phrase: String, in scalars: [Unicode.Scalar], _ range: Range<Int>) -> Int? {
        positions(of: phrase, in: scalars, range).first
    }
}
