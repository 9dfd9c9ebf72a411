import Testing
@testable import KefuText

@Suite("Complaint detection: what the customer says, not only how they feel")
struct ComplaintDetectorTests {
    @Test("complaints in English and Chinese, with their severity", arguments: [
        ("I want to file a complaint about your support", ComplaintSeverity.major),
        ("I'm going to complain, this took a week", .major),
        ("Let me speak to your manager", .major),
        ("I will report you to the regulator", .critical),
        ("My lawyer will hear about this", .critical),
        ("我要投诉你们的客服", .major),
        ("我要举报这个平台", .major),
        ("再不处理我就去起诉", .critical),
        ("我要向消协反映，还要找媒体曝光", .critical),
        ("我要投訴，提幣三天沒到", .major),
        ("This is unacceptable!!! Terrible service, nobody helps", .minor),
        ("什么破平台，太差了，垃圾！！", .minor),
    ])
    func detects(_ text: String, severity: ComplaintSeverity) throws {
        let found = try #require(ComplaintDetector.detect(text), "\(text)")
        #expect(found.severity == severity, "\(text)")
    }

    @Test("questions, calm words and amounts are not complaints", arguments: [
        "How long does a withdrawal take?",
        "are the withdrawal fees unacceptable for small amounts?",
        "I sent 315 USDT yesterday, when will it arrive?",
        "请问充值需要多久到账",
        "提现手续费是多少",
        "Thanks, that solved it!",
    ])
    func ignores(_ text: String) {
        #expect(ComplaintDetector.detect(text) == nil, "\(text)")
    }

    @Test("the signals say why")
    func signals() throws {
        let found = try #require(ComplaintDetector.detect("我要投诉，不然就报警"))
        #expect(found.signals == [.stated, .outside])
    }
}
