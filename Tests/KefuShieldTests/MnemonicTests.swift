import Foundation
import Testing
@testable import KefuShield

@Suite("Recovery phrases are found and redacted in every wordlist")
struct MnemonicTests {
    private func phrase(in text: String) -> Finding? {
        shield.scan(text).findings(.mnemonic).first
    }

    private func english(_ entropy: String) -> GeneratedVectors.Phrase {
        GeneratedVectors.phrases.first { $0.wordlist == "english" && $0.entropy == entropy }!
    }

    @Test("the reference tooling's phrases in all ten lists: found, checksum valid, right list", arguments: GeneratedVectors.phrases.indices)
    func referencePhrases(index: Int) throws {
        let vector = GeneratedVectors.phrases[index]
        let scan = shield.scan(vector.text)
        let finding = try #require(scan.findings(.mnemonic).first, "\(vector.wordlist) \(vector.entropy)")
        #expect(finding.checksumValid == true)
        #expect(finding.wordCount == vector.words.count)
        #expect(finding.value == nil)
        #expect(finding.start == 0 && finding.end == vector.text.unicodeScalars.count)
        if !vector.wordlist.hasPrefix("chinese") {
            #expect(finding.wordlist?.rawValue == vector.wordlist)
        }
        #expect(scan.text == SecretPlaceholder.recoveryPhrase)
    }

    @Test("BIP-39's English vector \"abandon … about\"")
    func abandonAbout() {
        let text = Array(repeating: "abandon", count: 11).joined(separator: " ") + " about"
        let finding = phrase(in: text)
        #expect(finding?.checksumValid == true)
        #expect(finding?.wordlist == .english)
        #expect(finding?.wordCount == 12)
    }

    @Test("however the phrase is laid out", arguments: [
        "{words}",
        "{newline}",
        "{numbered-dot}",
        "{numbered-paren}",
        "{numbered-colon}",
        "{commas}",
        "{dunhao}",
        "{upper}",
        "{extra-spaces}",
        "{ideographic}",
        "My recovery phrase is: {words} please help",
    ])
    func layouts(template: String) {
        let words = english("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f").words
        let body: String = switch template {
        case "{newline}": words.joined(separator: "\n")
        case "{numbered-dot}": words.enumerated().map { "\($0 + 1). \($1)" }.joined(separator: "\n")
        case "{numbered-paren}": words.enumerated().map { "\($0 + 1)) \($1)" }.joined(separator: " ")
        case "{numbered-colon}": words.enumerated().map { "\($0 + 1):\($1)" }.joined(separator: " ")
        case "{commas}": words.joined(separator: ", ")
        case "{dunhao}": words.joined(separator: "、")
        case "{upper}": words.joined(separator: " ").uppercased()
        case "{extra-spaces}": words.joined(separator: "   \t ")
        case "{ideographic}": words.joined(separator: "\u{3000}")
        default: template.replacingOccurrences(of: "{words}", with: words.joined(separator: " "))
        }
        let scan = shield.scan(body)
        #expect(scan.findings(.mnemonic).first?.checksumValid == true, "\(template)")
        for word in words { #expect(!scan.text.lowercased().contains(" \(word) "), "\(word) left in \(scan.text)") }
    }

    @Test("the sentence around a phrase stays; only the phrase goes")
    func surroundingText() {
        let words = english("80808080808080808080808080808080").words.joined(separator: " ")
        let scan = shield.scan("Hello, my phrase is: \(words). Please help!")
        #expect(scan.text == "Hello, my phrase is: \(SecretPlaceholder.recoveryPhrase). Please help!")
    }

    @Test("Spanish and French are found with or without their accents")
    func accents() throws {
        for list in ["spanish", "french"] {
            for vector in GeneratedVectors.phrases where vector.wordlist == list {
                let plain = vector.words.map(stripAccents).joined(separator: " ")
                let composed = nfc(vector.text)
                #expect(phrase(in: plain)?.checksumValid == true, "\(plain)")
                #expect(phrase(in: composed)?.checksumValid == true, "\(composed)")
            }
        }
    }

    @Test("Japanese and Korean are found whether typed composed (NFC) or decomposed (NFKD)")
    func composition() {
        for vector in GeneratedVectors.phrases where vector.wordlist == "japanese" || vector.wordlist == "korean" {
            #expect(phrase(in: nfc(vector.text))?.checksumValid == true, "\(vector.wordlist) NFC")
            #expect(phrase(in: nfkd(vector.text))?.checksumValid == true, "\(vector.wordlist) NFKD")
            #expect(phrase(in: nfc(vector.words.joined(separator: " ")))?.checksumValid == true, "\(vector.wordlist) spaces")
        }
    }

    @Test("Chinese is found with spaces, commas, 、, new lines, or written as one block")
    func chineseLayouts() {
        for vector in GeneratedVectors.phrases where vector.wordlist.hasPrefix("chinese") {
            // Entropy of one repeated byte gives phrases like 的的的…在, which written as
            // one block read as text, not as a draw from the list; real entropy does not.
            let repeatedByte = Set(vector.entropy).count <= 2
            for separator in [" ", "，", "、", "\n", "\u{3000}", ""] where !(separator.isEmpty && repeatedByte) {
                let text = "我的助记词：" + vector.words.joined(separator: separator)
                #expect(phrase(in: text)?.checksumValid == true, "\(vector.wordlist) \(separator.debugDescription): \(text)")
            }
        }
    }

    @Test("a phrase whose checksum fails is still a secret")
    func brokenChecksum() {
        for vector in GeneratedVectors.brokenChecksumPhrases {
            let finding = phrase(in: vector.text)
            #expect(finding != nil, "\(vector.wordlist)")
            #expect(finding?.checksumValid == false, "\(vector.wordlist)")
        }
    }

    @Test("one mistyped word in twelve is still caught, and redacted with the rest", arguments: [
        ("abandon", "abandn"), ("abandon", "abanbon"), ("abandon", "abnadon"), ("abandon", "abandonx"),
    ])
    func typos(original: String, typo: String) throws {
        var words = english("00000000000000000000000000000000").words
        for position in [0, 5, 10] {
            words[position] = typo
            let text = words.joined(separator: " ")
            let finding = try #require(phrase(in: text), "\(typo) at \(position)")
            #expect(finding.start == 0 && finding.end == text.unicodeScalars.count)
            #expect(finding.checksumValid == false)
            words[position] = original
        }
    }

    @Test("a typo in a Chinese, Japanese or Korean phrase is caught too")
    func typosInOtherScripts() {
        for (list, replacement) in [("chinese_simplified", "丐"), ("japanese", "あいこくし"), ("korean", "가겨")] {
            let vector = GeneratedVectors.phrases.first { $0.wordlist == list && $0.words.count == 12 }!
            var words = vector.words.map(nfc)
            words[6] = replacement
            #expect(phrase(in: words.joined(separator: " ")) != nil, "\(list)")
        }
    }

    @Test("a word that is no typo, in the middle of twelve list words, does not hide the phrase")
    func junkWordInside() {
        var words = english("80808080808080808080808080808080").words
        words.insert("qwertyuiop", at: 6)
        #expect(phrase(in: words.joined(separator: " ")) != nil)
    }

    @Test("eleven words are not a phrase")
    func elevenWords() {
        let words = english("80808080808080808080808080808080").words.prefix(11)
        #expect(phrase(in: words.joined(separator: " ")) == nil)
    }

    @Test("ordinary English chat full of wordlist words is left alone", arguments: [
        "I want to buy some coin but the app is slow today and I need help with my account",
        "Can you help me? I sent money to my wallet yesterday and the balance still shows zero, please check",
        "The price of bitcoin went up again this morning, should I sell or hold? My friend said wait",
        "Please cancel my order, I made a mistake with the amount and the address was wrong too",
        "Hello team, where can I find the option to change my phone number and email address in the settings page",
        "I forgot my password and the reset link never arrived, what should I do now, this is really urgent",
    ])
    func englishChat(text: String) {
        #expect(shield.scan(text).findings.isEmpty)
    }

    @Test("ordinary Chinese chat and prose are left alone", arguments: [
        "我昨天从交易所提币到我的钱包地址但是到现在还没有到账请问是什么原因",
        "你好，我的钱包余额显示为零，但是我昨天刚充值了五百个USDT，请帮我看一下",
        "我想把我的比特币换成以太坊应该怎么操作手续费大概是多少",
        "为什么我的账户被冻结了我没有做任何违规的操作请尽快帮我解决",
        "我們不會索要您的助記詞，請不要向任何人透露您的私鑰或密碼",
        "有人在电报上自称是你们的客服让我提供信息这是真的吗我很担心",
    ])
    func chineseChat(text: String) {
        #expect(shield.scan(text).findings.isEmpty)
    }

    @Test("twelve common characters that read as prose are not a phrase; twelve random ones are")
    func chineseProseModel() {
        #expect(phrase(in: "的一是在不了有和人这中大") == nil)
        let vector = GeneratedVectors.phrases.first { $0.wordlist == "chinese_simplified" && $0.words.count == 12 && $0.entropy != String(repeating: "0", count: 32) }!
        #expect(phrase(in: vector.words.joined()) != nil)
    }
}
