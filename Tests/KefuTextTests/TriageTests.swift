import Testing
@testable import KefuText

@Suite struct TriageTests {
    @Test func readsAChineseComplaint() {
        let result = Triage.analyze("骗子！我的USDT被盗了，你们到底管不管？")
        #expect(result.language == .simplifiedChinese)
        #expect(result.sentiment.sentiment == .angry)
        #expect(result.urgency.urgency == .urgent)
        #expect(result.urgency.reasons == [.theft, .scam])
        #expect(result.category == nil)
    }

    @Test func readsAPoliteEnglishQuestionWithACategory() {
        let result = Triage.analyze("Thank you! How do I reset my password?", classifier: CategoryClassifierTests.classifier)
        #expect(result.language == .english)
        #expect(result.sentiment.sentiment == .positive)
        #expect(result.urgency.urgency == .normal)
        #expect(result.category?.label == "password_reset")
    }
}
