import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// The sockets: agents hear their workspace, visitors their own conversations.
struct RealtimeRoutes {
    let hub: any RealtimeHub

    func addAgentSocket(to group: RouterGroup<KefuRequestContext>) {
        group.ws { request, context in
            guard let agent = context.agent else { return .dontUpgrade }
            // Browsers attach cookies to cross-site socket handshakes, so a cookie-signed
            // socket must come from a page of this desk.
            if agent.credential == .sessionCookie && !ClientFrames.isSameOrigin(request) { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let agent = context.requestContext.agent else { return }
            let peer = ClientFrames.AgentPeer(agent: agent, hub: hub)
            try await stream(hub.subscribe(.workspace(agent.workspaceID)), visitor: false, inbound: inbound, outbound: outbound) { await peer.handle($0) }
            await peer.leave()
        }
    }

    func addVisitorSocket(to group: RouterGroup<KefuRequestContext>) {
        group.ws { _, context in
            context.visitor == nil ? .dontUpgrade : .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let visitor = context.requestContext.visitor else { return }
            let peer = ClientFrames.VisitorPeer(visitor: visitor, hub: hub)
            try await stream(hub.subscribe(.contact(workspaceID: visitor.workspaceID, contactID: visitor.contactID)), visitor: true,
                             inbound: inbound, outbound: outbound) { await peer.handle($0) }
        }
    }

    /// Forwards events until either side closes. The first frame, `socket.ready`, tells the
    /// client its subscription is live, so nothing it triggers afterwards can be missed.
    /// Text frames from the client are pings or small JSON frames (typing, viewing).
    private func stream(_ subscription: RealtimeSubscription, visitor: Bool, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                        receive: @escaping @Sendable (String) async -> Void) async throws {
        defer { subscription.close() }
        try await outbound.write(.text("{\"id\":\"\(UUID().uuidString)\",\"type\":\"socket.ready\",\"conversationId\":null,\"payload\":{}}"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in subscription.events { try await outbound.write(.text(visitor ? event.visitorEnvelope : event.envelope)) }
            }
            group.addTask {
                var limiter = ClientFrames.RateLimiter()
                for try await frame in inbound.messages(maxSize: 16 * 1024) {
                    guard case .text(let text) = frame else { continue }
                    if text == "ping" { try await outbound.write(.text("pong")); continue }
                    guard text.utf8.count <= ClientFrames.maxFrameBytes, limiter.admit() else { continue }
                    await receive(text)
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
