import Testing
@testable import KefuText

@Suite struct LanguageDetectorTests {
    @Test(arguments: [
        ("我的提币已经两个小时了还没有到账，这是怎么回事？", Language.simplifiedChinese),
        ("请问怎么修改绑定的手机号", .simplifiedChinese),
        ("我的提幣已經兩個小時了還沒有到賬，這是怎麼回事？", .traditionalChinese),
        ("請問怎麼修改綁定的手機號碼", .traditionalChinese),
        ("My withdrawal has been pending for two hours, what is going on?", .english),
        ("出金が二時間たっても反映されません。どうすればいいですか？", .japanese),
        ("출금이 두 시간째 처리되지 않고 있습니다. 어떻게 해야 하나요?", .korean),
        ("Мой вывод средств висит уже два часа, что происходит?", .russian),
        ("Mi retiro lleva dos horas pendiente, ¿qué está pasando?", .spanish),
        ("Hola, no puedo acceder a mi cuenta desde ayer", .spanish),
        ("USDT 提币 pending", .simplifiedChinese),
        ("12345 !!!", .undetermined),
    ])
    func detects(text: String, expected: Language) {
        #expect(LanguageDetector.detect(text) == expected)
    }

    @Test func tagsAreBCP47() {
        #expect(Language.simplifiedChinese.rawValue == "zh-Hans")
        #expect(Language.traditionalChinese.rawValue == "zh-Hant")
        #expect(Language.english.displayName.text(for: "zh-CN") == "英语")
    }
}
