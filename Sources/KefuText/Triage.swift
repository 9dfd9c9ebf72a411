/// Everything triage reads from one customer message.
public struct TriageResult: Sendable, Hashable {
    public let language: Language
    public let sentiment: SentimentAnalysis
    public let urgency: UrgencyAssessment
    /// Nil when the workspace has no trained category model yet.
    public let category: CategoryPrediction?
}

/// The pipeline's "understand" step in one call.
public enum Triage {
    public static func analyze(_ text: String, classifier: CategoryClassifier? = nil) -> TriageResult {
        TriageResult(
            language: LanguageDetector.detect(text),
            sentiment: SentimentAnalyzer.analyze(text),
            urgency: UrgencyDetector.assess(text),
            category: classifier?.predict(text))
    }
}
