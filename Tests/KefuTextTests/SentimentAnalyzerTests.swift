import Testing
@testable import KefuText

@Suite struct SentimentAnalyzerTests {
    @Test(arguments: [
        ("This is a SCAM!!! Give me my money back", Sentiment.angry),
        ("You are thieves and your support is useless", .angry),
        ("Worst exchange ever, absolutely terrible service", .angry),
        ("Thanks, but this is garbage and I want a refund", .angry),
        ("你们就是骗子！！！", .angry),
        ("垃圾平台，提币三天不到账", .angry),
        ("客服太差了，我要投诉", .angry),
        ("Thank you so much, that fixed it", .positive),
        ("Great support, really appreciate the quick help", .positive),
        ("谢谢，问题已经解决了", .positive),
        ("非常感谢，客服很专业", .positive),
        ("How do I change my email address?", .neutral),
        ("请问提币手续费是多少", .neutral),
        ("The app is not helpful at all", .neutral),
    ])
    func classifies(text: String, expected: Sentiment) {
        #expect(SentimentAnalyzer.analyze(text).sentiment == expected)
    }

    @Test func negationTurnsPraiseIntoComplaint() {
        #expect(SentimentAnalyzer.analyze("not helpful").score < 0)
        #expect(SentimentAnalyzer.analyze("我对这个结果不满意").score < 0)
        #expect(SentimentAnalyzer.analyze("满意").score > 0)
    }

    @Test func exclamationsMakeAComplaintAngrier() {
        let calm = SentimentAnalyzer.analyze("this is bad").score
        let loud = SentimentAnalyzer.analyze("this is bad!!!").score
        #expect(loud < calm)
    }
}
