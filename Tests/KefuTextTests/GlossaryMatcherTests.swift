import Testing
@testable import KefuText

@Suite("The glossary finds crypto terms as customers and agents write them")
struct GlossaryMatcherTests {
    static let matcher = GlossaryMatcher([
        GlossaryEntry(key: "gas", terms: ["gas", "gas fee", "矿工费"], explanation: LocalizedText(en: "the network's fee", zhHans: "网络收取的费用")),
        GlossaryEntry(key: "slippage", terms: ["slippage", "滑点"], explanation: LocalizedText(en: "the price moved", zhHans: "价格变化")),
        GlossaryEntry(key: "seed_phrase", terms: ["seed phrase", "助记词"], explanation: LocalizedText(en: "the wallet's master key", zhHans: "钱包的总钥匙")),
    ])

    @Test("terms found, first use first", arguments: [
        ("The Gas fee went up, so raise the slippage", ["gas", "slippage"]),
        ("您的矿工费不足，滑点也太低", ["gas", "slippage"]),
        ("Never share your seed phrase", ["seed_phrase"]),
        ("gasoline is not gas", ["gas"]),
        ("nothing to explain here", []),
    ])
    func finds(_ text: String, keys: [String]) {
        #expect(Self.matcher.entries(in: text).map(\.key) == keys)
    }

    @Test("a customer asking what a term means", arguments: [
        ("what is gas?", true), ("whats slippage", true), ("什么是滑点", true), ("矿工费是什么意思", true), ("我不懂助记词", true),
        ("my gas fee is too high", false), ("滑点设置多少合适", false),
    ])
    func asks(_ text: String, expected: Bool) {
        #expect(GlossaryMatcher.asksWhatItMeans(text) == expected)
    }
}
