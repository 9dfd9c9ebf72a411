import Foundation
import Testing
@testable import KefuText

@Suite struct CategoryClassifierTests {
    /// Small synthetic tickets: each category's phrasings crossed with polite
    /// openers, in English and Chinese.
    static let examples: [LabeledText] = {
        let phrasings: [String: [String]] = [
            "card_arrival": [
                "my card has not arrived", "when will my new card arrive", "still waiting for the card delivery",
                "the card never came in the mail", "how long does card shipping take", "我的卡还没有寄到",
            ],
            "withdrawal_pending": [
                "my withdrawal is still pending", "withdrawal stuck for hours", "why is my withdraw not completed",
                "the withdrawal has not been processed", "pending withdrawal to my wallet", "提币一直在处理中",
            ],
            "password_reset": [
                "i forgot my password", "how do i reset my password", "cannot log in, need a new password",
                "password reset link does not work", "change my login password", "忘记登录密码了怎么办",
            ],
            "exchange_rate": [
                "what exchange rate do you use", "the rate for converting euros is wrong",
                "why was the exchange rate so bad", "which rate applies to currency conversion",
                "exchange rate for dollars to pounds", "汇率是怎么计算的",
            ],
        ]
        let openers = ["", "hello, ", "hi team ", "please help: "]
        return phrasings.keys.sorted().flatMap { category in
            phrasings[category]!.flatMap { text in openers.map { LabeledText(text: $0 + text, category: category) } }
        }
    }()

    static let classifier: CategoryClassifier = try! TriageTraining.train(examples)

    @Test(arguments: [
        ("has my card arrived yet", "card_arrival"),
        ("my withdrawal is pending since yesterday", "withdrawal_pending"),
        ("reset password please", "password_reset"),
        ("bad exchange rate on conversion", "exchange_rate"),
        ("提币还在处理", "withdrawal_pending"),
    ])
    func learnsTheCategories(text: String, expected: String) {
        let prediction = Self.classifier.predict(text)
        #expect(prediction.label == expected)
        #expect(prediction.confidence > 1.0 / 4)
    }

    @Test func abstainsOnGibberish() {
        let prediction = Self.classifier.predict("zxqv blorptk wubbafrq")
        #expect(prediction.abstain)
        #expect(prediction.confidence < Self.classifier.abstentionThreshold)
    }

    @Test func probabilitiesSumToOne() {
        let probabilities = Self.classifier.probabilities(for: "card late")
        #expect(probabilities.count == 4)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9)
    }

    @Test func heldOutExamplesWereMeasured() throws {
        let validation = try #require(Self.classifier.validation)
        #expect(validation.examples > 0)
        #expect(Self.classifier.temperature > 0)
    }

    @Test func saveAndLoadPredictTheSame() throws {
        let data = Self.classifier.serialized()
        let loaded = try CategoryClassifier(serialized: data)
        #expect(loaded.categories == Self.classifier.categories)
        #expect(loaded.temperature == Self.classifier.temperature)
        for text in ["card not here", "提币", "password", "rate", "zzzz"] {
            #expect(loaded.predict(text) == Self.classifier.predict(text))
        }
        #expect(loaded.serialized() == data)
    }

    @Test func damagedModelIsRejected() {
        var data = Self.classifier.serialized()
        data.removeLast(10)
        #expect(throws: CategoryClassifier.ModelFormatError.self) { try CategoryClassifier(serialized: data) }
        #expect(throws: CategoryClassifier.ModelFormatError.self) { try CategoryClassifier(serialized: Data("nonsense".utf8)) }
    }

    @Test func trainingNeedsTwoCategories() {
        #expect(throws: TrainingError.self) {
            try TriageTraining.train([LabeledText(text: "a", category: "x"), LabeledText(text: "b", category: "x")])
        }
    }

    @Test func trainsFromCSV() throws {
        let csv = "text,category\n\"card, not arrived\",card\nwhere is my card,card\ncard delivery,card\n"
            + "forgot password,password\n\"reset my \"\"password\"\"\",password\nnew password,password\n"
        let classifier = try TriageTraining.train(csv: csv)
        #expect(classifier.predict("my card").label == "card")
    }

    @Test func evaluationReportEndsWithAccuracy() {
        let report = TriageTraining.evaluate(Self.classifier, on: Self.examples)
        #expect(report.accuracy > 0.95)
        let lines = report.lines(threshold: 0.5)
        #expect(lines.last?.hasPrefix("accuracy: ") == true)
        #expect(lines.last?.count == "accuracy: 0.0000".count)
    }

    @Test func predictionIsOneJSONLine() throws {
        let line = CategoryPrediction(label: "card \"new\"", confidence: 0.87, abstain: false).jsonLine
        #expect(line == #"{"label": "card \"new\"", "confidence": 0.87, "abstain": false}"#)
        let decoded = try JSONDecoder().decode(CategoryPrediction.self, from: Data(line.utf8))
        #expect(decoded.label == "card \"new\"")
    }
}
