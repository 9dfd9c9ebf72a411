import Testing
@testable import KefuText

@Suite struct TextNormalizerTests {
    @Test(arguments: [
        ("ＵＳＤＴ　１２３", "usdt 123"),
        ("Ｈｅｌｌｏ，Ｗｏｒｌｄ！", "hello,world!"),
        ("ﬁnance ﬂow", "finance flow"),
        ("Ⅻ ㎏ ①", "xii kg 1"),
        ("ＡＢＣｄｅｆ", "abcdef"),
        ("Straße", "strasse"),
        ("ΣΟΦΟΣ", "σοφοσ"),
        ("提币 PENDING", "提币 pending"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("Plain ascii TEXT", "plain ascii text"),
    ])
    func normalizes(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func normalizingTwiceChangesNothing() {
        let once = TextNormalizer.normalize("Ｗａｌｌｅｔ ﬁx 提币")
        #expect(TextNormalizer.normalize(once) == once)
    }
}
