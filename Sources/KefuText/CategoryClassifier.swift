import Foundation

/// The category model's answer for one text.
public struct CategoryPrediction: Sendable, Hashable, Codable {
    public let label: String
    /// Calibrated probability that `label` is right.
    public let confidence: Double
    /// True when `confidence` is below the model's threshold: the text should
    /// go to a person rather than be routed by this label.
    public let abstain: Bool
}

/// How the model did on examples held out while it was trained, at its
/// abstention threshold.
public struct ValidationSummary: Sendable, Hashable, Codable {
    public let examples: Int
    public let accuracy: Double
    /// Share of examples the model did not abstain on.
    public let coverage: Double
    /// Accuracy on the examples it did not abstain on.
    public let precision: Double
}

/// A trained category model: TF-IDF over word, character and word-pair
/// n-grams, a one-vs-rest linear SVM, and a softmax temperature fitted on
/// held-out examples so that confidences are calibrated probabilities.
public struct CategoryClassifier: Sendable {
    public let categories: [String]
    /// Softmax temperature applied to the SVM scores.
    public let temperature: Double
    /// Below this confidence the model abstains.
    public var abstentionThreshold: Double
    public let validation: ValidationSummary?
    let vectorizer: TfidfVectorizer
    let weights: LinearWeights

    init(
        categories: [String], temperature: Double, abstentionThreshold: Double,
        validation: ValidationSummary?, vectorizer: TfidfVectorizer, weights: LinearWeights
    ) {
        self.categories = categories
        self.temperature = temperature
        self.abstentionThreshold = abstentionThreshold
        self.validation = validation
        self.vectorizer = vectorizer
        self.weights = weights
    }

    public func predict(_ text: String) -> CategoryPrediction {
        let probabilities = probabilities(for: text)
        var best = 0
        for label in probabilities.indices where probabilities[label] > probabilities[best] { best = label }
        let confidence = probabilities[best]
        return CategoryPrediction(
            label: categories[best], confidence: confidence, abstain: confidence < abstentionThreshold)
    }

    /// Calibrated probability of each category, in `categories` order.
    public func probabilities(for text: String) -> [Double] {
        let (vector, knownWords) = vectorizer.encode(text)
        // Character n-grams of gibberish still hit the vocabulary; without a
        // single known word there is no evidence for any category.
        guard knownWords > 0 else {
            return [Double](repeating: 1 / Double(categories.count), count: categories.count)
        }
        return Calibration.softmax(weights.scores(vector), temperature: temperature)
    }

    func scores(for text: String) -> [Float] {
        weights.scores(vectorizer.vector(text))
    }
}

enum Calibration {
    static func softmax(_ scores: [Float], temperature: Double) -> [Double] {
        let maximum = Double(scores.max() ?? 0)
        let exponentials = scores.map { exp((Double($0) - maximum) / temperature) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }

    /// The temperature that minimises the negative log-likelihood of the true
    /// labels, by golden-section search over log T (the loss is unimodal in T).
    static func fitTemperature(scores: [[Float]], labels: [Int]) -> Double {
        func loss(_ logT: Double) -> Double {
            let t = exp(logT)
            var total = 0.0
            for (row, label) in zip(scores, labels) {
                total -= log(max(softmax(row, temperature: t)[label], 1e-12))
            }
            return total
        }
        var low = log(0.005), high = log(5.0)
        let ratio = (sqrt(5.0) - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var lossA = loss(a), lossB = loss(b)
        for _ in 0..<40 {
            if lossA < lossB {
                high = b; b = a; lossB = lossA
                a = high - ratio * (high - low); lossA = loss(a)
            } else {
                low = a; a = b; lossA = lossB
                b = low + ratio * (high - low); lossB = loss(b)
            }
        }
        return exp((low + high) / 2)
    }
}
