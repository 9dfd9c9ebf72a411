// Writes a synthetic workspace's report tables as CSV, for bench/reports/run to load into
// a real desk's database: every conversation's history made up as moments (opened, the
// customer's messages, the bot, people's replies, resolutions, reopenings) and signals
// (ratings, answers, complaints, breaches, service-level outcomes judged by the real
// policy code), turned into facts and rollup cells by the same KefuCore code the desk's
// projector runs. Conversation, event and message rows themselves are not written: the
// reports read only the rollups, the resolutions and the customers' writing days.
//
//   kefu-bench-reports --conversations N --per-day R [--recent M --recent-per-day Q]
//                      --workspace ID --inboxes ID,ID,ID --agents ID,... --out DIR [--seed S]
//
// The last M conversations (default all) arrive at Q a day up to now, the older ones at R
// a day before them: the same recent months over a short or a long history.
import Foundation
import KefuCore

struct Options {
    var conversations = 10_000
    var perDay = 111.0
    var recent: Int?
    var recentPerDay: Double?
    var workspace = UUID()
    var inboxes: [UUID] = []
    var agents: [UUID] = []
    var out = "."
    var seed: UInt64 = 1

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--conversations": options.conversations = Int(value()) ?? 0
            case "--per-day": options.perDay = Double(value()) ?? 0
            case "--recent": options.recent = Int(value())
            case "--recent-per-day": options.recentPerDay = Double(value())
            case "--workspace": options.workspace = UUID(uuidString: value()) ?? { fail("--workspace needs an id") }()
            case "--inboxes": options.inboxes = value().split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            case "--agents": options.agents = value().split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            case "--out": options.out = value()
            case "--seed": options.seed = UInt64(value()) ?? 1
            default: fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
        guard options.conversations > 0, options.perDay > 0, !options.inboxes.isEmpty, !options.agents.isEmpty else {
            fail("usage: kefu-bench-reports --conversations N --per-day R --workspace ID --inboxes ID,… --agents ID,… --out DIR")
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kefu-bench-reports: \(message)\n".utf8))
    exit(2)
}

/// A small deterministic generator, so a run can be repeated exactly.
struct Dice {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11
    }
    mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
    mutating func roll(_ sides: Int) -> Int { Int(next() % UInt64(sides)) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    /// A duration spread over orders of magnitude: e^uniform(low, high) seconds.
    mutating func span(_ low: Double, _ high: Double) -> TimeInterval { exp(low + (high - low) * unit()) }
}

/// Buffered CSV output.
final class Table {
    let handle: FileHandle
    var buffer = ""
    init(_ path: String, header: String) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
        self.handle = handle
        write(header)
    }
    func write(_ line: String) {
        buffer += line
        buffer += "\n"
        if buffer.utf8.count > 1 << 20 { flush() }
    }
    func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }
    func close() { flush(); try? handle.close() }
}

func csvField(_ text: String) -> String { text.contains(where: { ",\"\n".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text }

let options = Options.parse(CommandLine.arguments)
var dice = Dice(state: options.seed)
let out = URL(fileURLWithPath: options.out)
try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
let rollups = Table(out.appendingPathComponent("rollups.csv").path, header: "workspace_id,hour,dim,metric,detail,bin,n,total,total_business")
let resolutions = Table(out.appendingPathComponent("resolutions.csv").path, header: "conversation_id,cycle,workspace_id,contact_id,resolved_ms,rating,first_response_s")
let visits = Table(out.appendingPathComponent("visits.csv").path, header: "conversation_id,contact_id,day,last_ms")
let contacts = Table(out.appendingPathComponent("contacts.csv").path, header: "id,workspace_id,wallet_addresses,tier,attributes,created_at,last_seen_ms")
let presence = Table(out.appendingPathComponent("presence.csv").path, header: "id,workspace_id,agent_id,availability,start_ms,end_ms")

let now = Date()
let recent = min(options.recent ?? options.conversations, options.conversations)
let recentSpacing = 86_400 / (options.recentPerDay ?? options.perDay), olderSpacing = 86_400 / options.perDay
let older = options.conversations - recent
let first = now.addingTimeInterval(-Double(recent) * recentSpacing - Double(older) * olderSpacing)
/// When the conversation at `index` begins, and how far apart its neighbours are.
func slot(_ index: Int) -> (start: Date, spacing: TimeInterval) {
    index < older ? (first.addingTimeInterval(Double(index) * olderSpacing), olderSpacing)
        : (first.addingTimeInterval(Double(older) * olderSpacing + Double(index - older) * recentSpacing), recentSpacing)
}
let workspace = options.workspace
let wsText = workspace.uuidString
let teams = (0..<4).map { _ in UUID() }
let categories = ["deposit", "withdrawal", "swap", "gas", "nft", "staking", "account", "security", "bridge", "other"]
let languages = ["en", "zh-Hans", "zh-Hant"]
let priorities: [Priority] = [.low, .normal, .normal, .normal, .high, .urgent]
let reasons = ["asked_for_human", "declined", "not_confident"]
let levels = ServiceLevels(targets: ServiceTargets(firstResponse: [.low: .init(seconds: 14_400, businessHours: false), .normal: .init(seconds: 3_600, businessHours: false),
                                                                  .high: .init(seconds: 900, businessHours: false), .urgent: .init(seconds: 300, businessHours: false)],
                                                   nextResponse: [.normal: .init(seconds: 7_200, businessHours: false), .high: .init(seconds: 1_800, businessHours: false)],
                                                   resolution: [.normal: .init(seconds: 172_800, businessHours: false)]),
                           schedule: .alwaysOpen)

var pending: [ReportCell: ReportAmount] = [:]
var written = 0
@MainActor func flush(before hour: Int64) {
    let done = pending.filter { $0.key.hour < hour }
    for (cell, amount) in done.sorted(by: { $0.key.hour < $1.key.hour }) {
        rollups.write("\(wsText),\(cell.hour),\(csvField(cell.dim)),\(cell.metric),\(csvField(cell.detail)),\(cell.bin),\(amount.n),\(amount.total),\(amount.totalBusiness)")
        pending.removeValue(forKey: cell)
    }
    written += done.count
}

var knownContacts: [UUID] = []
var events = 0
let started = Date()
for index in 0..<options.conversations {
    let (base, spacing) = slot(index)
    let start = base.addingTimeInterval(dice.unit() * spacing)
    let conversation = UUID()
    // Three in ten are customers who wrote before.
    let contact: UUID
    if !knownContacts.isEmpty && dice.chance(0.3) {
        contact = knownContacts[dice.roll(knownContacts.count)]
    } else {
        contact = UUID()
        knownContacts.append(contact)
        if knownContacts.count > 200_000 { knownContacts.removeFirst(100_000) }
        let seen = dice.chance(0.2) ? String((start.addingTimeInterval(dice.span(8, 15)).millisSince1970)) : ""
        contacts.write("\(contact.uuidString),\(wsText),[],\(dice.chance(0.05) ? "vip" : "standard"),{},\(start.timeIntervalSince1970),\(seen)")
    }
    let priority = priorities[dice.roll(priorities.count)]
    let dims = ReportDims(inbox: options.inboxes[dice.roll(options.inboxes.count)], channel: dice.roll(3) == 0 ? "api" : "widget",
                          team: dice.chance(0.8) ? teams[dice.roll(teams.count)] : nil, category: categories[dice.roll(categories.count)],
                          language: languages[dice.roll(languages.count)], priority: priority.rawValue, tier: "standard")
    var moments: [ConversationMoment] = [.opened(start), .customerWrote(start)]
    var service: [ServiceFact] = [.customerMessage(at: start)]
    var signals = ReportSignals()
    var clock = start
    let cycles = 1 + (dice.chance(0.1) ? 1 : 0)
    var cycle = 0
    while cycle < cycles {
        if cycle > 0 {
            clock = clock.addingTimeInterval(dice.span(8, 12.5))
            moments += [.reopened(clock), .customerWrote(clock)]
            service += [.status(.open, at: clock), .customerMessage(at: clock)]
        }
        let agent = options.agents[dice.roll(options.agents.count)]
        if cycle == 0 && dice.chance(0.3) {
            clock = clock.addingTimeInterval(3)
            moments.append(.botAnswered(clock))
            service.append(.botAnswered(at: clock))
            if dice.chance(0.5) {
                clock = clock.addingTimeInterval(dice.span(3, 6))
                moments.append(.resolved(clock, byBot: true))
                service.append(.status(.resolved, at: clock))
                signals.ratingRequests.append(clock)
                cycle += 1
                continue
            }
            clock = clock.addingTimeInterval(dice.span(3, 5))
            moments.append(.handedOver(clock, reason: reasons[dice.roll(reasons.count)]))
            service.append(.botHandoff(at: clock))
        }
        clock = clock.addingTimeInterval(dice.span(3, 9.5))
        moments.append(.personReplied(clock, agent: agent))
        service.append(.personReply(at: clock))
        for _ in 0..<dice.roll(3) {
            clock = clock.addingTimeInterval(dice.span(4, 8))
            moments.append(.customerWrote(clock))
            service.append(.customerMessage(at: clock))
            clock = clock.addingTimeInterval(dice.span(3, 8.5))
            moments.append(.personReplied(clock, agent: agent))
            service.append(.personReply(at: clock))
        }
        clock = clock.addingTimeInterval(dice.span(5, 10.5))
        moments.append(.resolved(clock, byBot: false))
        service.append(.status(.resolved, at: clock))
        signals.ratingRequests.append(clock)
        if dice.chance(0.4) {
            let score = [5, 5, 5, 4, 4, 3, 2, 1][dice.roll(8)]
            signals.ratings.append(.init(at: clock.addingTimeInterval(dice.span(3, 9)), score: score, agents: [agent]))
        }
        cycle += 1
    }
    if dice.chance(0.05) { signals.recommendations.append((clock.addingTimeInterval(600), dice.roll(11))) }
    if dice.chance(0.02) {
        signals.complaintSteps.append((.complaintOpened, start.addingTimeInterval(60)))
        if dice.chance(0.3) { signals.complaintSteps.append((.complaintEscalated, start.addingTimeInterval(3_600))) }
        signals.complaintSteps.append((.complaintResolved, clock))
    }
    let outcomes = levels.outcomes(service, priority: priority, now: .distantFuture)
    signals.serviceOutcomes = outcomes
    for missed in outcomes where !missed.met { signals.breaches.append((missed.at, missed.clock.rawValue)) }
    events += moments.count + signals.ratings.count + signals.ratingRequests.count + signals.breaches.count + signals.complaintSteps.count

    let facts = ReportFacts.of(moments, signals: signals, resolver: options.agents[dice.roll(options.agents.count)])
    for (cell, amount) in ReportCells.cells(facts, dims: dims) { pending[cell] = (pending[cell] ?? ReportAmount()) + amount }

    for (day, last) in RetentionFacts.visits(moments) { visits.write("\(conversation.uuidString),\(contact.uuidString),\(day),\(last.millisSince1970)") }
    for r in RetentionFacts.resolutions(moments, ratings: signals.ratings) {
        resolutions.write("\(conversation.uuidString),\(r.cycle),\(wsText),\(contact.uuidString),\(r.resolved.millisSince1970),\(r.rating.map(String.init) ?? ""),\(r.firstResponse.map { String($0) } ?? "")")
    }
    if index % 5_000 == 0 { flush(before: ReportCells.hour(start)) }
    if index % 100_000 == 0 && index > 0 {
        FileHandle.standardError.write(Data("\(index) conversations, \(written) rollup rows, \(Int(Date().timeIntervalSince(started))) s\n".utf8))
    }
}
flush(before: Int64.max)

// Every agent online eight hours a day over the last 90 days.
for agent in options.agents {
    for day in 0..<90 {
        let begin = now.addingTimeInterval(-Double(day + 1) * 86_400)
        presence.write("\(UUID().uuidString),\(wsText),\(agent.uuidString),online,\(begin.millisSince1970),\(begin.addingTimeInterval(8 * 3_600).millisSince1970)")
    }
}
for table in [rollups, resolutions, visits, contacts, presence] { table.close() }
print("{\"conversations\": \(options.conversations), \"events\": \(events), \"rollupRows\": \(written), \"contacts\": \(knownContacts.count), \"seconds\": \(String(format: "%.1f", Date().timeIntervalSince(started)))}")

extension Date {
    var millisSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
