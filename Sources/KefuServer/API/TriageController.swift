import FluentKit
import Foundation
import Hummingbird

struct CategoryModelView: ResponseCodable, Sendable {
    let trained: Bool
    let examples: Int?
    let categories: [String]
    let validationAccuracy: Double?
    let trainedAt: Date?
    /// Conversations agents have categorised so far: what the next training would learn from.
    let labelledConversations: Int
}

/// The workspace's category model: what it was trained on, and retraining on demand.
struct TriageController {
    let services: KefuServices

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("model", use: model)
        group.post("model/train", use: train)
    }

    @Sendable func model(_ request: Request, context: KefuRequestContext) async throws -> CategoryModelView {
        let agent = try context.requireAgent()
        let labelled = try await services.categoryTrainer.labelledCount(workspaceID: agent.workspaceID)
        guard let row = try await CategoryModelRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).first() else {
            return CategoryModelView(trained: false, examples: nil, categories: [], validationAccuracy: nil, trainedAt: nil, labelledConversations: labelled)
        }
        let categories = try await services.categoryTrainer.models.classifier(for: agent.workspaceID)?.categories ?? []
        return CategoryModelView(trained: true, examples: row.examples, categories: categories, validationAccuracy: row.validationAccuracy,
                                 trainedAt: Date(millisSince1970: row.trainedMillis), labelledConversations: labelled)
    }

    /// Trains now, in the request: a workspace's own labels are thousands, not millions.
    @Sendable func train(_ request: Request, context: KefuRequestContext) async throws -> CategoryTrainingSummary {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        do {
            return try await services.categoryTrainer.train(workspaceID: agent.workspaceID)
        } catch let tooFew as NotEnoughLabels {
            throw Problem.conflict(tooFew.description)
        }
    }
}
