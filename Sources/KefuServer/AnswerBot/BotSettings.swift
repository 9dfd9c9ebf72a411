import FluentKit
import Foundation
import KefuText
import Logging

/// The bot's calibrated confidence models: one on word scores alone, always there, and one
/// that also reads embedding similarities when a provider is configured. When the provider
/// fails, the bot falls back to the first, at its own threshold.
struct BotModels: Sendable, Equatable, Codable {
    var lexical: AnswerConfidence
    var semantic: AnswerConfidence?

    static let silent = BotModels(lexical: .silent, semantic: nil)
    /// Whether either model can ever answer.
    var canAnswer: Bool { lexical.measuredPrecision != nil || semantic?.measuredPrecision != nil }
}

/// A workspace's bot settings as the pipeline reads them.
struct BotSettings: Sendable, Equatable {
    var enabled: Bool
    var targetPrecision: Double
    var models: BotModels?
    var calibratedMillis: Int64?

    /// A new workspace's bot is on: it stays silent anyway until its knowledge base holds
    /// enough sample questions to calibrate on, and then it answers only above the threshold.
    static let defaults = BotSettings(enabled: true, targetPrecision: 0.9, models: nil, calibratedMillis: nil)
}

/// Finds the article for a question and judges whether to answer with it. Answering,
/// previewing and calibrating all go through here, so they read evidence the same way.
struct BotRetrieval: Sendable {
    let knowledgeBase: KnowledgeBase
    let ranker: SemanticRanker?
    let logger: Logger
    static let candidates = 5

    struct Judgement: Sendable {
        let best: ArticleHit?
        let probability: Double
        let threshold: Double
        let answers: Bool
        let semantic: Bool
    }

    func judge(workspaceID: UUID, question: String, locale: String?, models: BotModels) async throws -> Judgement {
        let hits = try await knowledgeBase.search(workspaceID: workspaceID, query: question, locale: locale, limit: Self.candidates)
        guard let first = hits.first else {
            return Judgement(best: nil, probability: 0, threshold: models.lexical.threshold, answers: false, semantic: false)
        }
        if let semantic = models.semantic, let ranker {
            do {
                if let vector = try await ranker.embedQuestions([question]).first, let ranked = try await ranker.rank(question: vector, hits: hits) {
                    return Judgement(best: ranked.best, probability: semantic.probability(ranked.evidence), threshold: semantic.threshold,
                                     answers: semantic.shouldAnswer(ranked.evidence), semantic: true)
                }
            } catch {
                logger.warning("embeddings provider failed; answering on word scores", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        let evidence = BotEvidence.from(hits)
        return Judgement(best: first, probability: models.lexical.probability(evidence), threshold: models.lexical.threshold,
                         answers: models.lexical.shouldAnswer(evidence), semantic: false)
    }
}

/// Learns the confidence model from the knowledge base itself: every sample question of a
/// published article is asked twice — once as is (right if the bot's top article is the
/// one it belongs to), and once as if its article did not exist (any answer is then wrong).
/// That gives the model both the questions it should answer and the ones it should not.
struct BotCalibration: Sendable {
    let retrieval: BotRetrieval

    struct Samples: Sendable {
        var lexical: [CalibrationSample] = []
        /// nil without a provider, or when it failed during calibration.
        var semantic: [CalibrationSample]?
    }

    func samples(workspaceID: UUID) async throws -> Samples {
        let knowledgeBase = retrieval.knowledgeBase
        let questions = try await knowledgeBase.calibrationSamples(workspaceID: workspaceID)
        var result = Samples()
        var vectors: [[Float]]?
        if let ranker = retrieval.ranker, !questions.isEmpty {
            vectors = try? await ranker.embedQuestions(questions.map(\.question))
            if vectors != nil { result.semantic = [] }
        }
        for (index, sample) in questions.enumerated() {
            let hits = try await knowledgeBase.search(workspaceID: workspaceID, query: sample.question, locale: sample.locale, limit: BotRetrieval.candidates)
            let withoutIt = hits.filter { $0.articleID != sample.articleID }
            // A title asked back is found by the title boost alone and would flatter the model.
            let asAsked = hits.first.map { $0.title.caseInsensitiveCompare(sample.question) != .orderedSame } ?? false
            if asAsked, let best = hits.first {
                result.lexical.append(CalibrationSample(evidence: BotEvidence.from(hits), correct: best.articleID == sample.articleID))
            }
            if !withoutIt.isEmpty {
                result.lexical.append(CalibrationSample(evidence: BotEvidence.from(withoutIt), correct: false))
            }
            guard let ranker = retrieval.ranker, let vector = vectors?[index], result.semantic != nil else { continue }
            do {
                if asAsked, let ranked = try await ranker.rank(question: vector, hits: hits) {
                    result.semantic?.append(CalibrationSample(evidence: ranked.evidence, correct: ranked.best.articleID == sample.articleID))
                }
                if let ranked = try await ranker.rank(question: vector, hits: withoutIt) {
                    result.semantic?.append(CalibrationSample(evidence: ranked.evidence, correct: false))
                }
            } catch {
                result.semantic = nil
            }
        }
        return result
    }

    func calibrate(workspaceID: UUID, targetPrecision: Double) async throws -> BotModels {
        let samples = try await samples(workspaceID: workspaceID)
        return BotModels(lexical: AnswerConfidence.calibrate(samples.lexical, targetPrecision: targetPrecision),
                         semantic: samples.semantic.map { AnswerConfidence.calibrate($0, targetPrecision: targetPrecision) })
    }
}

/// Settings per workspace, read on every new widget conversation, so they are kept in
/// memory. Other nodes change them too: an entry is re-read after `maxAge`, and a
/// calibration older than `recalibrateAfter` is redone in the job queue (articles change).
actor BotSettingsCache {
    let persistence: Persistence
    let calibration: BotCalibration
    let jobs: JobQueue
    private var entries: [UUID: (settings: BotSettings, loadedAt: ContinuousClock.Instant)] = [:]
    private var recalibrationQueued: [UUID: ContinuousClock.Instant] = [:]
    private var calibrating: [UUID: Task<BotSettings, any Error>] = [:]
    static let maxAge: Duration = .seconds(60)
    static let recalibrateAfterMillis: Int64 = 10 * 60 * 1000

    init(persistence: Persistence, calibration: BotCalibration, jobs: JobQueue) {
        self.persistence = persistence
        self.calibration = calibration
        self.jobs = jobs
    }

    func current(_ workspaceID: UUID) async throws -> BotSettings {
        if let entry = entries[workspaceID], entry.loadedAt.duration(to: .now) < Self.maxAge { return entry.settings }
        let settings = try await BotSettingsRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).first()
            .map(Self.settings(from:)) ?? .defaults
        entries[workspaceID] = (settings, .now)
        return settings
    }

    /// The models to answer with. The first time they are calibrated on the spot; later,
    /// stale ones keep serving while the queue recalibrates.
    func models(_ workspaceID: UUID) async throws -> BotModels {
        let settings = try await current(workspaceID)
        guard let models = settings.models, let calibrated = settings.calibratedMillis else {
            return try await recalibrate(workspaceID).models ?? .silent
        }
        let providerChanged = (calibration.retrieval.ranker != nil) != (models.semantic != nil)
        if providerChanged || Date().millisSince1970 - calibrated > Self.recalibrateAfterMillis { try await queueRecalibration(workspaceID) }
        return models
    }

    /// Customers who write at once to a workspace not yet calibrated share one calibration.
    @discardableResult
    func recalibrate(_ workspaceID: UUID) async throws -> BotSettings {
        if let running = calibrating[workspaceID] { return try await running.value }
        let calibration = Task { try await self.calibrateNow(workspaceID) }
        calibrating[workspaceID] = calibration
        defer { calibrating[workspaceID] = nil }
        return try await calibration.value
    }

    private func calibrateNow(_ workspaceID: UUID) async throws -> BotSettings {
        var settings = try await current(workspaceID)
        settings.models = try await calibration.calibrate(workspaceID: workspaceID, targetPrecision: settings.targetPrecision)
        settings.calibratedMillis = Date().millisSince1970
        try await save(settings, for: workspaceID)
        return settings
    }

    func update(_ workspaceID: UUID, enabled: Bool?, targetPrecision: Double?) async throws -> BotSettings {
        var settings = try await current(workspaceID)
        if let enabled { settings.enabled = enabled }
        if let targetPrecision, targetPrecision != settings.targetPrecision {
            settings.targetPrecision = targetPrecision
            // The threshold belongs to the target: recalibrate now rather than answer at the old one.
            settings.models = try await calibration.calibrate(workspaceID: workspaceID, targetPrecision: targetPrecision)
            settings.calibratedMillis = Date().millisSince1970
        }
        try await save(settings, for: workspaceID)
        return settings
    }

    private func queueRecalibration(_ workspaceID: UUID) async throws {
        if let queued = recalibrationQueued[workspaceID], queued.duration(to: .now) < .seconds(Self.recalibrateAfterMillis / 1000) { return }
        recalibrationQueued[workspaceID] = .now
        try await jobs.enqueue(kind: BotCalibrationHandler.kindName, payload: workspaceID.uuidString, on: persistence.db, maxAttempts: 3)
    }

    private func save(_ settings: BotSettings, for workspaceID: UUID) async throws {
        do {
            try await write(settings, for: workspaceID)
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Another node created the workspace's row between the read and the insert.
            try await write(settings, for: workspaceID)
        }
        entries[workspaceID] = (settings, .now)
    }

    private func write(_ settings: BotSettings, for workspaceID: UUID) async throws {
        let row = try await BotSettingsRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).first()
            ?? BotSettingsRow(workspaceID: workspaceID, enabled: settings.enabled, targetPrecision: settings.targetPrecision)
        row.enabled = settings.enabled
        row.targetPrecision = settings.targetPrecision
        row.confidence = settings.models.map { StoredJSON.encode($0) }
        row.calibratedMillis = settings.calibratedMillis
        try await row.save(on: persistence.db)
    }

    private static func settings(from row: BotSettingsRow) -> BotSettings {
        BotSettings(enabled: row.enabled, targetPrecision: row.targetPrecision,
                    models: row.confidence.flatMap { try? JSONDecoder().decode(BotModels.self, from: Data($0.utf8)) },
                    calibratedMillis: row.calibratedMillis)
    }
}

/// Recalibrates a workspace's bot off the request path.
struct BotCalibrationHandler: JobHandler {
    static let kindName = "bot.calibrate"
    var kind: String { Self.kindName }
    /// Calibrating with an embeddings provider searches every sample question twice.
    var timeout: Duration { .seconds(600) }
    let settings: BotSettingsCache

    func run(payload: String) async throws {
        guard let workspaceID = UUID(uuidString: payload) else { throw PermanentJobFailure(reason: "unreadable workspace id") }
        try await settings.recalibrate(workspaceID)
    }
}
