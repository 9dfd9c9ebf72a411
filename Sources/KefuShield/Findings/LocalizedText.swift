/// A sentence shown to people, in both languages the desk speaks.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var english: String
    public var simplifiedChinese: String

    public init(english: String, simplifiedChinese: String) {
        self.english = english
        self.simplifiedChinese = simplifiedChinese
    }
}
