import FluentKit
import Foundation
import Hummingbird
import KefuText
import Logging
import SQLKit

/// Each workspace's category model, trained from the conversations its agents categorised.
/// Read on every new conversation, so it is kept in memory; another node may have trained a
/// newer one, so the stored training time is checked again after `recheckAfter`.
actor CategoryModels {
    let persistence: Persistence
    private var entries: [UUID: Entry] = [:]
    static let recheckAfter: Duration = .seconds(60)

    private struct Entry {
        var classifier: CategoryClassifier?
        var trainedMillis: Int64?
        var checkedAt: ContinuousClock.Instant
    }

    init(persistence: Persistence) { self.persistence = persistence }

    /// nil when the workspace has no model yet or the model abstains.
    func predict(workspaceID: UUID, text: String) async throws -> CategoryPrediction? {
        guard let classifier = try await classifier(for: workspaceID) else { return nil }
        let prediction = classifier.predict(text)
        return prediction.abstain ? nil : prediction
    }

    func classifier(for workspaceID: UUID) async throws -> CategoryClassifier? {
        if let entry = entries[workspaceID], entry.checkedAt.duration(to: .now) < Self.recheckAfter { return entry.classifier }
        let sql = persistence.sql
        let stamp = try await sql.raw("SELECT trained_ms FROM category_models WHERE workspace_id = \(bind: workspaceID)")
            .first()?.decode(column: "trained_ms", as: Int64.self)
        if let entry = entries[workspaceID], entry.trainedMillis == stamp {
            entries[workspaceID]?.checkedAt = .now
            return entry.classifier
        }
        var classifier: CategoryClassifier?
        if stamp != nil, let row = try await CategoryModelRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).first() {
            classifier = try? CategoryClassifier(serialized: row.model)
        }
        entries[workspaceID] = Entry(classifier: classifier, trainedMillis: stamp, checkedAt: .now)
        return classifier
    }

    func forget(_ workspaceID: UUID) { entries[workspaceID] = nil }
}

/// Training needs labels from agents first; the API answers 409 with this, the job gives up.
struct NotEnoughLabels: Error, CustomStringConvertible {
    let examples: Int
    let categories: Int
    var description: String {
        "Training needs at least \(CategoryTrainer.minimumExamples) conversations that agents categorised, in at least two categories; "
            + "this workspace has \(examples) in \(categories). / 训练至少需要 \(CategoryTrainer.minimumExamples) 个由客服分类的会话，且至少两个类别。"
    }
}

/// What training from the database found and produced.
struct CategoryTrainingSummary: ResponseCodable, Sendable {
    let examples: Int
    let categories: [String]
    let validationAccuracy: Double?
    let trainedAt: Date?
}

/// Trains a workspace's model from its agent-labelled conversations: the customer's first
/// message is the text, the category an agent chose is the label. Labels the model set
/// itself are never used, so it cannot learn from its own mistakes.
struct CategoryTrainer: Sendable {
    let persistence: Persistence
    let models: CategoryModels
    static let minimumExamples = 10
    static let maximumExamples = 20_000

    func examples(workspaceID: UUID) async throws -> [LabeledText] {
        let rows = try await persistence.sql.raw("""
            SELECT c.category AS category,
                   (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.author_kind = 'contact'
                    ORDER BY m.id LIMIT 1) AS body
            FROM conversations c
            WHERE c.workspace_id = \(bind: workspaceID) AND c.category_source = 'agent' AND c.category IS NOT NULL
            ORDER BY c.id DESC LIMIT \(literal: Self.maximumExamples)
            """).all()
        return try rows.compactMap { row in
            guard let body = try row.decode(column: "body", as: String?.self), !body.isEmpty else { return nil }
            return LabeledText(text: body, category: try row.decode(column: "category", as: String.self))
        }
    }

    /// Conversations an agent categorised that have a customer message to learn from.
    func labelledCount(workspaceID: UUID) async throws -> Int {
        try await persistence.sql.raw("""
            SELECT COUNT(*) AS labelled FROM conversations c
            WHERE c.workspace_id = \(bind: workspaceID) AND c.category_source = 'agent' AND c.category IS NOT NULL
              AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_kind = 'contact')
            """).first()?.decode(column: "labelled", as: Int.self) ?? 0
    }

    func train(workspaceID: UUID) async throws -> CategoryTrainingSummary {
        let examples = try await examples(workspaceID: workspaceID)
        let categories = Array(Set(examples.map(\.category))).sorted()
        guard examples.count >= Self.minimumExamples, categories.count >= 2 else {
            throw NotEnoughLabels(examples: examples.count, categories: categories.count)
        }
        let classifier = try TriageTraining.train(examples)
        let now = Date().millisSince1970
        try await persistence.transaction { db in
            let row = try await CategoryModelRow.query(on: db).filter(\.$workspaceID == workspaceID).first() ?? {
                let fresh = CategoryModelRow()
                fresh.id = TimeOrderedID.make()
                fresh.workspaceID = workspaceID
                return fresh
            }()
            row.model = classifier.serialized()
            row.examples = examples.count
            row.categories = categories.count
            row.validationAccuracy = classifier.validation?.accuracy
            row.trainedMillis = now
            try await row.save(on: db)
        }
        await models.forget(workspaceID)
        return CategoryTrainingSummary(examples: examples.count, categories: categories,
                                       validationAccuracy: classifier.validation?.accuracy, trainedAt: Date(millisSince1970: now))
    }

    /// Retraining waits a minute after a label so a burst of categorising trains once.
    func scheduleRetraining(workspaceID: UUID, queue: JobQueue, on db: (any Database)? = nil) async throws {
        let db = db ?? persistence.db
        let pending = try await JobRow.query(on: db)
            .filter(\.$kind == CategoryTrainingHandler.kindName).filter(\.$payload == workspaceID.uuidString)
            .filter(\.$status == "queued").count()
        guard pending == 0 else { return }
        try await queue.enqueue(kind: CategoryTrainingHandler.kindName, payload: workspaceID.uuidString, on: db,
                                delayMillis: 60_000, maxAttempts: 3, workspaceID: workspaceID)
    }
}

struct CategoryTrainingHandler: JobHandler {
    static let kindName = "triage.retrain"
    var kind: String { Self.kindName }
    var timeout: Duration { .seconds(600) }
    let trainer: CategoryTrainer

    func run(payload: String) async throws {
        guard let workspaceID = UUID(uuidString: payload) else { throw PermanentJobFailure(reason: "unreadable workspace id") }
        do {
            _ = try await trainer.train(workspaceID: workspaceID)
        } catch let tooFew as NotEnoughLabels {
            // Not an error to retry: the next label schedules training again.
            throw PermanentJobFailure(reason: tooFew.description)
        }
    }
}
