/// A language triage can tell apart, named by its BCP 47 tag.
public enum Language: String, Sendable, Codable, CaseIterable {
    case simplifiedChinese = "zh-Hans"
    case traditionalChinese = "zh-Hant"
    case english = "en"
    case japanese = "ja"
    case korean = "ko"
    case russian = "ru"
    case spanish = "es"
    case undetermined = "und"

    /// The language's name for people, in English and in Simplified Chinese.
    public var displayName: LocalizedText {
        switch self {
        case .simplifiedChinese: return LocalizedText(en: "Chinese (Simplified)", zhHans: "简体中文")
        case .traditionalChinese: return LocalizedText(en: "Chinese (Traditional)", zhHans: "繁体中文")
        case .english: return LocalizedText(en: "English", zhHans: "英语")
        case .japanese: return LocalizedText(en: "Japanese", zhHans: "日语")
        case .korean: return LocalizedText(en: "Korean", zhHans: "韩语")
        case .russian: return LocalizedText(en: "Russian", zhHans: "俄语")
        case .spanish: return LocalizedText(en: "Spanish", zhHans: "西班牙语")
        case .undetermined: return LocalizedText(en: "Unknown", zhHans: "未知")
        }
    }
}

/// Detects a message's language from the scripts it is written in and, for
/// Latin text, from stop words; Chinese is split into Simplified and
/// Traditional by the characters that differ between the two.
public enum LanguageDetector {
    public static func detect(_ text: String) -> Language {
        let normalized = TextNormalizer.normalize(text)
        var counts = ScriptCounts()
        for scalar in normalized.unicodeScalars {
            counts.add(scalar)
        }
        let cjk = counts.han + counts.kana + counts.hangul
        // Customers mix in English product words ("USDT 提币 pending"); a couple
        // of CJK characters say more about the writer than the borrowed words.
        if cjk >= 2 || (cjk > 0 && cjk * 3 >= counts.latin + counts.cyrillic) {
            if counts.hangul > 0 && counts.hangul >= counts.kana && counts.hangul * 2 >= counts.han {
                return .korean
            }
            if counts.kana > 0 && counts.kana * 10 >= counts.han {
                return .japanese
            }
            if counts.han > 0 {
                return counts.traditional > counts.simplified ? .traditionalChinese : .simplifiedChinese
            }
            return counts.kana > 0 ? .japanese : .korean
        }
        if counts.cyrillic > 0 && counts.cyrillic >= counts.latin {
            return .russian
        }
        if counts.latin > 0 {
            return latinLanguage(normalized, spanishLetters: counts.spanishLetters)
        }
        return .undetermined
    }

    private static func latinLanguage(_ normalized: String, spanishLetters: Int) -> Language {
        var english = 0
        var spanish = spanishLetters * 2
        for token in Tokenizer.tokens(normalized: normalized) {
            if StopWords.english.contains(token) { english += 1 }
            if StopWords.spanish.contains(token) { spanish += 1 }
        }
        if spanish > english { return .spanish }
        return .english
    }
}

private struct ScriptCounts {
    var han = 0, kana = 0, hangul = 0, cyrillic = 0, latin = 0
    var simplified = 0, traditional = 0
    /// ñ, ¿, ¡ and accented vowels: rare in English, common in Spanish.
    var spanishLetters = 0

    mutating func add(_ scalar: Unicode.Scalar) {
        switch Script(scalar) {
        case .han:
            han += 1
            if ChineseVariants.simplifiedOnly.contains(scalar) { simplified += 1 }
            if ChineseVariants.traditionalOnly.contains(scalar) { traditional += 1 }
        case .kana: kana += 1
        case .hangul: hangul += 1
        case .cyrillic: cyrillic += 1
        case .latin:
            latin += 1
            if "ñáéíóúü".unicodeScalars.contains(scalar) { spanishLetters += 1 }
        default:
            if scalar == "¿" || scalar == "¡" { spanishLetters += 1 }
        }
    }
}

enum ChineseVariants {
    // Pairs at the same positions: each simplified character and its
    // traditional form. Only characters that exist in one system alone are
    // listed, so a hit is evidence for that system.
    private static let simplifiedText =
        "们这个说为时么还没钱币账号现转会请问题实对发过来马门东见长书买卖单帐户务额认证码绑与从经开关机网络电话记录错误帮处结试点击该给让谢冻险骗盗资产获国学体万几头应兑换链费续显钟吗样边进运动无业习区块线图际优惠欢红银传递订确损丢诈级验审询语种术车钓"
    private static let traditionalText =
        "們這個說為時麼還沒錢幣賬號現轉會請問題實對發過來馬門東見長書買賣單帳戶務額認證碼綁與從經開關機網絡電話記錄錯誤幫處結試點擊該給讓謝凍險騙盜資產獲國學體萬幾頭應兌換鏈費續顯鐘嗎樣邊進運動無業習區塊線圖際優惠歡紅銀傳遞訂確損丟詐級驗審詢語種術車釣"

    static let simplifiedOnly: Set<Unicode.Scalar> = Set(simplifiedText.unicodeScalars)
        .subtracting(traditionalText.unicodeScalars)
    static let traditionalOnly: Set<Unicode.Scalar> = Set(traditionalText.unicodeScalars)
        .subtracting(simplifiedText.unicodeScalars)
}

enum StopWords {
    static let english: Set<String> = [
        "the", "a", "an", "is", "are", "was", "were", "be", "been", "i", "you", "he", "she", "it", "we",
        "they", "my", "your", "our", "their", "this", "that", "these", "those", "of", "to", "in", "on",
        "for", "with", "and", "or", "but", "not", "have", "has", "had", "do", "does", "did", "can",
        "could", "would", "should", "will", "what", "why", "how", "when", "where", "which", "who",
        "me", "from", "at", "by", "as", "if", "so", "there", "here", "please", "still", "yet", "just",
        "been", "any", "all", "some", "no", "get", "got", "account", "money", "card", "help", "thanks",
    ]
    static let spanish: Set<String> = [
        "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "que", "y", "en", "por",
        "para", "con", "es", "son", "está", "esta", "están", "mi", "mis", "tu", "su", "sus", "yo", "no",
        "lo", "le", "se", "me", "al", "como", "pero", "más", "muy", "ya", "hay", "qué", "cuándo",
        "dónde", "cómo", "porque", "todavía", "cuenta", "dinero", "tarjeta", "ayuda",
        "gracias", "hola", "necesito", "puedo", "tengo", "retiro", "depósito", "fondos", "billetera",
    ]
}
