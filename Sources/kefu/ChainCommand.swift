import ArgumentParser
import Foundation
import KefuChain

/// Transaction lookups from the command line, against the same nodes the desk uses.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Look transactions up on a blockchain node (EVM JSON-RPC, Bitcoin-Core-style RPC, TRON HTTP API).",
        subcommands: [Tx.self]
    )

    struct Tx: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one JSON line {chain, hash, state, confirmations, blockNumber, checkedAt} for a transaction hash.",
            discussion: """
                state is pending, confirmed, failed or not_found. Credentials for Bitcoin-Core-style nodes go in the URL \
                (http://user:password@127.0.0.1:8332); the node needs -txindex=1 to find confirmed transactions. \
                Exit status: 0 answered, 2 bad hash or URL, 3 the node could not answer.
                """
        )

        @Option(help: "evm, bitcoin or tron.") var chain: String
        @Option(help: "The node's URL: JSON-RPC for evm and bitcoin, the HTTP API base for tron.") var rpc: String
        @Option(help: "Seconds to wait for the node (0.1 to 120).") var timeout: Double = 5
        @Argument(help: "The transaction hash (0x + 64 hex for evm; 64 hex for bitcoin and tron).") var hash: String

        func validate() throws {
            guard ChainKind(rawValue: chain) != nil else {
                throw ValidationError("--chain must be one of " + ChainKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard (0.1...120).contains(timeout) else { throw ValidationError("--timeout must be between 0.1 and 120 seconds") }
        }

        func run() async throws {
            let kind = ChainKind(rawValue: chain)!
            do {
                let client = try ChainClients.make(kind, rpcURL: rpc, timeout: .milliseconds(Int64(timeout * 1000)))
                let status = try await client.transaction(hash)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(status) + Data("\n".utf8))
            } catch let error as ChainLookupError {
                FileHandle.standardError.write(Data("kefu chain tx: \(error.description)\n".utf8))
                switch error {
                case .invalidHash, .invalidEndpoint: throw ExitCode(2)
                default: throw ExitCode(3)
                }
            }
        }
    }
}
