import Foundation

/// What the widget tells a customer about when to expect a reply: how many minutes while
/// someone is online and while nobody is, and, where the team wants its own words, a
/// sentence for each case in English and in Chinese. Kept in the inbox's `config` under
/// the keys the README has always documented, so older configs read back unchanged.
struct ExpectedReply: Codable, Sendable, Equatable {
    /// A sentence in each language; either may be missing, and then the widget's own
    /// sentence (with the minutes) is shown in that language.
    struct Words: Codable, Sendable, Equatable {
        var en: String?
        var zhHans: String?

        enum CodingKeys: String, CodingKey { case en, zhHans = "zh-Hans" }

        func text(chinese: Bool) -> String? { chinese ? zhHans : en }
        var isEmpty: Bool { en == nil && zhHans == nil }
    }

    static let defaultOnlineMinutes = 5
    static let defaultOfflineMinutes = 240
    /// A week: a promise further out than that is no promise.
    static let maxMinutes = 10_080
    static let maxWords = 300

    var onlineMinutes = ExpectedReply.defaultOnlineMinutes
    var offlineMinutes = ExpectedReply.defaultOfflineMinutes
    var onlineText: Words? = nil
    var offlineText: Words? = nil

    enum CodingKeys: String, CodingKey { case onlineMinutes, offlineMinutes, onlineText, offlineText }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        onlineMinutes = try container.decodeIfPresent(Int.self, forKey: .onlineMinutes) ?? Self.defaultOnlineMinutes
        offlineMinutes = try container.decodeIfPresent(Int.self, forKey: .offlineMinutes) ?? Self.defaultOfflineMinutes
        onlineText = try container.decodeIfPresent(Words.self, forKey: .onlineText)
        offlineText = try container.decodeIfPresent(Words.self, forKey: .offlineText)
    }

    func minutes(online: Bool) -> Int { online ? onlineMinutes : offlineMinutes }
    func words(online: Bool, chinese: Bool) -> String? { (online ? onlineText : offlineText)?.text(chinese: chinese) }

    private enum StoredKey: String {
        case online = "expectedReplyMinutesOnline", offline = "expectedReplyMinutesOffline"
        case onlineText = "expectedReplyTextOnline", offlineText = "expectedReplyTextOffline"
    }

    /// Reads an inbox's config; values out of range fall back to the defaults.
    init(config: [String: JSONValue]) {
        if case .number(let value)? = config[StoredKey.online.rawValue], (0...Double(Self.maxMinutes)).contains(value) { onlineMinutes = Int(value) }
        if case .number(let value)? = config[StoredKey.offline.rawValue], (0...Double(Self.maxMinutes)).contains(value) { offlineMinutes = Int(value) }
        onlineText = Self.words(config[StoredKey.onlineText.rawValue])
        offlineText = Self.words(config[StoredKey.offlineText.rawValue])
    }

    init(onlineMinutes: Int = ExpectedReply.defaultOnlineMinutes, offlineMinutes: Int = ExpectedReply.defaultOfflineMinutes,
         onlineText: Words? = nil, offlineText: Words? = nil) {
        self.onlineMinutes = onlineMinutes; self.offlineMinutes = offlineMinutes
        self.onlineText = onlineText; self.offlineText = offlineText
    }

    /// Writes these values into a config, keeping its other keys.
    func stored(into config: [String: JSONValue]) -> [String: JSONValue] {
        var config = config
        config[StoredKey.online.rawValue] = .number(Double(onlineMinutes))
        config[StoredKey.offline.rawValue] = .number(Double(offlineMinutes))
        config[StoredKey.onlineText.rawValue] = Self.value(onlineText)
        config[StoredKey.offlineText.rawValue] = Self.value(offlineText)
        return config
    }

    /// What an admin sends: any of the four, the rest kept as they are.
    struct Input: Decodable, Sendable {
        var onlineMinutes: Int?
        var offlineMinutes: Int?
        var onlineText: Words?
        var offlineText: Words?
    }

    /// These values with an admin's changes, checked field by field; blank sentences mean
    /// "use the widget's own".
    func applying(_ input: Input, into validation: inout Validation) -> ExpectedReply {
        var changed = self
        for (field, minutes) in [("expectedReply.onlineMinutes", input.onlineMinutes), ("expectedReply.offlineMinutes", input.offlineMinutes)] {
            guard let minutes else { continue }
            if !(0...Self.maxMinutes).contains(minutes) {
                validation.fail(field, "between 0 and \(Self.maxMinutes) minutes (a week) / 应在 0 到 \(Self.maxMinutes) 分钟（一周）之间")
            }
        }
        if let minutes = input.onlineMinutes { changed.onlineMinutes = minutes }
        if let minutes = input.offlineMinutes { changed.offlineMinutes = minutes }
        if let words = input.onlineText { changed.onlineText = Self.words(words, field: "expectedReply.onlineText", into: &validation) }
        if let words = input.offlineText { changed.offlineText = Self.words(words, field: "expectedReply.offlineText", into: &validation) }
        return changed
    }

    private static func words(_ words: Words?, field: String, into validation: inout Validation) -> Words? {
        guard let words else { return nil }
        var kept = Words()
        for (key, raw) in [("en", words.en), ("zh-Hans", words.zhHans)] {
            let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if text.isEmpty { continue }
            if text.count > maxWords || text.contains(where: \.isNewline) {
                validation.fail("\(field).\(key)", "one line of at most \(maxWords) characters / 应为一行，最多 \(maxWords) 个字符")
                continue
            }
            if key == "en" { kept.en = text } else { kept.zhHans = text }
        }
        return kept.isEmpty ? nil : kept
    }

    private static func words(_ value: JSONValue?) -> Words? {
        guard case .object(let object)? = value else { return nil }
        var words = Words()
        if case .string(let text)? = object["en"], !text.isEmpty { words.en = text }
        if case .string(let text)? = object["zh-Hans"], !text.isEmpty { words.zhHans = text }
        return words.isEmpty ? nil : words
    }

    private static func value(_ words: Words?) -> JSONValue? {
        guard let words else { return nil }
        var object: [String: JSONValue] = [:]
        if let en = words.en { object["en"] = .string(en) }
        if let zh = words.zhHans { object["zh-Hans"] = .string(zh) }
        return .object(object)
    }
}
