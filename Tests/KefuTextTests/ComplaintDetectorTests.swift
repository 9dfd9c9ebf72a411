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

@Suite("Complaint detection learns from agents: a phrase undone again and again is ignored in that workspace")
struct ComplaintLearningTests {
    static func outcome(_ phrases: Set<String>, withdrawn: Bool) -> ComplaintLearning.Outcome { .init(phrases: phrases, withdrawn: withdrawn) }

    @Test("ignored after three undos with at most a quarter kept", arguments: [
        ([outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true)], [String]()),
        ([outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true)], ["useless"]),
        ([outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true),
          outcome(["useless"], withdrawn: false)], ["useless"]),
        ([outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true), outcome(["useless"], withdrawn: true),
          outcome(["useless"], withdrawn: false), outcome(["useless", "投诉"], withdrawn: false)], []),
        ([outcome(["useless", "ridiculous"], withdrawn: true), outcome(["useless"], withdrawn: true), outcome(["ridiculous", "useless"], withdrawn: true),
          outcome(["ridiculous"], withdrawn: false)], ["useless"]),
    ] as [([ComplaintLearning.Outcome], [String])])
    func learning(_ outcomes: [ComplaintLearning.Outcome], expected: [String]) {
        #expect(ComplaintLearning.ignoredPhrases(outcomes) == expected)
    }

    @Test("an ignored phrase no longer opens a complaint; the others still do")
    func ignoring() throws {
        let text = "this report feature is useless!!! nobody helps"
        let heard = try #require(ComplaintDetector.detect(text))
        #expect(heard.phrases == ["nobody helps", "useless"])
        #expect(ComplaintDetector.detect(text, ignoring: ["useless"])?.phrases == ["nobody helps"])
        #expect(ComplaintDetector.detect(text, ignoring: ["useless", "nobody helps"]) == nil)
        #expect(ComplaintDetector.detect("我要投诉，太差了", ignoring: ["太差"])?.signals == [.stated])
        #expect(ComplaintLearning.phrases.contains("投诉") && ComplaintLearning.phrases.contains("complain*"))
    }
}
