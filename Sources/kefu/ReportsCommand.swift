import ArgumentParser
import Foundation
import KefuServer

/// Report rollups are kept up to date by the desk itself; this rebuilds them from the
/// conversations' history, after a restore or a change to how a metric is defined.
struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reports", abstract: "Maintain the report rollups.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Throw the rollups away and compute them again from every conversation's events and messages.")

        func run() async throws {
            let configuration = try KefuConfiguration.fromEnvironment()
            let started = Date()
            let done = try await ReportMaintenance.rebuild(configuration) { count in
                if count % 10_000 == 0 { FileHandle.standardError.write(Data("\(count) conversations read\n".utf8)) }
            }
            print("Rebuilt the report rollups from \(done) conversations in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
        }
    }
}
