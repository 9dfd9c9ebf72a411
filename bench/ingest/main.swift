import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The ingest benchmark: widget messages per second into a running desk, their latency as
/// the customer's browser sees it, and whether each one reached an agent's socket; or, in
/// openings mode, conversations opened per second through the API inbox and their latency.
enum IngestBench {
    static func main() async -> Int32 {
        let options: Options
        do {
            options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("kefu-bench-ingest: \(error)\n".utf8))
            return 2
        }
        var configuration = HTTPClient.Configuration()
        // One connection per worker, like one browser per customer; the pool must not queue them.
        configuration.connectionPool = .init(idleTimeout: .seconds(120),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: (options.concurrency.max() ?? 1) + 16)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(options.requestTimeout)))
        let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let socket = AgentSocket()
        let status: Int32
        do {
            status = try await run(options, http: http, socket: socket)
        } catch {
            FileHandle.standardError.write(Data("kefu-bench-ingest: \(error)\n".utf8))
            status = 1
        }
        await socket.close()
        try? await http.shutdown()
        return status
    }

    private static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func run(_ options: Options, http: HTTPClient, socket: AgentSocket) async throws -> Int32 {
        let startedAt = Date()
        let timeout = TimeAmount.nanoseconds(Int64(options.requestTimeout * 1e9))
        let desk = DeskClient(http: http, base: options.baseURL, timeout: timeout)
        try await desk.waitUntilReady(seconds: options.readyTimeout)

        let login = try await desk.login(email: options.email, password: options.password)
        // Looked up before anything on the desk changes, so a desk without that inbox is left as it was.
        let inbox: String
        switch options.mode {
        case .messages: inbox = try await desk.widgetInboxToken(agentToken: login.token)
        case .openings: inbox = try await desk.apiInboxID(agentToken: login.token)
        }
        // An online agent makes every new conversation go through routing, as on a staffed desk.
        try await desk.setAvailability(options.agentAvailability, agentID: login.agent.id, agentToken: login.token)
        if let enabled = options.answerBot { try await desk.setAnswerBot(enabled: enabled, agentToken: login.token) }
        try await socket.open(url: options.socketURL, token: login.token, timeoutSeconds: 10)

        let load: any Workload
        switch options.mode {
        case .messages:
            say("agent socket open; creating \(options.visitorsNeeded) widget sessions")
            let visitors = try await startSessions(desk, inboxToken: inbox, options: options)
            load = MessageLoad(http: http, messagesURL: options.baseURL + "/widget/v1/messages", timeout: timeout,
                               pool: VisitorPool(visitors), perConversation: options.perConversation)
        case .openings:
            say("agent socket open; opening conversations through API inbox \(inbox)")
            load = OpeningLoad(http: http, messagesURL: options.baseURL + "/api/v1/inboxes/\(inbox)/messages",
                               authorization: "Bearer \(login.token)", timeout: timeout)
        }

        let columns = Report.header(options.mode)
        var levels: [LevelResult] = []
        var sequenceBase = 0
        for concurrency in options.concurrency {
            if options.warmup > 0 {
                let warm = await load.run(concurrency: concurrency, budget: PhaseBudget(messages: options.warmup), sequenceBase: sequenceBase)
                sequenceBase += 1_000_000_000
                if warm.errors > 0 { say("warm-up at concurrency \(concurrency): \(warm.errors) errors, first: \(warm.logs.flatMap(\.errorSamples).first ?? "")") }
            }
            let budget: PhaseBudget
            switch options.budget {
            case .messages(let count): budget = PhaseBudget(messages: count)
            case .seconds(let seconds): budget = PhaseBudget(seconds: seconds)
            }
            let before = CPUSample.take(serverPID: options.serverPID)
            let outcome = await load.run(concurrency: concurrency, budget: budget, sequenceBase: sequenceBase)
            let after = CPUSample.take(serverPID: options.serverPID)
            sequenceBase += 1_000_000_000
            let level = await judge(outcome, concurrency: concurrency, cpu: CPUUse(from: before, to: after), options: options, socket: socket)
            levels.append(level)
            say(Report.row(level, options.mode).enumerated().map { "\(columns[$0.offset]) \($0.element)" }.joined(separator: ", "))
            if let failed = socket.failed { throw BenchError("the agent socket failed during the run: \(failed)") }
        }

        // Each conversation opened through the API inbox holds the one message that opened it.
        let perConversation = options.mode == .openings ? 1 : options.perConversation
        let report = Report(mode: options.mode, label: options.label, startedAt: startedAt, perConversation: perConversation,
                            warmupPerLevel: options.warmup,
                            agentAvailability: options.agentAvailability, levels: levels, eventsByType: socket.log.countsByType,
                            unreadableEvents: socket.log.unreadable,
                            serverPeakRSSMiB: options.serverPID.flatMap { ProcessMemory.of($0)?.peak },
                            verdict: Verdict(target: options.target, levels: levels, mode: options.mode))
        switch options.mode {
        case .messages:
            print("\nKefu ingest, \(options.label): \(options.perConversation) messages per conversation, warm-up \(options.warmup) per level\n")
        case .openings:
            print("\nKefu ingest, \(options.label): conversations opened through the API inbox, a new customer each, warm-up \(options.warmup) per level\n")
        }
        print(report.text)
        if let path = options.jsonPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        }
        if let path = options.markdownPath { try report.markdown.write(toFile: path, atomically: true, encoding: .utf8) }
        // Distinct from a crash: the run finished, but some message failed or never reached the agent.
        return report.passedChecks ? 0 : 3
    }

    /// Enough widget sessions for the whole run, created before any level so that none of
    /// their cost lands in a measurement.
    private static func startSessions(_ desk: DeskClient, inboxToken: String, options: Options) async throws -> [Visitor] {
        let visitorCount = options.visitorsNeeded
        guard visitorCount >= 2 * (options.concurrency.max() ?? 1) else {
            throw BenchError("--visitors must be at least twice the highest concurrency")
        }
        let sessionsStarted = Clock.now()
        let visitors = try await withThrowingTaskGroup(of: [Visitor].self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    var mine: [Visitor] = []
                    for _ in stride(from: lane, to: visitorCount, by: lanes) { mine.append(try await desk.startSession(inboxToken: inboxToken)) }
                    return mine
                }
            }
            var all: [Visitor] = []
            for try await batch in group { all += batch }
            return all
        }
        say("\(visitors.count) sessions in \(Report.number(Double(Clock.now() - sessionsStarted) / 1e9)) s")
        return visitors
    }

    /// Latency and throughput of a phase, then whether its messages reached the agent socket.
    private static func judge(_ outcome: PhaseOutcome, concurrency: Int, cpu: CPUUse, options: Options, socket: AgentSocket) async -> LevelResult {
        let delivery = await deliveries(outcome, options: options, socket: socket)
        let seconds = outcome.seconds
        return LevelResult(
            concurrency: concurrency, messages: outcome.succeeded, errors: outcome.errors, seconds: seconds,
            messagesPerSecond: seconds > 0 ? Double(outcome.succeeded) / seconds : 0,
            latencyMillis: Distribution(nanoseconds: outcome.logs.flatMap(\.latencies)),
            openingLatencyMillis: Distribution(nanoseconds: outcome.logs.flatMap(\.openingLatencies)),
            followUpLatencyMillis: Distribution(nanoseconds: outcome.logs.flatMap(\.followUpLatencies)),
            conversationsOpened: outcome.logs.reduce(0) { $0 + $1.conversationsOpened },
            delivered: delivery?.count, deliveryLagMillis: delivery?.lag, cpuPercent: cpu,
            serverRSSMiB: options.serverPID.flatMap { ProcessMemory.of($0)?.rss },
            errorSamples: Array(outcome.logs.flatMap(\.errorSamples).prefix(3)))
    }

    /// How many of the phase's messages reached the agent socket, and how long after their
    /// send; nil in openings mode, which does not match requests to events.
    private static func deliveries(_ outcome: PhaseOutcome, options: Options, socket: AgentSocket) async -> (count: Int, lag: Distribution)? {
        guard options.mode == .messages else { return nil }
        let ids = outcome.logs.flatMap(\.messageIDs)
        let sentAt = outcome.logs.flatMap(\.sentAt)
        let waitUntil = Clock.now() + UInt64(options.deliveryTimeout * 1e9)
        while socket.log.countMissing(ids) > 0, Clock.now() < waitUntil, socket.failed == nil {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let arrivals = socket.log.arrivals(of: ids)
        var lags: [UInt64] = []
        lags.reserveCapacity(ids.count)
        for (arrival, sent) in zip(arrivals, sentAt) {
            if let arrival { lags.append(arrival > sent ? arrival - sent : 0) }
        }
        return (count: lags.count, lag: Distribution(nanoseconds: lags))
    }
}

exit(await IngestBench.main())
