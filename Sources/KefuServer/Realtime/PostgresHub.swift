import FluentKit
import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// Several Kefu nodes on one PostgreSQL database: each node delivers to its own sockets and
/// tells the others through NOTIFY; each listens and delivers what the others announce.
public final class PostgresHub: RealtimeHub, Service {
    private struct Notice: Codable {
        let origin: String
        let event: RealtimeEvent?
        /// Set instead of `event` when the event is larger than NOTIFY's 8000-byte payload limit.
        let spill: UUID?
    }

    static let channel = "kefu_realtime"
    static let notifyLimit = 7_500

    private let fanout = LocalFanout()
    private let nodeID = UUID().uuidString
    private let persistence: Persistence
    private let connectionConfiguration: PostgresConnection.Configuration
    private let logger: Logger

    public init(persistence: Persistence, url: String, logger: Logger) throws {
        self.persistence = persistence
        self.logger = logger
        guard let configuration = try? SQLPostgresConfiguration(url: url) else {
            throw ConfigurationError("KEFU_DATABASE_URL is not a PostgreSQL URL Kefu can read")
        }
        self.connectionConfiguration = configuration.coreConfiguration
    }

    public func subscribe(_ audience: RealtimeAudience) -> RealtimeSubscription { fanout.subscribe(audience) }

    public func publish(_ event: RealtimeEvent) async {
        fanout.deliver(event)
        do {
            var notice = Notice(origin: nodeID, event: event, spill: nil)
            var text = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
            if text.utf8.count > Self.notifyLimit {
                let spill = RealtimeSpillRow(payload: RealtimeEvent.encode(event))
                try await spill.create(on: persistence.db)
                notice = Notice(origin: nodeID, event: nil, spill: spill.id)
                text = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
            }
            try await persistence.sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: text))").run()
        } catch {
            logger.warning("realtime notify failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }

    /// Listens until shutdown, reconnecting with backoff when the database goes away.
    public func run() async throws {
        var delay: Duration = .milliseconds(200)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
                delay = .milliseconds(200)
                // Closed on every way out: a connection dropped unclosed is a leak (and an
                // assertion in debug builds).
                do {
                    try await cancelWhenGracefulShutdown {
                        try await connection.listen(on: Self.channel) { notifications in
                            for try await notification in notifications {
                                await self.receive(notification.payload)
                            }
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("realtime listener lost its connection; retrying", metadata: ["error.type": "\(type(of: error))"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }

    private func receive(_ payload: String) async {
        guard let notice = try? JSONDecoder().decode(Notice.self, from: Data(payload.utf8)), notice.origin != nodeID else { return }
        if let event = notice.event {
            fanout.deliver(event)
        } else if let spillID = notice.spill,
                  let row = try? await RealtimeSpillRow.find(spillID, on: persistence.db),
                  let event = try? JSONDecoder().decode(RealtimeEvent.self, from: Data(row.payload.utf8)) {
            fanout.deliver(event)
        }
    }
}
