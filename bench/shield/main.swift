import Foundation
import KefuShield

/// `kefu-bench-shield` reads JSON lines `{"text": "..."}` and writes one
/// `{"text": "<redacted>", "findings": [...]}` line per input line, in order.
/// `kefu-bench-shield --throughput [seconds]` instead scans the texts over and over
/// and reports how many megabytes of UTF-8 a second one core gets through.
struct Input: Decodable {
    var text: String
}

let arguments = CommandLine.arguments.dropFirst()
let shield = Shield()
let decoder = JSONDecoder()
let encoder = JSONEncoder()
encoder.outputFormatting = [.withoutEscapingSlashes]

func readTexts() -> [String?] {
    var texts: [String?] = []
    while let line = readLine(strippingNewline: true) {
        if line.isEmpty { continue }
        texts.append(try? decoder.decode(Input.self, from: Data(line.utf8)).text)
    }
    return texts
}

if arguments.first == "--throughput" {
    let minimumSeconds = arguments.dropFirst().first.flatMap(Double.init) ?? 5
    let texts = readTexts().compactMap { $0 }
    let bytesPerPass = texts.reduce(0) { $0 + $1.utf8.count }
    var passes = 0
    var secretCount = 0
    let clock = ContinuousClock()
    let started = clock.now
    var elapsed = Duration.zero
    // The fastest pass is what one core does when the machine's other work leaves it alone.
    var fastestPass = Duration.seconds(Int64.max)
    repeat {
        let passStarted = clock.now
        for text in texts where shield.scan(text).containsSecret { secretCount += 1 }
        fastestPass = min(fastestPass, clock.now - passStarted)
        passes += 1
        elapsed = clock.now - started
    } while elapsed < .seconds(minimumSeconds)
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    let megabytes = Double(bytesPerPass * passes) / 1_000_000
    let report: [String: Any] = [
        "texts": texts.count, "bytesPerPass": bytesPerPass, "passes": passes, "seconds": seconds(elapsed),
        "megabytesPerSecond": megabytes / seconds(elapsed),
        "bestPassMegabytesPerSecond": Double(bytesPerPass) / 1_000_000 / seconds(fastestPass),
        "textsWithSecretPerPass": secretCount / passes,
    ]
    let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} else {
    while let line = readLine(strippingNewline: true) {
        if line.isEmpty { continue }
        let output: Data
        if let input = try? decoder.decode(Input.self, from: Data(line.utf8)) {
            output = try encoder.encode(shield.scan(input.text))
        } else {
            output = Data(#"{"error": "expected a JSON object with a string field text"}"#.utf8)
        }
        FileHandle.standardOutput.write(output)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
