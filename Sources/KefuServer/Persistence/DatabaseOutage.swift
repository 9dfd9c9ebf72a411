import FluentKit
import FluentSQLiteDriver
import NIOCore
import NIOPosix
import PostgresNIO

/// Whether an error means the database cannot be reached right now (PostgreSQL restarting,
/// the network to it gone, its pool exhausted) rather than that the request was wrong.
/// Such a request is answered 503 with Retry-After: the client sends it again, and an
/// idempotent one (a widget message with its clientMessageId) is stored once either way.
enum DatabaseOutage {
    static let retryAfterSeconds = 2

    /// SQLSTATE classes and codes PostgreSQL answers while it cannot serve: connection
    /// exceptions, shutting down, starting up, out of connections.
    static let serverStates: Set<String> = ["57P01", "57P02", "57P03", "53300", "53400"]

    static func matches(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            switch psql.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
                return true
            case .server:
                guard let state = psql.serverInfo?[.sqlState] else { return false }
                return state.hasPrefix("08") || serverStates.contains(state)
            default:
                return false
            }
        }
        if let sqlite = error as? SQLiteError { return isBusy(sqlite) }
        if let database = error as? any DatabaseError, database.isConnectionClosed { return true }
        if error is ChannelError || error is IOError || error is NIOConnectionError { return true }
        // The connection pool's own errors (timed out waiting for a connection, shut down)
        // come from a package the desk does not import; their type names are stable.
        return String(reflecting: type(of: error)).contains("ConnectionPool")
    }

    /// Another process (a `kefu` command, a second server on the same file) held SQLite's
    /// write lock for longer than the busy timeout, or took it between a read and a write.
    /// Runs `body` again when another process on the same SQLite file wrote between its
    /// transaction's read and its write (the desk beside `kefu reports rebuild`, say).
    static func redoneWhenBusy<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        for attempt in 1..<8 {
            do {
                return try await body()
            } catch let busy as SQLiteError where isBusy(busy) {
                try? await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
        return try await body()
    }

    static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .locked, .busyInRecovery, .busyInSnapshot, .busyTimeout, .lockedBySharedCache, .lockedVirtualTable: true
        default: false
        }
    }
}
