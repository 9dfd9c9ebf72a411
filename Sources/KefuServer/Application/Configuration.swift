import Foundation
import Logging

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Everything Kefu reads from its environment, in one place so the README's table and the
/// code cannot drift apart. Every variable is named `KEFU_*`.
public struct KefuConfiguration: Sendable {
    public var hostname: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "kefu-data"
    public var database: DatabaseLocation = .sqliteFile(path: "kefu-data/kefu.sqlite")
    public var adminEmail: String?
    public var adminPassword: String?
    /// Create the demo workspace on first start.
    public var seedDemo: Bool = true
    public var publicURL: String?
    /// An OpenAI-compatible embeddings endpoint for the answer bot (`KEFU_EMBEDDINGS_URL`,
    /// `KEFU_EMBEDDINGS_MODEL`, `KEFU_EMBEDDINGS_API_KEY`); off when unset.
    public var embeddings: ModelEndpoint?
    /// An OpenAI-compatible chat endpoint for generated answers (`KEFU_CHAT_URL`,
    /// `KEFU_CHAT_MODEL`, `KEFU_CHAT_API_KEY`, `KEFU_CHAT_TIMEOUT_MS`); off when unset.
    public var chat: ModelEndpoint?
    public var logLevel: Logger.Level = .info
    /// Run the background job worker in this process.
    public var runWorker: Bool = true
    /// Job workers on this node (`KEFU_JOB_WORKERS`) and how many of them one workspace may
    /// hold at once (`KEFU_JOB_WORKSPACE_CAP`).
    public var jobWorkers: Int = 4
    public var jobsPerWorkspace: Int = 2
    /// PostgreSQL connections per event loop (`KEFU_DATABASE_POOL`): a node opens at most
    /// this many times its cores, plus one for realtime.
    public var postgresConnectionsPerLoop: Int = 8
    /// `KEFU_SQLITE_SYNC=full`: SQLite syncs to disk at every commit, so a power loss loses
    /// nothing acknowledged; the default (`normal`) can lose the last moments' commits then.
    public var sqliteSyncEveryCommit: Bool = false
    /// bcrypt cost; lowered only by tests, where hashing time would dominate.
    public var bcryptCost: UInt8 = 12
    public var sessionLifetimeHours: Int = 24 * 14
    /// How often service-level clocks are checked for warnings and breaches, and the routing
    /// queues for conversations that agents now have room for.
    public var serviceLevelTick: Duration = .seconds(1)
    /// How often report rollups catch up with conversations.
    public var reportTick: Duration = .seconds(5)
    /// The time service levels are judged at: the system's, moved on by tests.
    public var clock = DeskClock()

    public init() {}

    /// Where customers reach this desk, for links the bot sends into chats embedded on other
    /// sites: `KEFU_PUBLIC_URL`, else the address the server listens on.
    var publicBaseURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let host = hostname.contains(":") ? "[\(hostname)]" : hostname
        return "http://\(host):\(port)"
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> KefuConfiguration {
        var config = KefuConfiguration()
        if let host = environment["KEFU_HOST"], !host.isEmpty { config.hostname = host }
        if let port = environment["KEFU_PORT"] {
            guard let value = Int(port), (1...65535).contains(value) else { throw ConfigurationError("KEFU_PORT must be a port number, got \(port)") }
            config.port = value
        }
        if let dir = environment["KEFU_DATA_DIR"], !dir.isEmpty { config.dataDirectory = dir }
        if let url = environment["KEFU_DATABASE_URL"], !url.isEmpty {
            config.database = try DatabaseLocation(parsing: url)
        } else {
            config.database = .sqliteFile(path: (config.dataDirectory as NSString).appendingPathComponent("kefu.sqlite"))
        }
        config.adminEmail = environment["KEFU_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 }
        config.adminPassword = environment["KEFU_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let demo = environment["KEFU_DEMO"] { config.seedDemo = try parseBool(demo, name: "KEFU_DEMO") }
        if let worker = environment["KEFU_WORKER"] { config.runWorker = try parseBool(worker, name: "KEFU_WORKER") }
        if let raw = environment["KEFU_SQLITE_SYNC"], !raw.isEmpty {
            switch raw.lowercased() {
            case "full": config.sqliteSyncEveryCommit = true
            case "normal": config.sqliteSyncEveryCommit = false
            default: throw ConfigurationError("KEFU_SQLITE_SYNC must be full or normal, got \(raw)")
            }
        }
        if let raw = environment["KEFU_JOB_WORKERS"], !raw.isEmpty {
            guard let value = Int(raw), (1...64).contains(value) else { throw ConfigurationError("KEFU_JOB_WORKERS must be a number from 1 to 64, got \(raw)") }
            config.jobWorkers = value
        }
        if let raw = environment["KEFU_JOB_WORKSPACE_CAP"], !raw.isEmpty {
            guard let value = Int(raw), (1...64).contains(value) else { throw ConfigurationError("KEFU_JOB_WORKSPACE_CAP must be a number from 1 to 64, got \(raw)") }
            config.jobsPerWorkspace = value
        }
        if let raw = environment["KEFU_REPORT_INTERVAL"], !raw.isEmpty {
            guard let value = Int(raw), (1...3_600).contains(value) else { throw ConfigurationError("KEFU_REPORT_INTERVAL must be a number of seconds from 1 to 3600, got \(raw)") }
            config.reportTick = .seconds(value)
        }
        if let raw = environment["KEFU_DATABASE_POOL"], !raw.isEmpty {
            guard let value = Int(raw), (1...64).contains(value) else { throw ConfigurationError("KEFU_DATABASE_POOL must be a number from 1 to 64, got \(raw)") }
            config.postgresConnectionsPerLoop = value
        }
        config.publicURL = environment["KEFU_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = environment["KEFU_EMBEDDINGS_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError("KEFU_EMBEDDINGS_URL must be an http(s) URL such as http://127.0.0.1:8090")
            }
            config.embeddings = ModelEndpoint(baseURL: url, model: environment["KEFU_EMBEDDINGS_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "multilingual-e5-small",
                                              apiKey: environment["KEFU_EMBEDDINGS_API_KEY"].flatMap { $0.isEmpty ? nil : $0 })
        }
        if let url = environment["KEFU_CHAT_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ConfigurationError("KEFU_CHAT_URL must be an http(s) URL such as http://127.0.0.1:8091")
            }
            var timeout: Int64 = 8_000
            if let raw = environment["KEFU_CHAT_TIMEOUT_MS"], !raw.isEmpty {
                guard let value = Int64(raw), (100...120_000).contains(value) else { throw ConfigurationError("KEFU_CHAT_TIMEOUT_MS must be between 100 and 120000") }
                timeout = value
            }
            config.chat = ModelEndpoint(baseURL: url, model: environment["KEFU_CHAT_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                                        apiKey: environment["KEFU_CHAT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }, timeoutMillis: timeout)
        }
        if let level = environment["KEFU_LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("KEFU_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = parsed
        }
        if let cost = environment["KEFU_BCRYPT_COST"] {
            guard let value = UInt8(cost), (4...31).contains(value) else { throw ConfigurationError("KEFU_BCRYPT_COST must be between 4 and 31") }
            config.bcryptCost = value
        }
        return config
    }

    private static func parseBool(_ value: String, name: String) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(name) must be true or false, got \(value)")
        }
    }
}

/// Keeps credentials out of anything printed or logged.
enum Redact {
    static func url(_ value: String) -> String {
        guard var components = URLComponents(string: value) else { return "<unparseable url>" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "<url>"
    }
}
