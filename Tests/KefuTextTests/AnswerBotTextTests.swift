import Testing
@testable import KefuText

@Suite("A customer's answer to \"did this solve it?\"")
struct CustomerReplyIntentTests {
    @Test("asking for a person hands over, in either language and at any length", arguments: [
        "human", "Agent please", "I want to talk to a real person", "can I speak to someone from customer service?",
        "人工", "转人工", "我要找客服", "请帮我转人工客服，这个机器人没用",
    ])
    func wantsHuman(_ text: String) {
        #expect(CustomerReplyIntent.classify(text) == .wantsHuman)
    }

    @Test("short confirmations count as solved", arguments: [
        "yes", "Yes, thanks!", "ok got it", "it worked", "perfect 👍", "是的", "解决了，谢谢", "好的", "可以了", "不错，谢谢",
    ])
    func solved(_ text: String) {
        #expect(CustomerReplyIntent.classify(text) == .solved)
    }

    @Test("negation wins over a polite word", arguments: [
        "no", "no thanks", "not solved", "still not arrived", "didn't help", "没有", "没解决", "不是这个问题", "还是不行", "否",
    ])
    func notSolved(_ text: String) {
        #expect(CustomerReplyIntent.classify(text) == .notSolved)
    }

    @Test("a longer message is a new question, not a yes or no", arguments: [
        "yes but now my withdrawal of 200 USDT to binance has been pending for three hours, what should I do",
        "好的，但是我昨天转到交易所的两百个USDT到现在还没有到账，请问怎么办",
        "how do I add a custom token",
    ])
    func newQuestion(_ text: String) {
        #expect(CustomerReplyIntent.classify(text) == .other)
    }
}

@Suite("Calibrated answer confidence")
struct AnswerConfidenceTests {
    /// Right answers come with high scores and clear margins; wrong ones with low scores
    /// or near ties — noisy, as real retrieval is.
    func samples(count: Int, seed: UInt64) -> [CalibrationSample] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { index in
            let correct = index % 2 == 0
            let noise = Double(random.next() % 1000) / 1000
            let top = correct ? 6 + 8 * noise : 1 + 7 * noise
            let second = correct ? top * (0.2 + 0.5 * noise) : top * (0.6 + 0.4 * noise)
            return CalibrationSample(evidence: RetrievalEvidence(topScore: top, secondScore: second), correct: correct)
        }
    }

    @Test("the threshold reaches the target precision on held-out predictions")
    func reachesTarget() throws {
        let model = AnswerConfidence.calibrate(samples(count: 400, seed: 7), targetPrecision: 0.9)
        let precision = try #require(model.measuredPrecision)
        #expect(precision >= 0.9)
        #expect(model.coverage > 0.2 && model.coverage <= 0.6)
        // Checked again on samples the model never saw.
        let fresh = samples(count: 400, seed: 99)
        let answered = fresh.filter { model.shouldAnswer($0.evidence) }
        let right = answered.filter(\.correct).count
        #expect(answered.count > 50)
        #expect(Double(right) / Double(answered.count) >= 0.85)
    }

    @Test("a stricter target answers less")
    func stricterAnswersLess() {
        let data = samples(count: 400, seed: 3)
        let loose = AnswerConfidence.calibrate(data, targetPrecision: 0.8)
        let strict = AnswerConfidence.calibrate(data, targetPrecision: 0.97)
        #expect(strict.threshold >= loose.threshold)
        #expect(strict.coverage <= loose.coverage)
    }

    @Test("confidence grows with the score and with the margin over the runner-up")
    func monotone() {
        let model = AnswerConfidence.calibrate(samples(count: 400, seed: 11), targetPrecision: 0.9)
        #expect(model.probability(.init(topScore: 12, secondScore: 3)) > model.probability(.init(topScore: 4, secondScore: 1)))
        #expect(model.probability(.init(topScore: 10, secondScore: 2)) > model.probability(.init(topScore: 10, secondScore: 9.5)))
    }

    @Test("with too few samples the bot never answers")
    func tooFew() {
        let model = AnswerConfidence.calibrate(samples(count: 10, seed: 1), targetPrecision: 0.9)
        #expect(model.measuredPrecision == nil)
        #expect(!model.shouldAnswer(.init(topScore: 50, secondScore: 0)))
        #expect(model.sampleCount == 10)
    }

    @Test("with embedding similarities the model learns from meaning where word scores say nothing")
    func similarityFeatures() throws {
        var random = SplitMix64(seed: 5)
        let data = (0..<300).map { index -> CalibrationSample in
            let correct = index % 2 == 0
            let noise = Double(random.next() % 1000) / 1000
            // Word scores identical for right and wrong answers; only the meaning differs.
            return CalibrationSample(evidence: .init(topScore: 5, secondScore: 3, similarity: correct ? 0.85 + 0.1 * noise : 0.7 + 0.12 * noise,
                                                     secondSimilarity: 0.75), correct: correct)
        }
        let model = AnswerConfidence.calibrate(data, targetPrecision: 0.9)
        #expect(model.usesSimilarity)
        #expect(try #require(model.measuredPrecision) >= 0.9)
        #expect(model.shouldAnswer(.init(topScore: 5, secondScore: 3, similarity: 0.94, secondSimilarity: 0.75)))
        #expect(!model.shouldAnswer(.init(topScore: 5, secondScore: 3, similarity: 0.72, secondSimilarity: 0.75)))
        // Without the provider the same question cannot be judged, so it is not answered.
        #expect(!model.shouldAnswer(.init(topScore: 5, secondScore: 3)))
    }

    @Test("an unreachable target leaves the bot silent rather than guessing")
    func unreachable() {
        // Scores carry no information: every second sample is wrong whatever its score.
        let noise = (0..<200).map { CalibrationSample(evidence: .init(topScore: 5, secondScore: 2), correct: $0 % 2 == 0) }
        let model = AnswerConfidence.calibrate(noise, targetPrecision: 0.9)
        #expect(model.measuredPrecision == nil)
        #expect(!model.shouldAnswer(.init(topScore: 5, secondScore: 2)))
    }
}
