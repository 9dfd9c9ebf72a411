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
    public var logLevel: Logger.Level = .info
    /// Run the background job worker in this process.
    public var runWorker: Bool = true
    /// bcrypt cost; lowered only by tests, where hashing time would dominate.
    public var bcryptCost: UInt8 = 12
    public var sessionLifetimeHours: Int = 24 * 14

    public init() {}

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
        config.publicURL = environment["KEFU_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
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
