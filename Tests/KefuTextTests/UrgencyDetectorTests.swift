import Testing
@testable import KefuText

@Suite struct UrgencyDetectorTests {
    @Test(arguments: [
        ("My wallet was hacked and all my USDT is gone", [UrgencyReason.accountTakeover, .lostFunds]),
        ("Someone stole my bitcoin", [.theft]),
        ("I think I got scammed by a fake support agent", [.scam]),
        ("There is an unauthorized withdrawal on my account", [.unauthorisedTransfer]),
        ("I didn't make this transfer!", [.unauthorisedTransfer]),
        ("I lost my funds after sending them to the wrong network", [.lostFunds]),
        ("我的币被盗了", [.theft]),
        ("账号被黑了，密码被改了", [.accountTakeover]),
        ("遇到假客服诈骗", [.scam]),
        ("资金丢失了怎么办", [.lostFunds]),
        ("钱包里的USDT被转走了，不是我操作的", [.unauthorisedTransfer]),
        ("我的帳號被盜了", [.theft]),
    ])
    func flagsUrgentMessages(text: String, reasons: [UrgencyReason]) {
        let assessment = UrgencyDetector.assess(text)
        #expect(assessment.urgency == .urgent)
        #expect(assessment.reasons == reasons)
    }

    @Test(arguments: [
        "How long does a withdrawal take?",
        "请问怎么修改手机号",
        "What are the trading fees?",
        "充值需要多久到账",
    ])
    func leavesRoutineMessagesNormal(text: String) {
        let assessment = UrgencyDetector.assess(text)
        #expect(assessment.urgency == .normal)
        #expect(assessment.reasons.isEmpty)
    }
}
