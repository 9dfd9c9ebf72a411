import Foundation

extension CategoryPrediction {
    /// One line of `predict` output:
    /// `{"label": "card_arrival", "confidence": 0.8731, "abstain": false}`.
    public var jsonLine: String {
        let encodedLabel = (try? JSONEncoder().encode(label)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        let rounded = (confidence * 10_000).rounded() / 10_000
        return "{\"label\": \(encodedLabel), \"confidence\": \(rounded), \"abstain\": \(abstain)}"
    }
}

extension EvaluationReport {
    /// The report of `eval`, in English and Chinese; the contract is that
    /// `accuracy: 0.xxxx` is the last line.
    public func lines(threshold: Double) -> [String] {
        [
            "examples / 样本数: \(examples)",
            "threshold / 阈值: \(Self.fixed(threshold, digits: 2))",
            "coverage / 覆盖率: \(Self.fixed(coverage))",
            "precision when not abstaining / 未弃权时的准确率: \(Self.fixed(precision))",
            "accuracy: \(Self.fixed(accuracy))",
        ]
    }

    static func fixed(_ value: Double, digits: Int = 4) -> String {
        String(format: "%.\(digits)f", value)
    }
}

extension ValidationSummary {
    /// Lines printed after training, in English and Chinese.
    public var lines: [String] {
        [
            "held-out examples / 验证样本数: \(examples)",
            "held-out accuracy / 验证准确率: \(EvaluationReport.fixed(accuracy))",
            "held-out coverage / 验证覆盖率: \(EvaluationReport.fixed(coverage))",
            "held-out precision / 验证精确率: \(EvaluationReport.fixed(precision))",
        ]
    }
}
