import Testing
@testable import KefuServer

@Suite("A generated answer is checked before a customer sees it")
struct AnswerGuardrailsTests {
    let link = "http://desk.example/help/acme/en/articles/deposit-not-arrived"

    @Test("a grounded answer with its citation passes")
    func grounded() {
        #expect(AnswerGuardrails.check("Deposits appear after the network confirms them; check the hash on a block explorer [1].", citing: link).isEmpty)
        #expect(AnswerGuardrails.check("充值需要区块链确认后才会到账，请在区块浏览器查询交易哈希 [1]。", citing: link).isEmpty)
    }

    @Test("asking for a recovery phrase or key is refused, in either language", arguments: [
        "To check your wallet, please send us your 12-word recovery phrase [1].",
        "Reply with your private key so we can verify the deposit [1].",
        "请提供您的助记词，我们帮您查询 [1]。",
    ])
    func asksForSecret(_ text: String) {
        #expect(AnswerGuardrails.check(text, citing: link).contains(.asksForSecret))
    }

    @Test("warning the customer never to share their phrase is fine")
    func warningIsFine() {
        #expect(AnswerGuardrails.check("Never share your recovery phrase with anyone, including support [1].", citing: link).isEmpty)
    }

    @Test("promises about money are for people to make", arguments: [
        "Don't worry, we will refund the lost USDT [1].", "We guarantee your funds will arrive [1].", "我们会全额赔偿您的损失 [1]。",
    ])
    func promisesMoney(_ text: String) {
        #expect(AnswerGuardrails.check(text, citing: link).contains(.promisesMoney))
    }

    @Test("links other than the cited article, missing citations and rambling are refused")
    func linksAndCitation() {
        #expect(AnswerGuardrails.check("See https://kefu-support.com/fix for help [1].", citing: link).contains(.foreignLink))
        #expect(AnswerGuardrails.check("Read \(link) for the steps.", citing: link).isEmpty)
        #expect(AnswerGuardrails.check("Deposits need confirmations.", citing: link) == [.noCitation])
        #expect(AnswerGuardrails.check(String(repeating: "Deposits need confirmations. ", count: 60) + "[1]", citing: link).contains(.tooLong))
    }
}
