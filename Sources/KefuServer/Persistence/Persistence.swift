import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// Where Kefu keeps its data: an SQLite file (the embedded default) or PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// Accepts `postgres://…` / `postgresql://…`, `sqlite://PATH`, `sqlite::memory:` or a plain file path.
    public init(parsing value: String) throws(ConfigurationError) {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value == "sqlite::memory:" || value == ":memory:" {
            self = .sqliteMemory
        } else if value.hasPrefix("sqlite://") {
            let path = String(value.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigurationError("KEFU_DATABASE_URL: sqlite:// needs a file path") }
            self = .sqliteFile(path: path)
        } else if value.contains("://") {
            throw ConfigurationError("KEFU_DATABASE_URL: unsupported scheme in \(Redact.url(value)); use postgres:// or sqlite://")
        } else {
            self = .sqliteFile(path: value)
        }
    }
}

/// Owns the database connections, runs migrations and hands out `Database` handles.
public struct Persistence: Sendable {
    public let databases: Databases
    public let location: DatabaseLocation
    private let eventLoopGroup: any EventLoopGroup
    /// SQLite allows one writer at a time; a single pooled connection on one event loop
    /// serialises work without SQLITE_BUSY retries and keeps transactions cheap.
    private let sqliteLoop: any EventLoop
    private let logger: Logger
    /// Handles made once at start: one per event loop on PostgreSQL, the single one on
    /// SQLite. Made up front so that a late caller during shutdown gets a pool error
    /// rather than no database at all.
    private let handles: [any Database]
    /// Connections for reads outside any transaction: on an SQLite file, apart from the one
    /// that writes, so a read never queues behind a transaction; elsewhere the same handles.
    private let readers: [any Database]
    private let sqliteExecutor: EventLoopExecutor

    /// SQLite syncs its log to disk at every commit (FULL) rather than at checkpoints
    /// (NORMAL): a power loss then loses no acknowledged message either, at an fsync a commit.
    let sqliteSyncEveryCommit: Bool

    public init(location: DatabaseLocation, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                sqliteSyncEveryCommit: Bool = false, postgresConnectionsPerLoop: Int = 8) throws {
        self.sqliteSyncEveryCommit = sqliteSyncEveryCommit
        self.location = location
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.sqliteLoop = eventLoopGroup.next()
        self.sqliteExecutor = EventLoopExecutor(sqliteLoop)
        self.databases = Databases(threadPool: NIOThreadPool.singleton, on: eventLoopGroup)
        switch location {
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, maxConnectionsPerEventLoop: 1), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: postgresConnectionsPerLoop), as: .psql)
        }
        let loops: [any EventLoop] = location.isPostgres ? Array(eventLoopGroup.makeIterator()) : [sqliteLoop]
        var handles: [any Database] = []
        for loop in loops {
            guard let handle = databases.database(logger: logger, on: loop) else {
                throw ConfigurationError("the database could not be opened")
            }
            handles.append(handle)
        }
        self.handles = handles
        // In WAL mode readers on their own connections never wait for the writer, nor it
        // for them; an in-memory database is private to its one connection.
        if case .sqliteFile(let path) = location {
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqliteReader, isDefault: false)
            var readers: [any Database] = []
            for loop in eventLoopGroup.makeIterator() {
                guard let reader = databases.database(.sqliteReader, logger: logger, on: loop) else {
                    throw ConfigurationError("the database could not be opened")
                }
                readers.append(reader)
            }
            self.readers = readers
        } else {
            self.readers = handles
        }
    }

    /// An executor on the loop where SQLite's connection answers; on PostgreSQL, whose
    /// connections live on every loop, on one of them.
    func writerExecutor() -> EventLoopExecutor { location.isPostgres ? EventLoopExecutor(eventLoopGroup.any()) : sqliteExecutor }

    /// A transaction. On SQLite its body runs on the connection's own event loop: Fluent
    /// would start it as a task in Swift's shared pool, where each statement's answer then
    /// waits behind every request in flight while the one connection is held for it.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !location.isPostgres else { return try await db.transaction(body) }
        let executor = sqliteExecutor
        return try await db.transaction { db in
            let promise = db.eventLoop.makePromise(of: T.self)
            Task(executorPreference: executor) {
                do { promise.succeed(try await body(db)) } catch { promise.fail(error) }
            }
            return promise.futureResult
        }.get()
    }

    public var db: any Database {
        handles.count == 1 ? handles[0] : handles[Int.random(in: 0..<handles.count)]
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// For reads only, outside transactions. What it returns was committed before the read
    /// began, so a read after one's own commit sees that commit.
    public var reader: any Database {
        readers.count == 1 ? readers[0] : readers[Int.random(in: 0..<readers.count)]
    }

    /// Runs every pending migration; safe to call on each start.
    public func migrate() async throws {
        if !location.isPostgres {
            let synchronous = sqliteSyncEveryCommit ? "FULL" : "NORMAL"
            for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=\(synchronous)", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON"] {
                try await sql.raw(SQLQueryString(pragma)).run()
            }
        }
        let migrations = Migrations()
        for migration in KefuMigrations.all { migrations.add(migration) }
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger,
                                on: location.isPostgres ? eventLoopGroup.any() : sqliteLoop)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func isReachable() async -> Bool {
        do {
            try await sql.raw("SELECT 1").run()
            return true
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
    }
}

extension DatabaseID {
    static let sqliteReader = DatabaseID(string: "sqlite-reader")
}
