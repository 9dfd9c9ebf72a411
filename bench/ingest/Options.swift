import Foundation

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How much each concurrency level sends: a fixed count, or as many as fit in a time window.
enum Budget: Sendable {
    case messages(Int)
    case seconds(Double)
}

/// What each request of a level does: a widget message from a returning customer, or a new
/// customer's first message through the API inbox (the work of a ticket creation).
enum Mode: String, Sendable, Codable {
    case messages
    case openings

    /// What the rate counts, in the report and the target's verdict.
    var unit: String {
        switch self {
        case .messages: "messages"
        case .openings: "openings"
        }
    }
}

struct Target: Sendable, Codable {
    let rate: Double
    let p99Millis: Double
    let concurrency: Int
}

struct Options: Sendable {
    var mode = Mode.messages
    var url = "http://127.0.0.1:8080"
    var email = ProcessInfo.processInfo.environment["KEFU_BENCH_EMAIL"] ?? ""
    var password = ProcessInfo.processInfo.environment["KEFU_BENCH_PASSWORD"] ?? ""
    var concurrency = [1, 16, 64]
    var budget = Budget.messages(10_000)
    var warmup = 1_000
    var perConversation = 8
    var visitors: Int?
    var agentAvailability = "online"
    /// nil leaves the workspace's answer bot as it is.
    var answerBot: Bool?
    var deliveryTimeout = 10.0
    var requestTimeout = 30.0
    var readyTimeout = 30.0
    var serverPID: Int32?
    var jsonPath: String?
    var markdownPath: String?
    var label = "desk"
    var target: Target?

    static let usage = """
        Usage: kefu-bench-ingest --email E --password P [options]

        Sends widget messages to a running desk as fast as it answers, at each concurrency
        level in turn, and checks that every message reaches a connected agent socket.
        With --mode openings, opens conversations through the workspace's API inbox
        instead, each one for a customer the desk has not seen.

          --mode messages|openings   messages (default): widget messages, K per conversation;
                                     openings: POST /api/v1/inboxes/{id}/messages with a new
                                     contact each time, so every request opens a conversation
                                     (no realtime delivery check; the agent socket stays open)
          --url URL                  the desk, loopback only (default http://127.0.0.1:8080)
          --email E, --password P    an agent of the workspace (or KEFU_BENCH_EMAIL / KEFU_BENCH_PASSWORD)
          --concurrency LIST         comma-separated worker counts (default 1,16,64)
          --messages N               messages (openings) per level (default 10000)
          --seconds S                instead of --messages: send for S seconds per level
          --warmup N                 unrecorded messages (openings) before each level (default 1000)
          --per-conversation K       messages mode: messages each visitor sends before the next visitor
                                     takes over, so 1 in K messages opens a conversation (default 8)
          --visitors N               messages mode: widget sessions to create up front (default: enough for the run)
          --agent-availability A     online (default: new conversations are routed) or offline
          --answer-bot on|off        turn the workspace's answer bot on or off first (default: as it is;
                                     a new desk's bot answers from its demo help center)
          --delivery-timeout S       messages mode: how long to wait for socket events after a level (default 10)
          --request-timeout S        per request (default 30)
          --ready-timeout S          how long to wait for GET /ready (default 30)
          --server-pid PID           the server process, to report its CPU time and memory
          --label NAME               names the run in the output (default desk)
          --target RATE,P99MS,CONC   judge the level CONC against RATE messages (openings) per second
                                     and p99 < P99MS
          --json PATH                write the results as JSON
          --markdown PATH            write the results as a Markdown table
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible>(_ flag: String, _: T.Type) throws -> T {
            let text = try value(flag)
            guard let parsed = T(text) else { throw BenchError("\(flag): not a number: \(text)") }
            return parsed
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--mode":
                let text = try value(flag)
                guard let mode = Mode(rawValue: text) else { throw BenchError("--mode takes messages or openings, not \(text)") }
                options.mode = mode
            case "--url": options.url = try value(flag)
            case "--email": options.email = try value(flag)
            case "--password": options.password = try value(flag)
            case "--concurrency":
                let list = try value(flag).split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !list.isEmpty, list.allSatisfy({ ($0 ?? 0) > 0 }) else { throw BenchError("--concurrency takes positive whole numbers, e.g. 1,16,64") }
                options.concurrency = list.map { $0! }
            case "--messages": options.budget = .messages(try number(flag, Int.self))
            case "--seconds": options.budget = .seconds(try number(flag, Double.self))
            case "--warmup": options.warmup = try number(flag, Int.self)
            case "--per-conversation": options.perConversation = try number(flag, Int.self)
            case "--visitors": options.visitors = try number(flag, Int.self)
            case "--agent-availability": options.agentAvailability = try value(flag)
            case "--answer-bot":
                switch try value(flag) {
                case "on": options.answerBot = true
                case "off": options.answerBot = false
                default: throw BenchError("--answer-bot takes on or off")
                }
            case "--delivery-timeout": options.deliveryTimeout = try number(flag, Double.self)
            case "--request-timeout": options.requestTimeout = try number(flag, Double.self)
            case "--ready-timeout": options.readyTimeout = try number(flag, Double.self)
            case "--server-pid": options.serverPID = try number(flag, Int32.self)
            case "--label": options.label = try value(flag)
            case "--json": options.jsonPath = try value(flag)
            case "--markdown": options.markdownPath = try value(flag)
            case "--target":
                let parts = try value(flag).split(separator: ",").map(String.init)
                guard parts.count == 3, let rate = Double(parts[0]), let p99 = Double(parts[1]), let level = Int(parts[2]) else {
                    throw BenchError("--target takes RATE,P99MS,CONCURRENCY, e.g. 2000,50,64")
                }
                options.target = Target(rate: rate, p99Millis: p99, concurrency: level)
            case "-h", "--help":
                print(usage)
                exit(0)
            default:
                throw BenchError("unknown option \(flag)\n\n\(usage)")
            }
        }
        try options.validate()
        return options
    }

    private func validate() throws {
        guard !email.isEmpty, !password.isEmpty else { throw BenchError("--email and --password are required") }
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw BenchError("--url must be http://HOST:PORT")
        }
        // The generator floods whatever it is pointed at; only a desk on this machine may be its target.
        guard ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw BenchError("--url must point at loopback (127.0.0.1, localhost or ::1), not \(host)")
        }
        switch budget {
        case .messages(let count): guard count > 0 else { throw BenchError("--messages must be positive") }
        case .seconds(let seconds): guard seconds > 0, seconds <= 3600 else { throw BenchError("--seconds must be between 0 and 3600") }
        }
        guard warmup >= 0 else { throw BenchError("--warmup cannot be negative") }
        guard perConversation > 0 else { throw BenchError("--per-conversation must be positive") }
        guard ["online", "offline", "away"].contains(agentAvailability) else {
            throw BenchError("--agent-availability is online, away or offline")
        }
        guard concurrency.allSatisfy({ $0 <= 1_024 }) else { throw BenchError("--concurrency above 1024 is not supported") }
    }

    var baseURL: String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// The agent socket lives on the same origin as the API.
    var socketURL: String { "ws" + baseURL.dropFirst("http".count) + "/api/v1/realtime" }

    /// Fresh visitors needed so that each one sends exactly K messages in count mode; a
    /// timed run recycles visitors once these run out, continuing their conversations.
    var visitorsNeeded: Int {
        if let visitors { return max(visitors, 1) }
        let maxLevel = concurrency.max() ?? 1
        switch budget {
        case .messages(let count):
            let total = concurrency.count * (count + warmup)
            return (total + perConversation - 1) / perConversation + maxLevel * concurrency.count
        case .seconds:
            return max(2_000, 4 * maxLevel)
        }
    }
}
