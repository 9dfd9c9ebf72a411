/// Input limits shared by every channel, so an email and a widget message are judged alike.
public enum Limits {
    public static let messageText = 10_000
    public static let name = 200
    public static let email = 320
    public static let phone = 40
    public static let subject = 300
    public static let tag = 50
    public static let category = 100
    public static let tagsPerConversation = 30
    public static let walletAddresses = 20
    public static let walletAddress = 128
    public static let attributes = 50
    public static let attributeKey = 64
    public static let attributeValue = 1_000
    public static let url = 2_048
    /// bcrypt reads at most 72 bytes, so a longer password would be silently truncated.
    public static let password = (min: 8, maxBytes: 72)
}

public enum Password {
    /// Why a password cannot be used, or nil when it can.
    public static func problem(with password: String) -> String? {
        if password.count < Limits.password.min { return "must be at least \(Limits.password.min) characters" }
        if password.utf8.count > Limits.password.maxBytes { return "must be at most \(Limits.password.maxBytes) bytes (about 24 Chinese characters)" }
        if password.unicodeScalars.contains(where: { $0.value == 0 }) { return "must not contain NUL characters" }
        return nil
    }
}

public enum Tag {
    /// Tags are compared case-insensitively and stored lower-cased, and may not contain
    /// characters that would be ambiguous in a list or a search pattern.
    public static func normalize(_ raw: String) -> String? {
        let tag = raw.trimmingWhitespace().lowercased()
        guard !tag.isEmpty, tag.count <= Limits.tag else { return nil }
        let forbidden: Set<Character> = [",", "%", "\\", " ", "\t", "\n", "\r", "\u{0}"]
        guard !tag.contains(where: { forbidden.contains($0) }) else { return nil }
        return tag
    }
}

extension String {
    public func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
