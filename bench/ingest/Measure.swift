import Dispatch
import Foundation

enum Clock {
    /// Monotonic nanoseconds (CLOCK_MONOTONIC on Linux): wall-clock steps cannot bend a latency.
    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// Nearest-rank percentiles over a sample, in milliseconds.
struct Distribution: Codable, Sendable {
    let count: Int
    let p50: Double
    let p90: Double
    let p99: Double
    let max: Double

    init(nanoseconds samples: [UInt64]) {
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        count = sorted.count
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = sorted.last.map { Double($0) / 1e6 } ?? .nan
    }
}

/// CPU time from /proc, so each level can say who was busy: the desk, the generator, or
/// the rest of the machine (PostgreSQL, or anything else that should not be running).
struct CPUSample: Sendable {
    let at: UInt64
    let serverSeconds: Double?
    let selfSeconds: Double
    let machineBusySeconds: Double?

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func take(serverPID: Int32?) -> CPUSample {
        CPUSample(at: Clock.now(), serverSeconds: serverPID.flatMap { processSeconds("/proc/\($0)/stat") },
                  selfSeconds: processSeconds("/proc/self/stat") ?? 0, machineBusySeconds: machineBusy())
    }

    /// utime + stime of a process, fields 14 and 15 of its stat line.
    private static func processSeconds(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which may itself hold spaces and parentheses, start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }

    private static func machineBusy() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal: all but idle and iowait are work.
        let busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
        return busy / ticksPerSecond
    }
}

/// CPU use between two samples, as percent of one core (the machine's whole is 100 x nproc).
struct CPUUse: Codable, Sendable {
    let server: Double?
    let generator: Double
    let rest: Double?

    init(from start: CPUSample, to end: CPUSample) {
        let wall = Double(end.at - start.at) / 1e9
        func percent(_ seconds: Double) -> Double { wall > 0 ? 100 * seconds / wall : 0 }
        let serverSeconds = start.serverSeconds.flatMap { a in end.serverSeconds.map { $0 - a } }
        let selfSeconds = end.selfSeconds - start.selfSeconds
        server = serverSeconds.map(percent)
        generator = percent(selfSeconds)
        rest = start.machineBusySeconds.flatMap { a in end.machineBusySeconds.map { b in
            percent(Swift.max(0, (b - a) - selfSeconds - (serverSeconds ?? 0)))
        } }
    }
}

enum ProcessMemory {
    /// Resident and peak resident set of a process in MiB (VmRSS, VmHWM).
    static func of(_ pid: Int32) -> (rss: Double, peak: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kib(_ key: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Double($0) }
        }
        guard let rss = kib("VmRSS:"), let peak = kib("VmHWM:") else { return nil }
        return (rss / 1024, peak / 1024)
    }
}
