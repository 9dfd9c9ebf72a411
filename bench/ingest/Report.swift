import Foundation

struct LevelResult: Codable, Sendable {
    let concurrency: Int
    let messages: Int
    let errors: Int
    let seconds: Double
    let messagesPerSecond: Double
    let latencyMillis: Distribution
    let openingLatencyMillis: Distribution
    let followUpLatencyMillis: Distribution
    let conversationsOpened: Int
    /// nil where requests are not matched to socket events (openings mode).
    let delivered: Int?
    let deliveryLagMillis: Distribution?
    let cpuPercent: CPUUse
    let serverRSSMiB: Double?
    let errorSamples: [String]

    var allDelivered: Bool { delivered.map { $0 == messages } ?? true }
}

struct Verdict: Codable, Sendable {
    let target: Target
    let met: Bool
    let line: String

    init?(target: Target?, levels: [LevelResult], mode: Mode) {
        guard let target else { return nil }
        self.target = target
        let unit = mode.unit
        let goal = "at least \(Int(target.rate)) \(unit)/s with p99 under \(Report.number(target.p99Millis)) ms at concurrency \(target.concurrency)"
        guard let level = levels.first(where: { $0.concurrency == target.concurrency }) else {
            met = false
            line = "Target (\(goal)): not measured, no level at that concurrency."
            return
        }
        met = level.messagesPerSecond >= target.rate && level.latencyMillis.p99 < target.p99Millis && level.errors == 0 && level.allDelivered
        var shortfalls: [String] = []
        if level.messagesPerSecond < target.rate { shortfalls.append("\(Int(level.messagesPerSecond)) \(unit)/s") }
        if !(level.latencyMillis.p99 < target.p99Millis) { shortfalls.append("p99 \(Report.number(level.latencyMillis.p99)) ms") }
        if level.errors > 0 { shortfalls.append("\(level.errors) failed requests") }
        if !level.allDelivered { shortfalls.append("\(level.messages - (level.delivered ?? 0)) messages not delivered to the agent socket") }
        line = met
            ? "Target (\(goal)): **met**, \(Int(level.messagesPerSecond)) \(unit)/s, p99 \(Report.number(level.latencyMillis.p99)) ms."
            : "Target (\(goal)): **missed**: \(shortfalls.joined(separator: ", "))."
    }
}

struct Report: Codable, Sendable {
    let mode: Mode
    let label: String
    let startedAt: Date
    let perConversation: Int
    let warmupPerLevel: Int
    let agentAvailability: String
    let levels: [LevelResult]
    let eventsByType: [String: Int]
    let unreadableEvents: Int
    let serverPeakRSSMiB: Double?
    let verdict: Verdict?

    var passedChecks: Bool { levels.allSatisfy { $0.errors == 0 && $0.allDelivered } && unreadableEvents == 0 }

    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        if value >= 100 { return String(Int(value.rounded())) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    private static func percent(_ value: Double?) -> String { value.map { "\(Int($0.rounded()))%" } ?? "n/a" }

    static let messageHeader = ["concurrency", "messages", "errors", "msg/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "new conv.",
                                "realtime delivered", "lag p50 ms", "lag p99 ms", "server CPU", "generator CPU", "rest CPU", "server RSS MiB"]

    static func messageRow(_ level: LevelResult) -> [String] {
        let delivered = level.delivered.map { "\($0)/\(level.messages)" } ?? "n/a"
        return [String(level.concurrency), String(level.messages), String(level.errors), String(Int(level.messagesPerSecond.rounded())),
                number(level.latencyMillis.p50), number(level.latencyMillis.p90), number(level.latencyMillis.p99), number(level.latencyMillis.max),
                String(level.conversationsOpened), delivered,
                number(level.deliveryLagMillis?.p50), number(level.deliveryLagMillis?.p99),
                percent(level.cpuPercent.server), percent(level.cpuPercent.generator), percent(level.cpuPercent.rest),
                level.serverRSSMiB.map { String(Int($0.rounded())) } ?? "n/a"]
    }

    /// Every request opens a conversation, so the split by kind and the conversation count
    /// would only repeat the first columns, and nothing is matched to socket events.
    static let openingHeader = ["concurrency", "openings", "errors", "openings/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
                                "server CPU", "generator CPU", "rest CPU"]

    static func openingRow(_ level: LevelResult) -> [String] {
        [String(level.concurrency), String(level.messages), String(level.errors), String(Int(level.messagesPerSecond.rounded())),
         number(level.latencyMillis.p50), number(level.latencyMillis.p90), number(level.latencyMillis.p99), number(level.latencyMillis.max),
         percent(level.cpuPercent.server), percent(level.cpuPercent.generator), percent(level.cpuPercent.rest)]
    }

    static func header(_ mode: Mode) -> [String] {
        switch mode {
        case .messages: messageHeader
        case .openings: openingHeader
        }
    }

    static func row(_ level: LevelResult, _ mode: Mode) -> [String] {
        switch mode {
        case .messages: messageRow(level)
        case .openings: openingRow(level)
        }
    }

    static let splitHeader = ["concurrency", "opening p50 ms", "opening p99 ms", "follow-up p50 ms", "follow-up p99 ms"]

    static func splitRow(_ level: LevelResult) -> [String] {
        [String(level.concurrency), number(level.openingLatencyMillis.p50), number(level.openingLatencyMillis.p99),
         number(level.followUpLatencyMillis.p50), number(level.followUpLatencyMillis.p99)]
    }

    private static func aligned(_ header: [String], _ rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        var lines = all.map { row in
            row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: lines[0].count), at: 1)
        return lines
    }

    private static func markdownTable(_ header: [String], _ rows: [[String]]) -> [String] {
        ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---:" }.joined(separator: "|") + "|"]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }
    }

    /// In openings mode the socket stays open so the desk does its realtime work as with a
    /// console tab open, but nothing checks that each request's events arrived.
    private var eventsCaveat: String { mode == .openings ? " (not matched to requests)" : "" }

    var text: String {
        var lines = Self.aligned(Self.header(mode), levels.map { Self.row($0, mode) })
        lines.append("")
        if mode == .messages {
            lines += Self.aligned(Self.splitHeader, levels.map(Self.splitRow))
            lines.append("")
        }
        lines.append("events on the agent socket\(eventsCaveat): "
                     + eventsByType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                     + (unreadableEvents > 0 ? ", unreadable \(unreadableEvents)" : ""))
        if let serverPeakRSSMiB { lines.append("server peak RSS: \(Int(serverPeakRSSMiB.rounded())) MiB") }
        for level in levels where !level.errorSamples.isEmpty {
            lines.append("errors at concurrency \(level.concurrency), first: " + level.errorSamples.joined(separator: " | "))
        }
        if let verdict { lines.append(verdict.line.replacingOccurrences(of: "**", with: "")) }
        return lines.joined(separator: "\n")
    }

    var markdown: String {
        var lines: [String] = []
        if mode == .openings {
            lines.append("Each request is `POST /api/v1/inboxes/{id}/messages` for a customer the desk has not seen (a new `externalId`), "
                         + "so it creates the contact, opens a conversation and routes it; **openings/s** is answered requests over "
                         + "the time from the first send to the last answer.")
            lines.append("")
        }
        lines += Self.markdownTable(Self.header(mode), levels.map { Self.row($0, mode) })
        lines.append("")
        if mode == .messages {
            lines.append("Latency by kind of message: a conversation's first message (opening) and the ones after it (follow-up).")
            lines.append("")
            lines += Self.markdownTable(Self.splitHeader, levels.map(Self.splitRow))
            lines.append("")
        }
        var notes = ["Events on the agent socket\(eventsCaveat): "
                     + eventsByType.sorted { $0.key < $1.key }.map { "`\($0.key)` \($0.value)" }.joined(separator: ", ")
                     + (unreadableEvents > 0 ? ", unreadable \(unreadableEvents)" : "") + "."]
        if let serverPeakRSSMiB { notes.append("Server peak RSS (VmHWM) over the whole run: \(Int(serverPeakRSSMiB.rounded())) MiB.") }
        for level in levels where !level.errorSamples.isEmpty {
            notes.append("Errors at concurrency \(level.concurrency), first: `" + level.errorSamples.joined(separator: "` | `") + "`.")
        }
        if let verdict { notes.append(verdict.line) }
        lines += notes.flatMap { [$0, ""] }
        return lines.joined(separator: "\n")
    }
}
