import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct WebhooksController {
    let services: KefuServices

    struct CreateInput: Decodable { let url: String; let eventTypes: [String]? }
    /// Switching a webhook back on after the desk switched it off (or off by hand).
    struct UpdateInput: Decodable { let active: Bool }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.get(":id/deliveries", use: deliveries)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<WebhookView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let rows = try await WebhookRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).sort(\.$id).all()
        return Page(items: rows.map { WebhookView($0) }, nextCursor: nil)
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<WebhookView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(CreateInput.self, context: context)
        var validation = Validation()
        if let url = validation.text(input.url, field: "url", max: Limits.url, required: true) {
            let parsed = URL(string: url)
            if parsed?.host?.isEmpty ?? true || !["http", "https"].contains(parsed?.scheme?.lowercased() ?? "") {
                validation.fail("url", "must be an http or https URL")
            }
        }
        let types = input.eventTypes ?? WebhookEventType.all
        if types.isEmpty { validation.fail("eventTypes", "subscribe to at least one event type") }
        for type in types where !WebhookEventType.all.contains(type) {
            validation.fail("eventTypes", "unknown event type '\(type.prefix(64))'; known: " + WebhookEventType.all.joined(separator: ", "))
        }
        try validation.check()
        let row = WebhookRow(workspaceID: agent.workspaceID, url: input.url.trimmingCharacters(in: .whitespacesAndNewlines),
                             secret: Secrets.randomToken(prefix: "whsec_"), eventTypes: StoredJSON.encode(Array(Set(types)).sorted()))
        try await row.create(on: services.persistence.db)
        services.webhooks.invalidate(workspaceID: agent.workspaceID)
        return EditedResponse(status: .created, response: WebhookView(row, showSecret: true))
    }

    /// On again: its run of failures starts afresh; off: nothing more is sent to it.
    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> WebhookView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let row = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(UpdateInput.self, context: context)
        row.active = input.active
        row.failingSinceMillis = nil
        row.disabledReason = input.active ? nil : "switched off by an admin"
        try await row.update(on: services.persistence.db)
        services.webhooks.invalidate(workspaceID: agent.workspaceID)
        return WebhookView(row)
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let row = try await find(context: context, in: agent.workspaceID)
        try await row.delete(on: services.persistence.db)
        services.webhooks.invalidate(workspaceID: agent.workspaceID)
        return .noContent
    }

    /// The delivery log, newest first: what was sent, what the receiver answered.
    @Sendable func deliveries(_ request: Request, context: KefuRequestContext) async throws -> Page<WebhookDeliveryView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let hook = try await find(context: context, in: agent.workspaceID)
        let page = try PageRequest(request)
        var query = WebhookDeliveryRow.query(on: services.persistence.db).filter(\.$webhookID == hook.id!)
        if let cursor = page.cursor {
            query = query.filter(\.$id < (try Cursor.id(cursor)))
        }
        let rows = try await query.sort(\.$id, .descending).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map(WebhookDeliveryView.init)
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> WebhookRow {
        let id = try context.uuidParameter("id", what: "Webhook")
        guard let row = try await WebhookRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else { throw Problem.notFound("Webhook") }
        return row
    }
}
