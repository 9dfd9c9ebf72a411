import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct RoutingSettingsView: ResponseCodable, Sendable {
    let graceSeconds: Int
}

/// One conversation waiting for an agent, as supervisors see the queue.
struct QueueEntryView: ResponseCodable, Sendable {
    let position: Int
    let conversation: ConversationView
    let inboxId: UUID
    let waitingSince: Date
    /// all_full, nobody_online or agent_away.
    let reason: String
    let tier: String
    let slaDueAt: Date?
}

/// Routing settings (owners and admins write) and the queue every agent can see.
struct RoutingController {
    let services: KefuServices

    struct Input: Decodable { let graceSeconds: Int? }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: settings)
        group.patch(use: update)
        group.get("queue", use: waiting)
    }

    @Sendable func settings(_ request: Request, context: KefuRequestContext) async throws -> RoutingSettingsView {
        let agent = try context.requireAgent()
        return RoutingSettingsView(graceSeconds: try await RoutingSettings.load(workspaceID: agent.workspaceID, on: services.persistence.reader).graceSeconds)
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> RoutingSettingsView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var settings = try await RoutingSettings.load(workspaceID: agent.workspaceID, on: services.persistence.db)
        var validation = Validation()
        if let grace = input.graceSeconds {
            if (0...RoutingSettings.maxGraceSeconds).contains(grace) { settings.graceSeconds = grace } else {
                validation.fail("graceSeconds", "between 0 seconds and a day (86400) / 应在 0 秒到一天（86400 秒）之间")
            }
        }
        try validation.check()
        try await settings.save(workspaceID: agent.workspaceID, on: services.persistence.db)
        return RoutingSettingsView(graceSeconds: settings.graceSeconds)
    }

    /// Every inbox's queue, each in the order it is served.
    @Sendable func waiting(_ request: Request, context: KefuRequestContext) async throws -> Page<QueueEntryView> {
        let agent = try context.requireAgent()
        let db = services.persistence.reader
        let waiting = try await RoutingQueueRepository(persistence: services.persistence).waiting(workspaceID: agent.workspaceID)
        let facts = try await QueueDispatcher.queueFacts(waiting.map(\.conversationID), on: db)
        var records: [UUID: ConversationRecord] = [:]
        for entry in waiting {
            records[entry.conversationID] = try await ConversationRepository().find(entry.conversationID, workspaceID: agent.workspaceID, on: db)
        }
        var items: [QueueEntryView] = []
        for inbox in Set(waiting.map(\.inboxID)).sorted(by: { $0.uuidString < $1.uuidString }) {
            let entries = waiting.filter { $0.inboxID == inbox }.compactMap { entry -> RoutingQueue.Entry? in
                guard let conversation = records[entry.conversationID] else { return nil }
                return RoutingQueue.Entry(conversationID: entry.conversationID.uuidString, conversation: .init(category: nil, language: nil, teamID: nil),
                                          priority: conversation.priority, tier: facts[entry.conversationID]?.tier ?? .standard,
                                          slaDue: facts[entry.conversationID]?.due, queuedAt: Date(millisSince1970: entry.queuedMillis))
            }
            for (place, entry) in RoutingQueue.ordered(entries).enumerated() {
                guard let id = UUID(uuidString: entry.conversationID), let conversation = records[id], let row = waiting.first(where: { $0.conversationID == id }) else { continue }
                items.append(QueueEntryView(position: place + 1, conversation: conversation.view, inboxId: inbox, waitingSince: entry.queuedAt,
                                            reason: row.reason, tier: entry.tier.rawValue, slaDueAt: entry.slaDue))
            }
        }
        return Page(items: items, nextCursor: nil)
    }
}
