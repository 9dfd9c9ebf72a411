/// A user-visible string in each language the desk ships: English and
/// Simplified Chinese.
public struct LocalizedText: Sendable, Hashable, Codable {
    public let en: String
    public let zhHans: String

    public init(en: String, zhHans: String) {
        self.en = en
        self.zhHans = zhHans
    }

    /// The text for a locale identifier such as "zh-CN", "zh_Hans" or "en-US";
    /// anything that is not Chinese gets English.
    public func text(for locale: String) -> String {
        locale.lowercased().hasPrefix("zh") ? zhHans : en
    }
}
