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

@Suite("Net promoter score: 0–10 answers grouped, the score in points, asked at most every 90 days")
struct RecommendationTests {
    @Test("groups", arguments: [(0, RecommendationScore.Group.detractor), (6, .detractor), (7, .passive), (8, .passive), (9, .promoter), (10, .promoter)])
    func group(_ score: Int, expected: RecommendationScore.Group) {
        #expect(RecommendationScore(score)?.group == expected)
    }

    @Test("outside 0–10 is no score", arguments: [-1, 11, 100])
    func outside(_ score: Int) { #expect(RecommendationScore(score) == nil) }

    @Test("scores", arguments: [
        ([10, 9, 8, 7, 0], 20),
        ([10, 10, 10], 100),
        ([0, 3, 6], -100),
        ([7, 8], 0),
        ([9, 6, 6], -33),
    ])
    func score(_ answers: [Int], expected: Int) {
        #expect(NetPromoterScore(answers.compactMap(RecommendationScore.init)).value == expected)
    }

    @Test("no answers, no score")
    func empty() { #expect(NetPromoterScore([]).value == nil) }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("when to ask", arguments: [
        (RecommendationPolicy.standard, nil as Double?, true, false),
        (RecommendationPolicy(enabled: true, intervalDays: 90), nil, true, true),
        (RecommendationPolicy(enabled: true, intervalDays: 90), 89.9, true, false),
        (RecommendationPolicy(enabled: true, intervalDays: 90), 90, true, true),
        (RecommendationPolicy(enabled: true, intervalDays: 90), nil, false, false),
    ])
    func ask(_ policy: RecommendationPolicy, daysSince: Double?, surveyable: Bool, expected: Bool) {
        let last = daysSince.map { Self.now.addingTimeInterval(-$0 * 86_400) }
        #expect(policy.shouldAsk(lastAsked: last, surveyable: surveyable, now: Self.now) == expected)
    }
}
