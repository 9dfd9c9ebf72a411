import Foundation

/// What a knowledge-base search says about one question: the best article's score and the
/// next distinct article's. A raw BM25 score is not comparable across questions (long
/// questions score higher), so confidence is learnt from these two numbers together.
public struct RetrievalEvidence: Sendable, Hashable, Codable {
    public var topScore: Double
    public var secondScore: Double
    /// Cosine similarity of the question and the chosen article's embedding, and of the
    /// next article's, when an embeddings provider is configured.
    public var similarity: Double?
    public var secondSimilarity: Double?

    public init(topScore: Double, secondScore: Double, similarity: Double? = nil, secondSimilarity: Double? = nil) {
        self.topScore = topScore
        self.secondScore = secondScore
        self.similarity = similarity
        self.secondSimilarity = secondSimilarity
    }

    /// Features of the logistic model: how strong the best match is, and how clearly it
    /// beats the runner-up (a near tie means the bot would be guessing between two articles);
    /// with embeddings, the same two things measured by meaning rather than by words.
    var features: [Double] {
        let top = max(topScore, 0)
        let margin = top > 0 ? (top - max(secondScore, 0)) / top : 0
        guard let similarity else { return [log1p(top), margin] }
        return [log1p(top), margin, similarity, similarity - (secondSimilarity ?? 0)]
    }
}

/// One labelled outcome: would the answer given on this evidence have been right?
public struct CalibrationSample: Sendable, Hashable {
    public var evidence: RetrievalEvidence
    public var correct: Bool

    public init(evidence: RetrievalEvidence, correct: Bool) {
        self.evidence = evidence
        self.correct = correct
    }
}

/// A calibrated confidence model for the answer bot plus the threshold it answers at.
///
/// `probability` is a logistic model fitted to labelled outcomes. The threshold is the
/// lowest probability at which the answers the bot *would* give, measured on predictions
/// made without seeing each sample (k-fold), still reach the target precision — so the
/// reported precision is an estimate of what customers will get, not a training score.
public struct AnswerConfidence: Sendable, Hashable, Codable {
    public var weights: [Double]
    public var bias: Double
    public var threshold: Double
    /// Precision measured at `threshold` on held-out predictions; nil when nothing passed.
    public var measuredPrecision: Double?
    /// Share of answerable-or-not questions the bot answers at `threshold`.
    public var coverage: Double
    public var sampleCount: Int
    /// Calibrated with embedding similarities: evidence without them cannot be judged.
    public var usesSimilarity: Bool

    public init(weights: [Double], bias: Double, threshold: Double, measuredPrecision: Double?, coverage: Double, sampleCount: Int,
                usesSimilarity: Bool = false) {
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.measuredPrecision = measuredPrecision
        self.coverage = coverage
        self.sampleCount = sampleCount
        self.usesSimilarity = usesSimilarity
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weights = try c.decode([Double].self, forKey: .weights)
        bias = try c.decode(Double.self, forKey: .bias)
        threshold = try c.decode(Double.self, forKey: .threshold)
        measuredPrecision = try c.decodeIfPresent(Double.self, forKey: .measuredPrecision)
        coverage = try c.decode(Double.self, forKey: .coverage)
        sampleCount = try c.decode(Int.self, forKey: .sampleCount)
        usesSimilarity = try c.decodeIfPresent(Bool.self, forKey: .usesSimilarity) ?? false
    }

    /// Below this many samples the model would be a guess: the bot hands everything over.
    public static let minimumSamples = 20

    /// A model that never answers: used until there is enough to learn from.
    public static let silent = AnswerConfidence(weights: [0, 0], bias: -10, threshold: 1.01, measuredPrecision: nil, coverage: 0, sampleCount: 0)

    public func probability(_ evidence: RetrievalEvidence) -> Double {
        let features = evidence.features
        // Evidence of another shape (no similarity where the model learnt one) cannot be judged.
        guard features.count == weights.count else { return 0 }
        return Self.logistic(zip(weights, features).reduce(bias) { $0 + $1.0 * $1.1 })
    }

    public func shouldAnswer(_ evidence: RetrievalEvidence) -> Bool {
        evidence.topScore > 0 && probability(evidence) >= threshold
    }

    /// Fits the model and picks the threshold for `targetPrecision`.
    public static func calibrate(_ samples: [CalibrationSample], targetPrecision: Double, folds: Int = 5) -> AnswerConfidence {
        let positives = samples.filter(\.correct).count
        guard samples.count >= minimumSamples, positives > 0, positives < samples.count else {
            var silent = Self.silent
            silent.sampleCount = samples.count
            return silent
        }
        // Held-out probability for every sample: each fold is predicted by a model that
        // never saw it. Samples are spread over folds round-robin, which keeps the order
        // given (questions of one article together) from landing in one fold.
        let k = max(2, min(folds, samples.count))
        var heldOut = [Double](repeating: 0, count: samples.count)
        for fold in 0..<k {
            let training = samples.indices.filter { $0 % k != fold }.map { samples[$0] }
            let model = fit(training)
            for index in samples.indices where index % k == fold {
                heldOut[index] = logistic(zip(model.weights, samples[index].evidence.features).reduce(model.bias) { $0 + $1.0 * $1.1 })
            }
        }
        let (threshold, precision, answered) = chooseThreshold(probabilities: heldOut, correct: samples.map(\.correct), targetPrecision: targetPrecision)
        let final = fit(samples)
        return AnswerConfidence(weights: final.weights, bias: final.bias, threshold: threshold, measuredPrecision: precision,
                                coverage: Double(answered) / Double(samples.count), sampleCount: samples.count,
                                usesSimilarity: samples.allSatisfy { $0.evidence.similarity != nil })
    }

    /// The lowest threshold whose answered set reaches the target precision. Walking down
    /// from the most confident prediction, precision is checked at every distinct value;
    /// the answered set must hold at least five answers so one lucky hit cannot set it.
    static func chooseThreshold(probabilities: [Double], correct: [Bool], targetPrecision: Double) -> (threshold: Double, precision: Double?, answered: Int) {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var right = 0
        var best: (threshold: Double, precision: Double?, answered: Int) = (1.01, nil, 0)
        for (position, index) in order.enumerated() {
            if correct[index] { right += 1 }
            let answered = position + 1
            // Only at the last of equal probabilities: a threshold cannot split a tie.
            if position + 1 < order.count && probabilities[order[position + 1]] == probabilities[index] { continue }
            let precision = Double(right) / Double(answered)
            if answered >= 5 && precision >= targetPrecision {
                best = (probabilities[index], precision, answered)
            }
        }
        return best
    }

    /// Plain logistic regression by gradient descent on standardised features; small
    /// (two features, hundreds of samples), so a fixed number of full-batch steps is enough.
    static func fit(_ samples: [CalibrationSample]) -> (weights: [Double], bias: Double) {
        let rows = samples.map(\.evidence.features)
        let width = rows.first?.count ?? 0
        var mean = [Double](repeating: 0, count: width), spread = [Double](repeating: 1, count: width)
        for j in 0..<width {
            let column = rows.map { $0[j] }
            mean[j] = column.reduce(0, +) / Double(max(column.count, 1))
            let variance = column.reduce(0) { $0 + ($1 - mean[j]) * ($1 - mean[j]) } / Double(max(column.count, 1))
            spread[j] = variance > 1e-12 ? variance.squareRoot() : 1
        }
        let scaled = rows.map { row in (0..<width).map { (row[$0] - mean[$0]) / spread[$0] } }
        let labels = samples.map { $0.correct ? 1.0 : 0.0 }
        var w = [Double](repeating: 0, count: width), b = 0.0
        let rate = 0.5, l2 = 1e-3, n = Double(max(samples.count, 1))
        for _ in 0..<500 {
            var gradW = [Double](repeating: 0, count: width), gradB = 0.0
            for (x, y) in zip(scaled, labels) {
                let error = logistic(zip(w, x).reduce(b) { $0 + $1.0 * $1.1 }) - y
                for j in 0..<width { gradW[j] += error * x[j] }
                gradB += error
            }
            for j in 0..<width { w[j] -= rate * (gradW[j] / n + l2 * w[j]) }
            b -= rate * gradB / n
        }
        // Undo the standardisation so the model applies to raw features.
        let weights = (0..<width).map { w[$0] / spread[$0] }
        let bias = b - (0..<width).reduce(0) { $0 + w[$1] * mean[$1] / spread[$1] }
        return (weights, bias)
    }

    static func logistic(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
}
