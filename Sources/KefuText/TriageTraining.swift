import Foundation

/// Settings for training a category model. The defaults were chosen on a
/// development split carved out of BANKING77's training set.
public struct ClassifierTrainingOptions: Sendable, Hashable {
    /// SVM regularisation: larger fits the training data more closely.
    public var c: Double
    /// Share of each category held out to fit the temperature and measure the
    /// model; the final model is then retrained on every example.
    public var validationFraction: Double
    public var abstentionThreshold: Double
    public var seed: UInt64
    var features: TextFeatures.Settings

    public init(c: Double = 0.5, validationFraction: Double = 0.1, abstentionThreshold: Double = 0.5, seed: UInt64 = 42) {
        self.c = c
        self.validationFraction = validationFraction
        self.abstentionThreshold = abstentionThreshold
        self.seed = seed
        self.features = TextFeatures.Settings()
    }
}

public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: LocalizedText
    public var description: String { message.en }
}

/// Accuracy of a model on labelled examples, and how it does at its threshold.
public struct EvaluationReport: Sendable, Hashable {
    public let examples: Int
    public let accuracy: Double
    public let coverage: Double
    public let precision: Double
}

public enum TriageTraining {
    /// Temperature used when there are too few examples to hold any out.
    static let defaultTemperature = 0.15

    public static func train(csv: String, options: ClassifierTrainingOptions = .init()) throws -> CategoryClassifier {
        try train(LabeledText.parseCSV(csv), options: options)
    }

    public static func train(
        _ examples: [LabeledText], options: ClassifierTrainingOptions = .init()
    ) throws(TrainingError) -> CategoryClassifier {
        let categories = Array(Set(examples.map(\.category))).sorted()
        guard categories.count >= 2 else {
            throw TrainingError(message: LocalizedText(
                en: "training needs examples of at least two categories",
                zhHans: "训练至少需要两个类别的样本"))
        }
        let labelIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let labels = examples.map { labelIndex[$0.category]! }
        let texts = examples.map(\.text)

        var temperature = defaultTemperature
        var validation: ValidationSummary?
        let (fitting, heldOut) = stratifiedSplit(labels: labels, fraction: options.validationFraction, seed: options.seed)
        if !heldOut.isEmpty {
            let model = fit(texts: fitting.map { texts[$0] }, labels: fitting.map { labels[$0] },
                            categories: categories, temperature: temperature, options: options)
            let scores = heldOut.map { model.scores(for: texts[$0]) }
            temperature = Calibration.fitTemperature(scores: scores, labels: heldOut.map { labels[$0] })
            let calibrated = CategoryClassifier(
                categories: categories, temperature: temperature, abstentionThreshold: options.abstentionThreshold,
                validation: nil, vectorizer: model.vectorizer, weights: model.weights)
            let report = evaluate(calibrated, on: heldOut.map { examples[$0] })
            validation = ValidationSummary(
                examples: report.examples, accuracy: report.accuracy, coverage: report.coverage,
                precision: report.precision)
        }
        let final = fit(texts: texts, labels: labels, categories: categories, temperature: temperature, options: options)
        return CategoryClassifier(
            categories: categories, temperature: temperature, abstentionThreshold: options.abstentionThreshold,
            validation: validation, vectorizer: final.vectorizer, weights: final.weights)
    }

    public static func evaluate(_ classifier: CategoryClassifier, on examples: [LabeledText]) -> EvaluationReport {
        var correct = 0, answered = 0, correctAnswered = 0
        for example in examples {
            let prediction = classifier.predict(example.text)
            let right = prediction.label == example.category
            if right { correct += 1 }
            if !prediction.abstain {
                answered += 1
                if right { correctAnswered += 1 }
            }
        }
        let count = Double(max(examples.count, 1))
        return EvaluationReport(
            examples: examples.count,
            accuracy: Double(correct) / count,
            coverage: Double(answered) / count,
            precision: answered == 0 ? 0 : Double(correctAnswered) / Double(answered))
    }

    private static func fit(
        texts: [String], labels: [Int], categories: [String], temperature: Double, options: ClassifierTrainingOptions
    ) -> CategoryClassifier {
        let (vectorizer, matrix) = TfidfVectorizer.fit(texts, settings: options.features)
        let trainer = LinearSVMTrainer(c: Float(options.c), seed: options.seed)
        var weights = trainer.train(matrix, labels: labels, classCount: categories.count,
                                    featureCount: vectorizer.featureCount)
        // Quantise now rather than on save, so a saved model predicts exactly
        // as the one in memory did.
        weights.quantize()
        return CategoryClassifier(
            categories: categories, temperature: temperature, abstentionThreshold: options.abstentionThreshold,
            validation: nil, vectorizer: vectorizer, weights: weights)
    }

    /// Indices to fit on and to hold out, holding out `fraction` of each
    /// category that has at least three examples.
    static func stratifiedSplit(labels: [Int], fraction: Double, seed: UInt64) -> (fit: [Int], heldOut: [Int]) {
        var byLabel: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        var rng = SplitMix64(seed: seed)
        var fit: [Int] = [], heldOut: [Int] = []
        for label in byLabel.keys.sorted() {
            var indices = byLabel[label]!
            indices.shuffle(using: &rng)
            let count = indices.count >= 3 ? Int((Double(indices.count) * fraction).rounded()) : 0
            heldOut += indices.prefix(count)
            fit += indices.dropFirst(count)
        }
        return (fit.sorted(), heldOut.sorted())
    }
}
