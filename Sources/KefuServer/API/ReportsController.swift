import FluentKit
import Foundation
import Hummingbird
import KefuCore

/// Reports: the headline figures of a range beside the range before it, and a series cut
/// by hour, day, week or month in the workspace's time zone, for the workspace or one slice.
/// Agents see their own figures; owners and admins anyone's.
struct ReportsController {
    let services: KefuServices

    struct Overview: ResponseCodable, Sendable {
        let from: Date
        let to: Date
        let groupBy: String
        let timeZone: String
        let slice: String
        let totals: ReportSummary
        let previous: ReportSummary
        let series: [ReportReader.Point]
        /// Now, whatever the range: for the whole workspace only.
        let openComplaints: ReportReader.OpenComplaints?
    }

    static let slices = ["inboxId": "inbox", "teamId": "team", "agentId": "agent", "category": "category", "channel": "channel",
                         "language": "language", "priority": "priority", "tier": "tier"]
    static let maxDays = 400.0

    /// Tables a spreadsheet opens: one row per period, the figures as the JSON names them.
    enum ReportTable {
        static func agents(_ items: [AgentFigures]) -> String {
            func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
            func text(_ value: String) -> String { value.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value }
            var lines = ["agent_id,name,online_s,replies,first_responses,first_response_median_s,resolved,resolution_median_s,first_contact_resolution,rated,csat"]
            for item in items {
                let s = item.totals
                lines.append([item.agentId.uuidString, text(item.name), String(format: "%.0f", item.onlineSeconds), String(s.replies), String(s.firstResponse.count), number(s.firstResponse.median),
                              String(s.resolved), number(s.resolution.median), number(s.firstContactResolutionRate), String(s.rated), number(s.csat)].joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }

        static func overview(_ points: [ReportReader.Point], timeZone: TimeZone) -> String {
            let columns = ["period", "opened", "reopened", "resolved", "replies", "first_response_mean_s", "resolution_mean_s", "rated", "csat",
                           "recommendations", "nps", "bot_engaged", "deflected", "complaints_opened", "sla_breaches"]
            var formatter = Date.ISO8601FormatStyle(timeZone: timeZone)
            formatter = formatter.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted)
            func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
            var lines = [columns.joined(separator: ",")]
            for point in points {
                let s = point.summary
                let cells: [String] = [point.start.formatted(formatter), String(s.opened), String(s.reopened), String(s.resolved), String(s.replies),
                                       number(s.firstResponse.mean), number(s.resolution.mean), String(s.rated), number(s.csat),
                                       String(s.recommendations), s.nps.map(String.init) ?? "", String(s.botEngaged), String(s.deflected),
                                       String(s.complaintsOpened), String(s.slaBreaches.values.reduce(0, +))]
                lines.append(cells.joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }
    }

    struct AgentFigures: ResponseCodable, Sendable {
        let agentId: UUID
        let name: String
        let totals: ReportSummary
        /// Time online in the range, from their availability changes.
        let onlineSeconds: Double
    }
    struct Agents: ResponseCodable, Sendable {
        let from: Date
        let to: Date
        let items: [AgentFigures]
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("overview", use: overview)
        group.get("agents", use: agents)
    }

    /// Each agent's replies, responses, resolutions and credited ratings for the range,
    /// busiest first; an agent gets their own line only.
    @Sendable func agents(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        let query = try await Self.query(request, agent: agent, services: services)
        guard query.slice == "all" || query.slice.hasPrefix("agent:") else {
            throw Problem.badRequest("The agents report is for the whole workspace; use agentId for one agent.")
        }
        var figures = try await ReportReader(persistence: services.persistence).agents(query)
        let online = try await Presence.online(workspaceID: agent.workspaceID, from: query.from, to: query.to, now: Date(), on: services.persistence.reader)
        // Someone online who did nothing yet has a line too: the time is part of the picture.
        for id in online.keys where figures[id] == nil { figures[id] = ReportSummary() }
        if query.slice.hasPrefix("agent:") { figures = figures.filter { ReportDims.agent($0.key) == query.slice } }
        let staff = try await AgentRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID).all()
        let names = Dictionary(staff.compactMap { row in row.id.map { ($0, row.name) } }, uniquingKeysWith: { first, _ in first })
        let items = figures.filter { names[$0.key] != nil }
            .map { AgentFigures(agentId: $0.key, name: names[$0.key] ?? "", totals: $0.value, onlineSeconds: online[$0.key] ?? 0) }
            .sorted { ($0.totals.replies, $0.name) > ($1.totals.replies, $1.name) }
        if Self.wantsCSV(request) {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"kefu-agents.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: ReportTable.agents(items))))
        }
        return try Agents(from: query.from, to: query.to, items: items).response(from: request, context: context)
    }

    /// JSON, or with `format=csv` (or `Accept: text/csv`) the series as a table.
    @Sendable func overview(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        let query = try await Self.query(request, agent: agent, services: services)
        let reader = ReportReader(persistence: services.persistence)
        async let totals = reader.totals(query)
        async let previous = reader.totals(query.previous)
        async let series = reader.series(query)
        let open = query.slice == "all" ? try await reader.openComplaints(workspaceID: query.workspaceID, now: services.configuration.clock.now()) : nil
        let overview = Overview(from: query.from, to: query.to, groupBy: query.period.rawValue, timeZone: query.timeZone.identifier, slice: query.slice,
                                totals: try await totals, previous: try await previous, series: try await series, openComplaints: open)
        if Self.wantsCSV(request) {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"kefu-overview.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: ReportTable.overview(overview.series, timeZone: query.timeZone))))
        }
        return try overview.response(from: request, context: context)
    }

    static func wantsCSV(_ request: Request) -> Bool {
        request.uri.formParameters["format"] == "csv" || (request.headers[.accept]?.contains("text/csv") ?? false)
    }

    /// The range (default: the last 7 days), the period (day), and at most one slice.
    static func query(_ request: Request, agent: AgentPrincipal, services: KefuServices) async throws -> ReportQuery {
        let params = request.uri.formParameters
        let now = services.configuration.clock.now()
        func date(_ name: String) throws -> Date? {
            guard let raw = params[Substring(name)].map(String.init) else { return nil }
            if let date = ISO8601Timestamp.parse(raw) { return date }
            if let day = try? Date(raw + "T00:00:00Z", strategy: .iso8601) { return day }
            throw Problem.badRequest("\(name) must be a date (2026-01-31) or an ISO-8601 time (2026-01-31T12:00:00Z).")
        }
        let to = try date("to") ?? now
        let from = try date("from") ?? to.addingTimeInterval(-7 * 86_400)
        guard from < to else { throw Problem.badRequest("from must be before to.") }
        guard to.timeIntervalSince(from) <= maxDays * 86_400 else { throw Problem.badRequest("A report covers at most \(Int(maxDays)) days.") }
        var period = ReportPeriod.day
        if let raw = params["groupBy"].map(String.init) {
            guard let chosen = ReportPeriod(rawValue: raw) else { throw Problem.badRequest("groupBy must be one of hour, day, week, month.") }
            period = chosen
        }
        if period == .hour && to.timeIntervalSince(from) > 31 * 86_400 { throw Problem.badRequest("groupBy=hour covers at most 31 days.") }
        let given = slices.compactMap { name, dim in params[Substring(name)].map { (name, dim, String($0)) } }
        guard given.count <= 1 else { throw Problem.badRequest("Choose one slice at a time: \(given.map { $0.0 }.sorted().joined(separator: ", ")).") }
        var slice = "all"
        if let (name, dim, raw) = given.first {
            if ["inbox", "team", "agent"].contains(dim) {
                guard let id = UUID(uuidString: raw) else { throw Problem.badRequest("\(name) must be an id.") }
                slice = "\(dim):\(id.uuidString.lowercased())"
            } else {
                slice = "\(dim):\(raw)"
            }
        }
        if !agent.role.canAdminister {
            // An agent's reports are their own.
            let mine = ReportDims.agent(agent.agentID)
            guard slice == "all" || slice == mine else { throw Problem.forbidden("Agents see their own figures; owners and admins see everyone's.") }
            slice = mine
        }
        let rules = try await ServiceLevelRules.load(workspaceID: agent.workspaceID, persistence: services.persistence)
        let timeZone = rules.schedules.first { $0.record.isDefault }?.schedule.timeZone ?? TimeZone(identifier: "UTC")!
        return ReportQuery(workspaceID: agent.workspaceID, from: from, to: to, period: period, slice: slice, timeZone: timeZone)
    }
}
