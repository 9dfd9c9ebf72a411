import FluentKit
import Foundation
import Hummingbird
import KefuCore
import KefuText
import SQLKit

struct BotCalibrationView: ResponseCodable, Sendable {
    /// The confidence at or above which the bot answers.
    let threshold: Double
    /// Precision of the bot's answers at the threshold, measured on held-out sample questions.
    let measuredPrecision: Double?
    let coverage: Double
    let samples: Int
    let calibratedAt: Date?
}

struct BotSettingsView: ResponseCodable, Sendable {
    let enabled: Bool
    let targetPrecision: Double
    /// On word scores alone: what the bot uses without an embeddings provider or when it fails.
    let calibration: BotCalibrationView?
    /// With embedding similarities, when an embeddings provider is configured.
    let semanticCalibration: BotCalibrationView?

    init(_ settings: BotSettings) {
        enabled = settings.enabled
        targetPrecision = settings.targetPrecision
        let at = settings.calibratedMillis.map(Date.init(millisSince1970:))
        func view(_ model: AnswerConfidence) -> BotCalibrationView {
            BotCalibrationView(threshold: model.threshold, measuredPrecision: model.measuredPrecision, coverage: model.coverage,
                               samples: model.sampleCount, calibratedAt: at)
        }
        calibration = settings.models.map { view($0.lexical) }
        semanticCalibration = settings.models?.semantic.map(view)
    }
}

struct BotPreviewView: ResponseCodable, Sendable {
    struct Article: Codable, Sendable { let id: UUID; let title: String; let url: String; let extract: String; let locale: String }
    let intent: String
    let wouldAnswer: Bool
    let confidence: Double
    let threshold: Double
    /// Judged with embedding similarities (an embeddings provider answered).
    let semantic: Bool
    let article: Article?
}

struct BotController {
    let services: KefuServices

    struct SettingsInput: Decodable { let enabled: Bool?; let targetPrecision: Double? }
    struct PreviewInput: Decodable { let text: String; let locale: String? }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: show)
        group.patch(use: update)
        group.post("calibrate", use: calibrate)
        group.post("preview", use: preview)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> BotSettingsView {
        let agent = try context.requireAgent()
        return BotSettingsView(try await services.botSettings.current(agent.workspaceID))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> BotSettingsView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(SettingsInput.self, context: context)
        if let target = input.targetPrecision, !(0.5...0.99).contains(target) {
            throw Problem.invalid([.init(field: "targetPrecision", detail: "must be between 0.5 and 0.99")])
        }
        return BotSettingsView(try await services.botSettings.update(agent.workspaceID, enabled: input.enabled, targetPrecision: input.targetPrecision))
    }

    @Sendable func calibrate(_ request: Request, context: KefuRequestContext) async throws -> BotSettingsView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        return BotSettingsView(try await services.botSettings.recalibrate(agent.workspaceID))
    }

    /// What the bot would say to a customer who wrote `text`: for agents checking articles.
    @Sendable func preview(_ request: Request, context: KefuRequestContext) async throws -> BotPreviewView {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(PreviewInput.self, context: context)
        var validation = Validation()
        let text = validation.text(input.text, field: "text", max: Limits.messageText, required: true)
        let locale = validation.text(input.locale, field: "locale", max: 16)
        try validation.check()
        let models = try await services.botSettings.models(agent.workspaceID)
        let language = locale ?? {
            let detected = LanguageDetector.detect(text!)
            return detected == .undetermined ? nil : detected.rawValue
        }()
        let judgement = try await services.botRetrieval.judge(workspaceID: agent.workspaceID, question: text!,
                                                              locale: BotWording.articleLocale(for: language), models: models)
        let article = judgement.best.map { BotPreviewView.Article(id: $0.articleID, title: $0.title, url: $0.url, extract: $0.extract, locale: $0.locale) }
        return BotPreviewView(intent: CustomerReplyIntent.classify(text!).rawValue, wouldAnswer: judgement.answers,
                              confidence: judgement.probability, threshold: judgement.threshold, semantic: judgement.semantic, article: article)
    }
}
