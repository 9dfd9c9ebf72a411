import Foundation
import KefuCore
import Synchronization
import SQLKit
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

/// What an operator's dashboard watches, read from the database when scraped (at most
/// every 10 seconds, whatever the number of scrapers): open conversations, the queue's
/// length and its oldest wait, across every workspace.
final class DeskGauges: Sendable {
    let persistence: Persistence
    private let cached = Mutex<(at: Date, text: String)?>(nil)

    init(persistence: Persistence) { self.persistence = persistence }

    func exposition() async throws -> String {
        if let cached = cached.withLock({ $0 }), Date().timeIntervalSince(cached.at) < 10 { return cached.text }
        let sql = persistence.reader as! any SQLDatabase
        let active = ConversationStatus.allCases.filter(\.isActive).map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let open = try await sql.raw("SELECT COUNT(*) AS n FROM conversations WHERE status IN (\(active))").first()
            .map { try $0.decode(column: "n", as: Int.self) } ?? 0
        let queue = try await sql.raw("SELECT COUNT(*) AS n, MIN(queued_ms) AS oldest FROM routing_queue").first()
        let waiting = try queue.map { try $0.decode(column: "n", as: Int.self) } ?? 0
        let oldest = try queue.flatMap { try $0.decode(column: "oldest", as: Int64?.self) }
        let wait = oldest.map { max(0, Date().timeIntervalSince(Date(millisSince1970: $0))) } ?? 0
        let text = """
            # HELP kefu_conversations_open Conversations open, pending or snoozed.
            # TYPE kefu_conversations_open gauge
            kefu_conversations_open \(open)
            # HELP kefu_queue_length Conversations waiting in a queue for an agent with room.
            # TYPE kefu_queue_length gauge
            kefu_queue_length \(waiting)
            # HELP kefu_queue_oldest_wait_seconds How long the longest-waiting conversation in a queue has waited.
            # TYPE kefu_queue_oldest_wait_seconds gauge
            kefu_queue_oldest_wait_seconds \(String(format: "%.0f", wait))

            """
        cached.withLock { $0 = (Date(), text) }
        return text
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
        let gauges = DeskGauges(persistence: persistence)
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition() + (try await gauges.exposition()))))
        }
        router.get("api/v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPIDocument))
        }
    }
}
