import Foundation
import Testing
import KefuCore

@Suite("Satisfaction surveys: whom to ask, and what a rating means")
struct SatisfactionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400

    @Test("the decision to ask", arguments: [
        (SurveyPolicy.standard, true, nil as TimeInterval?, SurveyPolicy.Decision.ask),
        (SurveyPolicy(enabled: false, afterBotOnly: true, quietDays: 0), true, nil, .off),
        (SurveyPolicy.standard, false, nil, .botOnly),
        (SurveyPolicy(enabled: true, afterBotOnly: true, quietDays: 0), false, nil, .ask),
        (SurveyPolicy(enabled: true, afterBotOnly: false, quietDays: 7), true, 6.9 * day, .askedRecently),
        (SurveyPolicy(enabled: true, afterBotOnly: false, quietDays: 7), true, 7 * day, .ask),
        (SurveyPolicy.standard, true, 60, .ask),
        (SurveyPolicy(enabled: true, afterBotOnly: false, quietDays: 30), false, 1 * day, .botOnly),
    ])
    func decide(_ policy: SurveyPolicy, personReplied: Bool, askedAgo: TimeInterval?, expected: SurveyPolicy.Decision) {
        let resolution = SurveyPolicy.Resolution(personReplied: personReplied, lastAskedContact: askedAgo.map { Self.now.addingTimeInterval(-$0) })
        #expect(policy.decide(resolution, now: Self.now) == expected)
    }

    @Test("ratings are 1 to 5; 4 and 5 are satisfied, 1 and 2 low", arguments: [
        (0, nil as Bool?, nil as Bool?), (1, false, true), (2, false, true), (3, false, false), (4, true, false), (5, true, false), (6, nil, nil),
    ])
    func ratings(_ score: Int, satisfied: Bool?, low: Bool?) {
        let rating = Rating(score)
        #expect(rating?.isSatisfied == satisfied)
        #expect(rating?.isLow == low)
    }

    @Test("answers are taken for the policy's days after asking")
    func window() {
        #expect(SurveyPolicy.standard.closes(askedAt: Self.now) == Self.now.addingTimeInterval(7 * Self.day))
        var longer = SurveyPolicy.standard
        longer.answerDays = 14
        #expect(longer.closes(askedAt: Self.now) == Self.now.addingTimeInterval(14 * Self.day))
    }
}
