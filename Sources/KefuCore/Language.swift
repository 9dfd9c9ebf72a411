/// Language tags as customers' browsers, products and the language detector give them:
/// "zh", "zh-CN", "zh-Hans", "zh-Hant-TW", "zh_TW", "en-US", "EN".
public enum LocaleTag {
    /// The primary language subtag, lower-cased: "zh-Hant-TW" → "zh", "en_US" → "en".
    public static func primaryLanguage(_ tag: String?) -> String? {
        guard let tag, let first = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first, !first.isEmpty else { return nil }
        return String(first)
    }

    /// Chinese in any script or region (Simplified, Traditional, Hong Kong, Taiwan…).
    public static func isChinese(_ tag: String?) -> Bool { primaryLanguage(tag) == "zh" }
}

/// Which of the desk's two languages a customer is answered in — by warnings, the answer
/// bot and transaction updates alike.
public enum CustomerLanguage {
    /// Chinese when the customer chose Chinese (the widget's or the product's locale) or
    /// writes Chinese. Either is enough: a Chinese speaker on an English browser writes
    /// Chinese, and one who pastes an English recovery phrase chose Chinese in the widget.
    public static func answersInChinese(locale: String?, writes language: String?) -> Bool {
        LocaleTag.isChinese(locale) || LocaleTag.isChinese(language)
    }
}

/// One user-visible text in both of the desk's languages.
public struct BilingualText: Sendable, Equatable, Hashable {
    public let english: String
    public let chinese: String

    public init(english: String, chinese: String) {
        self.english = english
        self.chinese = chinese
    }

    public func text(chinese inChinese: Bool) -> String { inChinese ? chinese : english }

    /// Both, for places that cannot know the reader's language (an API error detail).
    public var both: String { "\(english) / \(chinese)" }
}
