import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresKit
import PostgresNIO
@testable import KefuServer

/// A fresh, empty database for one test: an SQLite file by default, or a new PostgreSQL
/// database when `KEFU_TEST_DATABASE_URL` points at a server.
struct TestDatabase: Sendable {
    let location: DatabaseLocation
    private let drop: @Sendable () async -> Void

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["KEFU_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func make() async throws -> TestDatabase {
        if let url = postgresURL {
            let name = "kefu_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try await PostgresAdmin(url: url).execute("CREATE DATABASE \(name)")
            var components = URLComponents(string: url)!
            components.path = "/" + name
            return TestDatabase(location: .postgres(url: components.string!)) {
                try? await PostgresAdmin(url: url).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return TestDatabase(location: .sqliteFile(path: directory.appendingPathComponent("kefu.sqlite").path)) {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    func remove() async { await drop() }
}

struct PostgresAdmin {
    let url: String

    func execute(_ sql: String) async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test.admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test.admin"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// One desk under test: its configuration and a way to create workspaces before it starts.
struct TestDesk: Sendable {
    let configuration: KefuConfiguration

    static let password = "correct horse battery"

    @discardableResult
    func workspace(_ name: String, owner: String) async throws -> WorkspaceSetup.Created {
        try await withPersistence { persistence in
            try await persistence.migrate()
            return try await WorkspaceSetup(persistence: persistence, bcryptCost: 4)
                .create(name: name, ownerEmail: owner, ownerPassword: Self.password)
        }
    }

    /// A connection to this desk's database beside the app's own, closed however `body` ends.
    func withPersistence<T>(_ body: (Persistence) async throws -> T) async throws -> T {
        let persistence = try Persistence(location: configuration.database, logger: Logger(label: "test.setup"), postgresConnectionsPerLoop: 1)
        do {
            let result = try await body(persistence)
            await persistence.shutdown()
            return result
        } catch {
            await persistence.shutdown()
            throw error
        }
    }

    func application() async throws -> some ApplicationProtocol { try await buildApplication(configuration) }
}

/// How many desks run at once. Swift Testing starts every test together; on 2 cores
/// hundreds of desks at once starved each other of CPU until a request outlived the test
/// client's 20-second timeout. Later desks wait for a slot instead (`KEFU_TEST_DESKS`).
actor DeskSlots {
    static let shared = DeskSlots(ProcessInfo.processInfo.environment["KEFU_TEST_DESKS"].flatMap(Int.init) ?? 24)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(1, count) }

    func take() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Runs `body` with a desk on a fresh database and removes the database afterwards.
func withDesk(_ body: (TestDesk) async throws -> Void) async throws {
    await DeskSlots.shared.take()
    do {
        try await withSlot(body)
    } catch {
        await DeskSlots.shared.give()
        throw error
    }
    await DeskSlots.shared.give()
}

private func withSlot(_ body: (TestDesk) async throws -> Void) async throws {
    let database = try await TestDatabase.make()
    var configuration = KefuConfiguration()
    configuration.database = database.location
    configuration.seedDemo = false
    configuration.bcryptCost = 4
    configuration.hostname = "127.0.0.1"
    configuration.port = 0
    configuration.logLevel = .error
    // Hundreds of desks run at once in the suite; each needs few database connections.
    configuration.jobWorkers = 1
    // Often enough that waiting on a clock or the queue stays short, seldom enough that
    // hundreds of desks polling do not load the shared database.
    configuration.serviceLevelTick = .seconds(1)
    configuration.reportTick = .milliseconds(500)
    // Hundreds of desks share one PostgreSQL server in the suite.
    configuration.postgresConnectionsPerLoop = 3
    do {
        try await body(TestDesk(configuration: configuration))
    } catch {
        await database.remove()
        throw error
    }
    await database.remove()
}

/// Builds the desk's application and runs a test against it, in-process (router) by default
/// or on a real socket (live) for WebSockets and webhooks.
func withApp(_ desk: TestDesk, _ setup: TestingSetup = .router, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let app = try await desk.application()
    try await app.test(setup) { client in try await test(client) }
}
