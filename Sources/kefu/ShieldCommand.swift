import ArgumentParser
import Foundation
import KefuShield

/// The crypto shield from the command line, for checking text before it goes anywhere.
struct ShieldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shield",
        abstract: "Find and redact recovery phrases and private keys; recognise addresses, transaction hashes and links.",
        subcommands: [Scan.self]
    )

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read JSON lines {\"text\": \"…\"} on stdin; write one {\"text\": redacted, \"findings\": […]} line per input line, in order.",
            discussion: "Finding offsets count Unicode scalars of the input text (end exclusive). Values are given for addresses, hashes and links, never for secrets."
        )

        struct Input: Decodable { let text: String }

        func run() throws {
            let shield = Shield()
            let decoder = JSONDecoder()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            var lineNumber = 0
            var failed = false
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                let output: Data
                if let input = try? decoder.decode(Input.self, from: Data(line.utf8)) {
                    output = try encoder.encode(shield.scan(input.text))
                } else {
                    // One answer per input line keeps the output aligned with the input.
                    failed = true
                    output = Data(#"{"error": "line \#(lineNumber): expected a JSON object with a string field text / 第 \#(lineNumber) 行：应为带有字符串字段 text 的 JSON 对象"}"#.utf8)
                }
                FileHandle.standardOutput.write(output + Data("\n".utf8))
            }
            if failed { throw ExitCode(2) }
        }
    }
}
