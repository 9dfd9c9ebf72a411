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
        let queue = try await QueueSnapshot.read(workspaceID: agent.workspaceID, persistence: services.persistence, on: services.persistence.reader)
        var items: [QueueEntryView] = []
        for inbox in queue.inboxes {
            for (place, item) in queue.ordered(inbox: inbox).enumerated() {
                items.append(QueueEntryView(position: place + 1, conversation: item.conversation.view, inboxId: inbox, waitingSince: item.entry.queuedAt,
                                            reason: item.waiting.reason, tier: item.entry.tier.rawValue, slaDueAt: item.entry.slaDue))
            }
        }
        return Page(items: items, nextCursor: nil)
    }
}
