import ArgumentParser
import Foundation
import KefuServer
import Logging

@main
struct Kefu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kefu",
        abstract: "Kefu (客服): a self-hosted support desk for crypto wallets, exchanges and token projects.",
        discussion: "Configuration comes from KEFU_* environment variables; see the README.",
        subcommands: [Serve.self, Migrate.self, WorkspaceCommand.self, TriageCommand.self, ShieldCommand.self, ChainCommand.self, KnowledgeBaseCommand.self, ScheduleCommand.self, ReportsCommand.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database if needed and serve the desk (the default).")

    @Option(help: "Address to listen on (default: KEFU_HOST or 127.0.0.1).") var hostname: String?
    @Option(help: "Port to listen on (default: KEFU_PORT or 8080).") var port: Int?

    func run() async throws {
        var configuration = try KefuConfiguration.fromEnvironment()
        if let hostname { configuration.hostname = hostname }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
            configuration.port = port
        }
        let app = try await buildApplication(configuration)
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run pending database migrations and exit.")

    func run() async throws {
        let configuration = try KefuConfiguration.fromEnvironment()
        let persistence = try Persistence(location: configuration.database, logger: Logger(label: "kefu.migrate"))
        do {
            try await persistence.migrate()
        } catch {
            await persistence.shutdown()
            throw error
        }
        await persistence.shutdown()
        print("Migrations are up to date.")
    }
}

struct WorkspaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workspace", abstract: "Manage workspaces (one per support team).",
                                                    subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace with its owner, a widget inbox and an API inbox.")

        @Option(help: "The workspace's name, as the team and its customers see it.") var name: String
        @Option(name: .customLong("owner-email"), help: "The owner's sign-in email.") var ownerEmail: String
        @Option(name: .customLong("owner-password"), help: "The owner's password (8 to 200 characters).") var ownerPassword: String

        func run() async throws {
            let configuration = try KefuConfiguration.fromEnvironment()
            let persistence = try Persistence(location: configuration.database, logger: Logger(label: "kefu.workspace"))
            do {
                try await persistence.migrate()
                let created = try await WorkspaceSetup(persistence: persistence, bcryptCost: configuration.bcryptCost)
                    .create(name: name, ownerEmail: ownerEmail, ownerPassword: ownerPassword)
                await persistence.shutdown()
                print("Created workspace \(created.workspaceID.uuidString) with owner \(ownerEmail.lowercased()).")
                if let token = created.widgetPublicToken { print("Widget inbox token: \(token)") }
            } catch let error as ConfigurationError {
                await persistence.shutdown()
                throw ValidationError(error.description)
            } catch {
                await persistence.shutdown()
                throw error
            }
        }
    }
}
