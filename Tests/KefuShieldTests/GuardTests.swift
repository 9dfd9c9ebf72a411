import Testing
@testable import KefuShield

@Suite("The agent-message guard")
struct GuardTests {
    let guardrail = AgentMessageGuard(officialDomains: ["metamask.io"])

    @Test("drafts that ask for a secret are blocked", arguments: [
        ("Please send your seed phrase so we can verify your wallet.", RequestedSecret.recoveryPhrase),
        ("Could you share your 12 words with me?", .recoveryPhrase),
        ("What is your recovery phrase?", .recoveryPhrase),
        ("We need your private key to restore the funds.", .privateKey),
        ("Kindly provide your password and PIN.", .password),
        ("Reply with your PIN code.", .pin),
        ("把助记词发给我，我帮你恢复", .recoveryPhrase),
        ("请提供私钥以便我们核实", .privateKey),
        ("麻烦告诉我您的钱包密码", .password),
        ("请把您的助記詞發給我們", .recoveryPhrase),
        ("Please enter your recovery phrase to verify your wallet.", .recoveryPhrase),
        ("请输入您的助记词以完成验证", .recoveryPhrase),
        ("Import your private key to claim the airdrop.", .privateKey),
    ])
    func asks(draft: String, secret: RequestedSecret) throws {
        let verdict = guardrail.review(draft)
        #expect(verdict.isBlocked, "\(draft)")
        let reason = try #require(verdict.reasons.first { $0.kind == .asksForSecret })
        #expect(reason.secret == secret)
        #expect(!reason.explanation.english.isEmpty)
        #expect(!reason.explanation.simplifiedChinese.isEmpty)
    }

    @Test("drafts that warn about secrets go through", arguments: [
        "Never share your recovery phrase with anyone.",
        "We will never ask for your seed phrase or private key.",
        "Do not send your password to anyone, including us.",
        "Your recovery phrase should never be shared.",
        "If someone asks for your 12 words, it is a scam.",
        "Keep your seed phrase offline and write it down on paper.",
        "我们不会索要您的助记词。",
        "请勿向任何人提供您的私钥或密码。",
        "任何索要助记词的人都是骗子。",
        "To restore, open the app and enter your recovery phrase on your own device.",
        "Please reset your password from the login screen.",
        "To restore your wallet, open the app and enter your recovery phrase.",
        "在官方应用中输入助记词即可恢复钱包，切勿在其他地方输入。",
    ])
    func warns(draft: String) {
        let verdict = guardrail.review(draft)
        #expect(!verdict.isBlocked, "\(draft): \(verdict.reasons.map(\.kind))")
    }

    @Test("a soft request (\"enter your phrase\") is blocked when it points to a page")
    func softRequestWithLink() {
        let verdict = guardrail.review("Please enter your seed phrase at https://metamask-restore.io to sync.")
        #expect(verdict.reasons.contains { $0.kind == .asksForSecret })
        #expect(verdict.reasons.contains { $0.kind == .lookalikeLink && $0.officialDomain == "metamask.io" })
        #expect(guardrail.review("请在下方链接输入您的助记词").reasons.contains { $0.kind == .asksForSecret })
    }

    @Test("a request sentence is blocked even when another sentence warns")
    func mixed() {
        let verdict = guardrail.review("We never ask for secrets. Please send your seed phrase to verify.")
        #expect(verdict.reasons.contains { $0.kind == .asksForSecret })
    }

    @Test("links outside the official domains are blocked; official ones are not")
    func links() {
        #expect(!guardrail.review("Download from https://metamask.io/download").isBlocked)
        #expect(!guardrail.review("See support.metamask.io for details").isBlocked)
        let unofficial = guardrail.review("See https://example.com/help")
        #expect(unofficial.reasons.map(\.kind) == [.unofficialLink])
        #expect(unofficial.reasons.first?.host == "example.com")
        #expect(guardrail.review("Go to metamask-support.io").reasons.map(\.kind) == [.lookalikeLink])
    }

    @Test("a draft that holds a recovery phrase or key is blocked")
    func containsSecret() {
        let text = Array(repeating: "abandon", count: 11).joined(separator: " ") + " about"
        #expect(guardrail.review("Is this your phrase: \(text)").reasons.map(\.kind) == [.containsSecret])
    }

    @Test("an ordinary reply passes")
    func ordinary() {
        #expect(!guardrail.review("Thanks for waiting! Your transaction has 12 confirmations and should arrive soon.").isBlocked)
        #expect(!guardrail.review("您好，您的提现已经处理完成，请查看钱包余额。").isBlocked)
    }
}
