import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// The sockets: agents hear their workspace, visitors their own conversations.
struct RealtimeRoutes {
    let hub: any RealtimeHub

    func addAgentSocket(to group: RouterGroup<KefuRequestContext>) {
        group.ws { _, context in
            context.agent == nil ? .dontUpgrade : .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let agent = context.requestContext.agent else { return }
            try await stream(hub.subscribe(.workspace(agent.workspaceID)), inbound: inbound, outbound: outbound)
        }
    }

    func addVisitorSocket(to group: RouterGroup<KefuRequestContext>) {
        group.ws { _, context in
            context.visitor == nil ? .dontUpgrade : .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let visitor = context.requestContext.visitor else { return }
            try await stream(hub.subscribe(.contact(workspaceID: visitor.workspaceID, contactID: visitor.contactID)), inbound: inbound, outbound: outbound)
        }
    }

    /// Forwards events until either side closes. The first frame, `socket.ready`, tells the
    /// client its subscription is live, so nothing it triggers afterwards can be missed.
    private func stream(_ subscription: RealtimeSubscription, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        defer { subscription.close() }
        try await outbound.write(.text("{\"id\":\"\(UUID().uuidString)\",\"type\":\"socket.ready\",\"conversationId\":null,\"payload\":{}}"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in subscription.events { try await outbound.write(.text(event.envelope)) }
            }
            group.addTask {
                // Clients may send pings as text; anything else is ignored until typing and
                // presence arrive with the console.
                for try await frame in inbound.messages(maxSize: 16 * 1024) {
                    if case .text(let text) = frame, text == "ping" { try await outbound.write(.text("pong")) }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

struct SystemRoutes {
    let persistence: Persistence
    let metrics: KefuMetrics
    let openAPIDocument: ByteBuffer

    func addRoutes(to router: Router<KefuRequestContext>) {
        router.get("health") { _, _ in ["status": "ok"] }
        router.get("ready") { _, _ -> [String: String] in
            guard await persistence.isReachable() else { throw Problem(.serviceUnavailable, "The database is not reachable.") }
            return ["status": "ready"]
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPIDocument))
        }
    }
}
