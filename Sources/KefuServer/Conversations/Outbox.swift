import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import Synchronization

/// Realtime events written in the same transaction as the change that caused them. The
/// node that committed publishes them at once and then deletes them; a row still there a
/// few seconds later belongs to a node that died in between, and any node publishes it
/// again. Delivery is therefore at least once: each event keeps its id, so consumers dedupe.
final class Outbox: Sendable {
    /// Rows older than this are taken to be left behind by a node that stopped.
    static let orphanAfterMillis: Int64 = 5_000
    static let sweepInterval: Duration = .milliseconds(500)

    private let published = Mutex<[UUID]>([])

    func write(_ events: [RealtimeEvent], on db: any Database) async throws {
        guard !events.isEmpty else { return }
        let now = Date().millisSince1970
        var insert = (db as! any SQLDatabase).insert(into: "outbox")
            .columns("id", "workspace_id", "type", "conversation_id", "contact_id", "visible_to_contact", "payload", "visitor_payload", "created_ms")
        for event in events {
            insert = insert.values(SQLBind(Self.rowID(event)), SQLBind(event.workspaceID), SQLBind(event.type), SQLBind(event.conversationID),
                                   SQLBind(event.contactID), SQLBind(event.visibleToContact), SQLBind(event.payloadJSON),
                                   SQLBind(event.visitorPayloadJSON), SQLBind(now))
        }
        try await insert.run()
    }

    /// Marks rows as published; they are deleted together on the next sweep, one statement
    /// for all of them rather than one per message.
    func markPublished(_ events: [RealtimeEvent]) {
        guard !events.isEmpty else { return }
        published.withLock { $0.append(contentsOf: events.map(Self.rowID)) }
    }

    /// Deletes what was published, and publishes what a stopped node left behind.
    func sweep(persistence: Persistence, hub: any RealtimeHub, now: Int64 = Date().millisSince1970) async throws {
        let done = published.withLock { ids -> [UUID] in defer { ids.removeAll(keepingCapacity: true) }; return ids }
        let sql = persistence.sql
        do {
            for chunk in done.chunked(500) {
                try await sql.delete(from: "outbox").where("id", .in, Array(chunk)).run()
            }
        } catch {
            // Kept for the next sweep: a row that outlives its publication is only published twice.
            published.withLock { $0.append(contentsOf: done) }
            throw error
        }
        let orphans = try await sql.raw("""
            SELECT id, workspace_id, type, conversation_id, contact_id, visible_to_contact, payload, visitor_payload FROM outbox
            WHERE created_ms < \(bind: now - Self.orphanAfterMillis) ORDER BY created_ms, id LIMIT 500
            """).all()
        guard !orphans.isEmpty else { return }
        var ids: [UUID] = []
        for row in orphans {
            let id = try row.decode(column: "id", as: UUID.self)
            ids.append(id)
            var event = RealtimeEvent(id: id.uuidString, type: try row.decode(column: "type", as: String.self),
                                      workspaceID: try row.decode(column: "workspace_id", as: UUID.self),
                                      conversationID: try row.decode(column: "conversation_id", as: UUID?.self),
                                      contactID: try row.decode(column: "contact_id", as: UUID?.self),
                                      visibleToContact: try row.decode(column: "visible_to_contact", as: Bool.self),
                                      payloadJSON: try row.decode(column: "payload", as: String.self))
            event.visitorPayloadJSON = try row.decode(column: "visitor_payload", as: String?.self)
            await hub.publish(event)
        }
        try await sql.delete(from: "outbox").where("id", .in, ids).run()
    }

    static func rowID(_ event: RealtimeEvent) -> UUID { UUID(uuidString: event.id) ?? UUID() }
}

/// Sweeps the outbox until shutdown.
struct OutboxRelay: Service {
    let outbox: Outbox
    let persistence: Persistence
    let hub: any RealtimeHub
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await outbox.sweep(persistence: persistence, hub: hub)
                } catch {
                    logger.warning("outbox sweep failed; will try again", metadata: ["error.type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: Outbox.sweepInterval)
            }
        }
        // What was published before shutdown need not be published again after the restart.
        try? await outbox.sweep(persistence: persistence, hub: hub, now: 0)
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
