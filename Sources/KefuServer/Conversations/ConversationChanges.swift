import FluentKit
import Foundation
import KefuCore

/// The one path for a change an agent or an integration makes to a conversation (status,
/// assignee, team, priority, category, tags, attributes): validated, written with its
/// events, its outbox rows and its webhook deliveries in one transaction, then published.
struct ConversationChanges: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let openConversations: OpenConversationCache
    let categoryTrainer: CategoryTrainer
    let jobs: JobQueue
    let conversations = ConversationRepository()

    func apply(_ change: ConversationChange, to id: UUID, by agent: AgentPrincipal) async throws -> ConversationView {
        for attempt in 1...ConversationPipeline.attempts {
            if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
            do {
                let committed = try await persistence.transaction { db in
                    guard let before = try await conversations.find(id, workspaceID: agent.workspaceID, on: db) else {
                        throw Problem.notFound("Conversation")
                    }
                    if let status = change.status, !status.isActive, before.status.isActive,
                       try await ComplaintRepository.isComplaint(before.id, on: db) {
                        throw Problem.invalid([.init(field: "status", detail: "A complaint is resolved with an outcome written for the customer (its complaint/resolve) / 投诉需要填写给客户的处理结果后才能解决")])
                    }
                    let committed = try await writer.write(try change.applied(to: before, by: agent, now: Date()), on: db)
                    // Retrained off the request path, a minute after the burst of labels ends.
                    if change.labelsCategory {
                        try await categoryTrainer.scheduleRetraining(workspaceID: agent.workspaceID, queue: jobs, on: db)
                    }
                    return committed
                }
                openConversations.remember(committed.conversation)
                await publish.committed(committed)
                var view = committed.conversation.view
                if committed.conversation.status == .snoozed { view.snoozedUntil = change.snoozeUntil }
                return view
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while this change was saved; reload it and try again.")
    }
}
