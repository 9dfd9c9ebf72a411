import Testing
@testable import KefuText

@Suite struct TokenizerTests {
    @Test func mixedChineseAndEnglish() {
        #expect(Tokenizer.tokens("USDT 提币 pending") == ["usdt", "提币", "pending"])
        #expect(Tokenizer.tokens("USDT提币一直pending") == ["usdt", "提币", "币一", "一直", "pending"])
    }

    @Test func chineseRunsBecomeBigrams() {
        #expect(Tokenizer.tokens("钱包地址") == ["钱包", "包地", "地址"])
    }

    @Test func oneCharacterQueryStaysOneCharacter() {
        #expect(Tokenizer.tokens("币") == ["币"])
    }

    @Test func documentsAlsoIndexSingleCharacters() {
        #expect(Tokenizer.tokens("提币", for: .document) == ["提币", "提", "币"])
    }

    @Test func japaneseKoreanAndCyrillic() {
        #expect(Tokenizer.tokens("出金できない") == ["出金", "金で", "でき", "きな", "ない"])
        #expect(Tokenizer.tokens("출금 지연") == ["출금", "지연"])
        #expect(Tokenizer.tokens("Вывод средств") == ["вывод", "средств"])
    }

    @Test func fullWidthAndPunctuation() {
        #expect(Tokenizer.tokens("ＴＲＣ２０，can't withdraw!") == ["trc20", "can", "t", "withdraw"])
    }
}
