import AsyncHTTPClient
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

enum WebhookEventType {
    static let all = ["conversation.created", "conversation.updated", "message.created", "conversation.sla_warning", "conversation.sla_breached"]
}

/// Turns realtime events into webhook deliveries, one durable job per subscribed webhook.
struct WebhookDispatcher: Sendable {
    struct Delivery: Codable {
        let webhookID: UUID
        let eventID: String
        let eventType: String
        let body: String
    }

    let persistence: Persistence
    let queue: JobQueue
    /// Subscriptions change rarely and every message would otherwise query them; a few
    /// seconds of staleness on other nodes is the price.
    private let cache = SubscriptionCache()
    static let cacheLifetime: Duration = .seconds(5)

    typealias Subscription = (id: UUID, types: Set<String>)

    final class SubscriptionCache: Sendable {
        let entries = Mutex<[UUID: (loadedAt: ContinuousClock.Instant, hooks: [Subscription])]>([:])
    }

    init(persistence: Persistence, queue: JobQueue) {
        self.persistence = persistence
        self.queue = queue
    }

    func invalidate(workspaceID: UUID) { _ = cache.entries.withLock { $0.removeValue(forKey: workspaceID) } }

    /// Queues one delivery per subscribed webhook and event, in the caller's transaction:
    /// the deliveries exist exactly when the change that caused them does.
    func enqueue(_ events: [RealtimeEvent], on db: any Database) async throws {
        guard let workspaceID = events.first?.workspaceID else { return }
        let hooks = try await subscriptions(workspaceID: workspaceID, on: db)
        guard !hooks.isEmpty else { return }
        for event in events {
            for hook in hooks where hook.types.contains(event.type) {
                let body = "{\"id\":\"\(event.id)\",\"type\":\"\(event.type)\",\"workspaceId\":\"\(event.workspaceID.uuidString)\",\"createdAt\":\"\(Date().formatted(.iso8601))\",\"data\":\(event.payloadJSON)}"
                let delivery = Delivery(webhookID: hook.id, eventID: event.id, eventType: event.type, body: body)
                try await queue.enqueue(kind: WebhookDeliveryHandler.kindName, payload: StoredJSON.encode(delivery), on: db,
                                        workspaceID: event.workspaceID)
            }
        }
    }

    private func subscriptions(workspaceID: UUID, on db: any Database) async throws -> [(id: UUID, types: Set<String>)] {
        let now = ContinuousClock.now
        if let cached = cache.entries.withLock({ $0[workspaceID] }), now - cached.loadedAt < Self.cacheLifetime { return cached.hooks }
        let rows = try await WebhookRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$active == true).all()
        let hooks = rows.map { (id: $0.id!, types: Set(StoredJSON.decode([String].self, from: $0.eventTypes, default: []))) }
        cache.entries.withLock { $0[workspaceID] = (now, hooks) }
        return hooks
    }
}

/// Sends one webhook request. The signature lets the receiver check the body came from
/// this desk: `X-Kefu-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>`.
struct WebhookDeliveryHandler: JobHandler {
    static let kindName = "webhook.deliver"
    var kind: String { Self.kindName }
    let persistence: Persistence
    let httpClient: HTTPClient
    /// Tells the workspace's consoles when a webhook is switched off.
    var hub: (any RealtimeHub)? = nil
    static let disableAfterMillis: Int64 = 24 * 3600 * 1000
    /// A receiver that has not answered by then is counted as failed for this attempt.
    let requestTimeout: TimeAmount = .seconds(10)
    var timeout: Duration { .seconds(20) }

    struct DeliveryFailed: Error, CustomStringConvertible { let description: String }

    func run(payload: String) async throws {
        guard let delivery = try? JSONDecoder().decode(WebhookDispatcher.Delivery.self, from: Data(payload.utf8)) else {
            throw PermanentJobFailure(reason: "unreadable delivery payload")
        }
        guard let hook = try await WebhookRow.find(delivery.webhookID, on: persistence.db), hook.active else {
            throw PermanentJobFailure(reason: "webhook was removed or disabled")
        }
        let previous = try await WebhookDeliveryRow.query(on: persistence.db)
            .filter(\.$webhookID == delivery.webhookID).filter(\.$eventID == delivery.eventID).count()
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: hook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kefu-Webhooks/1")
        request.headers.add(name: "X-Kefu-Event", value: delivery.eventType)
        request.headers.add(name: "X-Kefu-Delivery", value: delivery.eventID)
        request.headers.add(name: "X-Kefu-Timestamp", value: timestamp)
        request.headers.add(name: "X-Kefu-Signature", value: "sha256=" + Secrets.hmacSHA256Hex(key: hook.secret, message: Data((timestamp + "." + delivery.body).utf8)))
        request.body = .bytes(ByteBuffer(string: delivery.body))

        let started = ContinuousClock.now
        let log = WebhookDeliveryRow()
        log.id = TimeOrderedID.make()
        log.workspaceID = hook.workspaceID
        log.webhookID = hook.id!
        log.eventID = delivery.eventID
        log.eventType = delivery.eventType
        log.attempt = previous + 1
        var failure: String?
        do {
            let response = try await httpClient.execute(request, timeout: requestTimeout)
            log.statusCode = Int(response.status.code)
            if !(200..<300).contains(response.status.code) { failure = "receiver answered HTTP \(response.status.code)" }
        } catch {
            failure = "request failed: \(type(of: error))"
        }
        log.durationMillis = Int64((ContinuousClock.now - started).components.seconds * 1000)
            + Int64((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)
        log.succeeded = failure == nil
        log.error = failure
        try await log.create(on: persistence.db)
        try await track(hook, failed: failure != nil)
        if let failure { throw DeliveryFailed(description: failure) }
    }

    /// A receiver that has failed every delivery for `disableAfterMillis` is switched off,
    /// with the reason kept for the admin and a realtime notice to the workspace's consoles;
    /// its queued deliveries then give up instead of retrying against it for days.
    private func track(_ hook: WebhookRow, failed: Bool, now: Int64 = Date().millisSince1970) async throws {
        guard failed else {
            if hook.failingSinceMillis != nil {
                hook.failingSinceMillis = nil
                try await hook.update(on: persistence.db)
            }
            return
        }
        guard let since = hook.failingSinceMillis else {
            hook.failingSinceMillis = now
            try await hook.update(on: persistence.db)
            return
        }
        guard now - since >= Self.disableAfterMillis else { return }
        hook.active = false
        hook.disabledReason = "every delivery failed for 24 hours"
        try await hook.update(on: persistence.db)
        await hub?.publish(RealtimeEvent(type: "webhook.disabled", workspaceID: hook.workspaceID, conversationID: nil, contactID: nil,
                                         visibleToContact: false, payload: WebhookView(hook)))
        throw PermanentJobFailure(reason: "webhook disabled after a day of failures")
    }
}
