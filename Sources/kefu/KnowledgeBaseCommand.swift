import ArgumentParser
import Foundation
import KefuServer
import Logging

struct KnowledgeBaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb", abstract: "Import and export help-center articles as Markdown files with front matter.",
        subcommands: [Import.self, Export.self])

    struct Options: ParsableArguments {
        @Option(help: "The workspace's slug (the part after /help/); may be left out when there is only one workspace.")
        var workspace: String?
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update articles from a folder of .md files, matched by locale and slug; all or nothing.")

        @Argument(help: "The folder of .md files.") var directory: String
        @OptionGroup var options: Options

        func run() async throws {
            let report = try await withTransfer { transfer in
                let workspaceID = try await transfer.workspaceID(slug: options.workspace)
                return try await transfer.importDirectory(URL(fileURLWithPath: directory), workspaceID: workspaceID)
            }
            guard report.invalid.isEmpty else {
                var message = "Nothing was imported: \(report.invalid.count) file(s) need fixing.\n"
                for file in report.invalid { message += "  \(file)\n" }
                FileHandle.standardError.write(Data(message.utf8))
                throw ExitCode(1)
            }
            print("Imported: \(report).")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every article of the workspace to a folder, one .md file each.")

        @Argument(help: "The folder to write to; created when missing.") var directory: String
        @OptionGroup var options: Options

        func run() async throws {
            let count = try await withTransfer { transfer in
                let workspaceID = try await transfer.workspaceID(slug: options.workspace)
                return try await transfer.exportDirectory(URL(fileURLWithPath: directory), workspaceID: workspaceID)
            }
            print("Exported \(count) article(s) to \(directory).")
        }
    }
}

/// Opens the database `kefu serve` would use, migrated, for the length of `body`.
private func withTransfer<T: Sendable>(_ body: (KnowledgeBaseTransfer) async throws -> T) async throws -> T {
    let configuration = try KefuConfiguration.fromEnvironment()
    let persistence = try Persistence(location: configuration.database, logger: Logger(label: "kefu.kb"))
    do {
        try await persistence.migrate()
        let result = try await body(KnowledgeBaseTransfer(persistence: persistence))
        await persistence.shutdown()
        return result
    } catch let error as ConfigurationError {
        await persistence.shutdown()
        throw ValidationError(error.description)
    } catch {
        await persistence.shutdown()
        throw error
    }
}
