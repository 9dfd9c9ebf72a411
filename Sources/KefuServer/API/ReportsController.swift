import FluentKit
import Foundation
import Hummingbird
import KefuCore

/// Reports: the headline figures of a range beside the range before it, and a series cut
/// by hour, day, week or month in the workspace's time zone, for the workspace or one slice.
/// Agents see their own figures; owners and admins anyone's.
struct ReportsController {
    let services: KefuServices

    static let slices = ["inboxId": "inbox", "teamId": "team", "agentId": "agent", "category": "category", "channel": "channel",
                         "language": "language", "priority": "priority", "tier": "tier"]
    static let maxDays = 400.0

    /// Tables a spreadsheet opens: one row per period, the figures as the JSON names them.
    enum ReportTable {
        /// A field quoted when it holds a comma, a quote or a line break (RFC 4180).
        static func text(_ value: String) -> String {
            value.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }

        static func agents(_ items: [AgentFigures]) -> String {
            var lines = ["agent_id,name,online_s,utilisation,replies,first_responses,first_response_median_s,resolved,resolution_median_s,first_contact_resolution,rated,csat"]
            for item in items {
                let s = item.totals
                lines.append([item.agentId.uuidString, text(item.name), String(format: "%.0f", item.onlineSeconds), number(item.utilisation), String(s.replies), String(s.firstResponse.count), number(s.firstResponse.median),
                              String(s.resolved), number(s.resolution.median), number(s.firstContactResolutionRate), String(s.rated), number(s.csat)].joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }

        typealias Column = (name: String, cell: (ReportSummary) -> String)
        static func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }

        static func count(_ name: String, _ read: @escaping @Sendable (ReportSummary) -> Int64) -> Column { (name, { String(read($0)) }) }
        static func figure(_ name: String, _ read: @escaping @Sendable (ReportSummary) -> Double?) -> Column { (name, { number(read($0)) }) }

        static func columns(_ area: Area) -> [Column] {
            switch area {
            case .overview:
                return [count("opened", \.opened), count("reopened", \.reopened), count("resolved", \.resolved), count("replies", \.replies),
                        figure("first_response_mean_s", \.firstResponse.mean), figure("resolution_mean_s", \.resolution.mean), count("rated", \.rated),
                        figure("csat", \.csat), count("recommendations", \.recommendations), ("nps", { $0.nps.map(String.init) ?? "" }),
                        count("bot_engaged", \.botEngaged), count("deflected", \.deflected), count("complaints_opened", \.complaintsOpened),
                        count("sla_breaches") { $0.slaBreaches.values.reduce(0, +) }]
            case .conversations:
                return [count("opened", \.opened), count("reopened", \.reopened), count("resolved", \.resolved),
                        figure("resolution_rate", \.resolutionRate), figure("reopen_rate", \.reopenRate),
                        figure("first_contact_resolution", \.firstContactResolutionRate), count("replies", \.replies),
                        figure("first_response_mean_s", \.firstResponse.mean), figure("next_response_mean_s", \.nextResponse.mean),
                        figure("resolution_mean_s", \.resolution.mean), count("bot_engaged", \.botEngaged), count("deflected", \.deflected)]
            case .sla:
                var columns: [Column] = []
                for clock in ServiceClock.allCases.map(\.rawValue) {
                    columns.append(count("\(clock)_met") { $0.serviceLevels[clock]?.met ?? 0 })
                    columns.append(count("\(clock)_missed") { $0.serviceLevels[clock]?.missed ?? 0 })
                    columns.append(figure("\(clock)_share_met") { $0.serviceLevels[clock]?.share })
                    columns.append(count("\(clock)_breaches") { $0.slaBreaches[clock] ?? 0 })
                }
                return columns
            case .csat:
                var columns: [Column] = [count("rated", \.rated), figure("csat", \.csat), count("surveys_asked", \.ratingRequests), figure("response_rate", \.ratingResponseRate)]
                for score in 1...5 { columns.append(count("rating_\(score)") { $0.ratingCounts[String(score)] ?? 0 }) }
                columns.append(count("recommendations", \.recommendations))
                columns.append(("nps", { $0.nps.map(String.init) ?? "" }))
                return columns
            case .bot:
                var columns: [Column] = [count("bot_engaged", \.botEngaged), count("bot_answers", \.botAnswers), count("bot_resolved", \.botResolved),
                                         count("deflected", \.deflected), figure("deflection_rate", \.deflectionRate), count("handed_over", \.handedOver)]
                for reason in AnswerBot.HandoffReason.allCases.map(\.rawValue) { columns.append(count("handoff_\(reason)") { $0.handoffs[reason] ?? 0 }) }
                columns.append(figure("confirmed_precision", \.confirmedPrecision))
                return columns
            case .complaints:
                return [count("opened", \.complaintsOpened), count("escalated", \.complaintsEscalated), count("resolved", \.complaintsResolved),
                        count("followed_up", \.complaintsFollowedUp)]
            }
        }

        static func series(_ points: [ReportReader.Point], columns: [Column], timeZone: TimeZone) -> String {
            var formatter = Date.ISO8601FormatStyle(timeZone: timeZone)
            formatter = formatter.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted)
            var lines = [(["period"] + columns.map(\.name)).joined(separator: ",")]
            for point in points { lines.append(([point.start.formatted(formatter)] + columns.map { $0.cell(point.summary) }).joined(separator: ",")) }
            return lines.joined(separator: "\r\n") + "\r\n"
        }

        static func slices(_ items: [SliceFigures]) -> String {
            var lines = ["dim,key,opened,reopened,resolved,resolution_rate,first_response_median_s,first_contact_resolution,csat,deflected"]
            for item in items {
                lines.append([item.dim, text(item.key), String(item.opened), String(item.reopened), String(item.resolved), number(item.resolutionRate),
                              number(item.firstResponseMedian), number(item.firstContactResolutionRate), number(item.csat), String(item.deflected)].joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }

        /// The value figures as one figure per row, so a spreadsheet reads them with their names.
        static func value(_ report: ValueReport) -> String {
            let v = report.value, p = report.previous
            var lines = ["figure,value,previous,currency"]
            func line(_ name: String, _ value: Double?, _ previous: Double?, money: Bool = false) {
                lines.append([name, number(value), number(previous), money ? report.prices.currency : ""].joined(separator: ","))
            }
            line("agent_hours", v.agentHours, p.agentHours)
            line("human_resolutions", Double(v.humanResolutions), Double(p.humanResolutions))
            line("agent_cost", v.agentCost, p.agentCost, money: true)
            line("cost_per_resolution", v.costPerResolution, p.costPerResolution, money: true)
            line("deflected", Double(v.deflected), Double(p.deflected))
            line("bot_answers", Double(v.botAnswers), Double(p.botAnswers))
            line("bot_cost", v.botCost, p.botCost, money: true)
            line("bot_savings", v.botSavings, p.botSavings, money: true)
            line("hours_saved", v.hoursSaved, p.hoursSaved)
            for window in RetentionReader.windows.map(String.init) {
                line("retention_\(window)d", report.retention.overall[window]?.share, nil)
                for band in RatingBand.allCases { line("retention_\(window)d_rating_\(band.rawValue)", report.retention.byRating[band.rawValue]?[window]?.share, nil) }
                for band in FirstResponseBand.allCases { line("retention_\(window)d_first_response_\(band.rawValue)", report.retention.byFirstResponse[band.rawValue]?[window]?.share, nil) }
            }
            line("value_kept", report.valueKept, nil, money: true)
            line("value_of_good_service", report.valueOfGoodService, nil, money: true)
            return lines.joined(separator: "\r\n") + "\r\n"
        }
    }

    struct AgentFigures: ResponseCodable, Sendable {
        let agentId: UUID
        let name: String
        let totals: ReportSummary
        /// Time online in the range, from their availability changes.
        let onlineSeconds: Double
        /// Assigned conversations ÷ capacity, over the five-minute samples taken while online.
        let utilisation: Double?
    }
    struct Agents: ResponseCodable, Sendable {
        let from: Date
        let to: Date
        let items: [AgentFigures]
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("overview") { try await section(.overview, $0, $1) }
        group.get("agents", use: agents)
        group.get("conversations") { try await section(.conversations, $0, $1) }
        group.get("sla") { try await section(.sla, $0, $1) }
        group.get("csat") { try await section(.csat, $0, $1) }
        group.get("complaints") { try await section(.complaints, $0, $1) }
        group.get("bot") { try await section(.bot, $0, $1) }
        group.get("value", use: value)
    }

    /// The prices the value report is computed with (owners and admins).
    func addSettingsRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("value-settings", use: prices)
        group.patch("value-settings", use: updatePrices)
    }

    /// One area's figures: the range's, the previous range's, and the series — plus what
    /// only that area has (every slice's volumes; how service levels stand now; the
    /// complaints open now).
    struct Section: ResponseCodable, Sendable {
        let from: Date
        let to: Date
        let groupBy: String
        let timeZone: String
        let slice: String
        let totals: ReportSummary
        let previous: ReportSummary
        let series: [ReportReader.Point]
        let slices: [SliceFigures]?
        let serviceLevelsNow: ServiceLevelWatches.StandingNow?
        let openComplaints: ReportReader.OpenComplaints?
    }

    /// One slice's volumes beside the others: `dim` is inbox, channel, team, category,
    /// language, priority or tier, `key` its value (an id, a name, a code).
    struct SliceFigures: Codable, Sendable {
        let dim: String
        let key: String
        let opened: Int64
        let reopened: Int64
        let resolved: Int64
        let resolutionRate: Double?
        let firstResponseMedian: Double?
        let firstContactResolutionRate: Double?
        let csat: Double?
        let deflected: Int64
    }

    enum Area: String { case overview, conversations, sla, csat, complaints, bot }

    /// JSON, or with `format=csv` (or `Accept: text/csv`) the series as a table.
    @Sendable func section(_ area: Area, _ request: Request, _ context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        let query = try await Self.query(request, agent: agent, services: services)
        let reader = ReportReader(persistence: services.persistence)
        let now = services.configuration.clock.now()
        async let totals = reader.totals(query)
        async let previous = reader.totals(query.previous)
        async let series = reader.series(query)
        var slices: [SliceFigures]?
        var standing: ServiceLevelWatches.StandingNow?
        var open: ReportReader.OpenComplaints?
        let whole = query.slice == "all"
        switch area {
        case .conversations where whole:
            slices = try await reader.slices(query).compactMap { dim, summary in
                guard let colon = dim.firstIndex(of: ":") else { return nil }
                return SliceFigures(dim: String(dim[..<colon]), key: String(dim[dim.index(after: colon)...]), opened: summary.opened, reopened: summary.reopened,
                                    resolved: summary.resolved, resolutionRate: summary.resolutionRate, firstResponseMedian: summary.firstResponse.median,
                                    firstContactResolutionRate: summary.firstContactResolutionRate, csat: summary.csat, deflected: summary.deflected)
            }.sorted { ($0.dim, -$0.opened, $0.key) < ($1.dim, -$1.opened, $1.key) }
        case .sla where whole:
            standing = try await ServiceLevelWatches(persistence: services.persistence).standingNow(workspaceID: query.workspaceID, now: now)
        // Now, whatever the range: for the whole workspace only.
        case .complaints where whole, .overview where whole:
            open = try await reader.openComplaints(workspaceID: query.workspaceID, now: now)
        default: break
        }
        let report = Section(from: query.from, to: query.to, groupBy: query.period.rawValue, timeZone: query.timeZone.identifier, slice: query.slice,
                             totals: try await totals, previous: try await previous, series: try await series, slices: slices,
                             serviceLevelsNow: standing, openComplaints: open)
        if Self.wantsCSV(request) {
            let table = area == .conversations && slices != nil && request.uri.formParameters["table"] == "slices"
                ? ReportTable.slices(slices ?? []) : ReportTable.series(report.series, columns: ReportTable.columns(area), timeZone: query.timeZone)
            return Self.csv(table, name: "kefu-\(area.rawValue).csv")
        }
        return try report.response(from: request, context: context)
    }

    static func csv(_ table: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: table)))
    }

    // MARK: value of service

    struct ValueReport: ResponseCodable, Sendable {
        let from: Date
        let to: Date
        let prices: ServicePrices
        let value: ServiceValue
        let previous: ServiceValue
        let retention: Retention
        /// Customers who came back within 90 days × a kept customer's worth.
        let valueKept: Double?
        /// What good ratings kept beyond bad ones, at a kept customer's worth.
        let valueOfGoodService: Double?
    }

    /// Window in days ("30", "90") → share, overall and by band.
    struct Retention: Codable, Sendable {
        let overall: [String: RetentionShare]
        let byRating: [String: [String: RetentionShare]]
        let byFirstResponse: [String: [String: RetentionShare]]
    }

    @Sendable func value(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        guard agent.role.canAdminister else { throw Problem.forbidden("The value of service is for owners and admins.") }
        let query = try await Self.query(request, agent: agent, services: services)
        guard query.slice == "all" else { throw Problem.badRequest("The value of service is for the whole workspace.") }
        let now = services.configuration.clock.now()
        let reader = ReportReader(persistence: services.persistence)
        let prices = try await ServicePriceRepository(persistence: services.persistence).prices(workspaceID: agent.workspaceID)
        func value(_ range: ReportQuery) async throws -> ServiceValue {
            let totals = try await reader.totals(range)
            let online = try await Presence.online(workspaceID: range.workspaceID, from: range.from, to: range.to, now: now, on: services.persistence.reader)
            return ServiceValue(prices: prices, agentSeconds: online.values.reduce(0, +), resolved: totals.resolved, deflected: totals.deflected, botAnswers: totals.botAnswers)
        }
        let cells = try await RetentionReader(persistence: services.persistence).cells(workspaceID: agent.workspaceID, from: query.from, to: query.to, now: now)
        func sum(_ chosen: [RetentionReader.Cell]) -> [String: RetentionShare] {
            var shares: [String: RetentionShare] = [:]
            for window in RetentionReader.windows.map(String.init) {
                let resolved = chosen.reduce(Int64(0)) { $0 + ($1.windows[window]?.resolved ?? 0) }
                let returned = chosen.reduce(Int64(0)) { $0 + ($1.windows[window]?.returned ?? 0) }
                shares[window] = RetentionShare(resolved: resolved, returned: returned)
            }
            return shares
        }
        let retention = Retention(overall: sum(cells),
                                  byRating: Dictionary(uniqueKeysWithValues: RatingBand.allCases.map { band in (band.rawValue, sum(cells.filter { $0.rating == band })) }),
                                  byFirstResponse: Dictionary(uniqueKeysWithValues: FirstResponseBand.allCases.map { band in (band.rawValue, sum(cells.filter { $0.firstResponse == band })) }))
        let report = ValueReport(from: query.from, to: query.to, prices: prices, value: try await value(query), previous: try await value(query.previous), retention: retention,
                                 valueKept: ServiceValue.valueKept(returned: retention.overall["90"]?.returned ?? 0, prices: prices),
                                 valueOfGoodService: ServiceValue.valueOfGoodService(good: retention.byRating["good"]?["90"], bad: retention.byRating["bad"]?["90"], prices: prices))
        if Self.wantsCSV(request) { return Self.csv(ReportTable.value(report), name: "kefu-value.csv") }
        return try report.response(from: request, context: context)
    }

    struct PricesInput: Decodable {
        let currency: String?
        let agentHourCost: Double?
        let botAnswerCost: Double?
        /// Null removes it.
        let retainedCustomerValue: Double??

        enum CodingKeys: String, CodingKey { case currency, agentHourCost, botAnswerCost, retainedCustomerValue }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
            agentHourCost = try container.decodeIfPresent(Double.self, forKey: .agentHourCost)
            botAnswerCost = try container.decodeIfPresent(Double.self, forKey: .botAnswerCost)
            retainedCustomerValue = container.contains(.retainedCustomerValue) ? .some(try container.decodeIfPresent(Double.self, forKey: .retainedCustomerValue)) : .none
        }
    }

    @Sendable func prices(_ request: Request, context: KefuRequestContext) async throws -> ServicePrices {
        let agent = try context.requireAgent()
        guard agent.role.canAdminister else { throw Problem.forbidden("The value of service is for owners and admins.") }
        return try await ServicePriceRepository(persistence: services.persistence).prices(workspaceID: agent.workspaceID)
    }

    @Sendable func updatePrices(_ request: Request, context: KefuRequestContext) async throws -> ServicePrices {
        let agent = try context.requireAgent()
        guard agent.role.canAdminister else { throw Problem.forbidden("The value of service is for owners and admins.") }
        let input = try await request.decodeJSON(PricesInput.self, context: context)
        let repository = ServicePriceRepository(persistence: services.persistence)
        var prices = try await repository.prices(workspaceID: agent.workspaceID)
        if let currency = input.currency { prices.currency = currency.trimmingCharacters(in: .whitespaces).uppercased() }
        if let cost = input.agentHourCost { prices.agentHourCost = cost }
        if let cost = input.botAnswerCost { prices.botAnswerCost = cost }
        if let worth = input.retainedCustomerValue { prices.retainedCustomerValue = worth }
        let problems = prices.problems
        guard problems.isEmpty else { throw Problem.invalid(problems.map { .init(field: $0.field, detail: $0.reason) }) }
        try await repository.save(prices, workspaceID: agent.workspaceID, now: services.configuration.clock.now())
        return prices
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
        let utilisation = try await LoadSamples(persistence: services.persistence).utilisation(workspaceID: agent.workspaceID, from: query.from, to: query.to)
        // Someone online who did nothing yet has a line too: the time is part of the picture.
        for id in online.keys where figures[id] == nil { figures[id] = ReportSummary() }
        if query.slice.hasPrefix("agent:") { figures = figures.filter { ReportDims.agent($0.key) == query.slice } }
        let staff = try await AgentRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID).all()
        let names = Dictionary(staff.compactMap { row in row.id.map { ($0, row.name) } }, uniquingKeysWith: { first, _ in first })
        let items = figures.filter { names[$0.key] != nil }
            .map { AgentFigures(agentId: $0.key, name: names[$0.key] ?? "", totals: $0.value, onlineSeconds: online[$0.key] ?? 0, utilisation: utilisation[$0.key]) }
            .sorted { ($0.totals.replies, $0.name) > ($1.totals.replies, $1.name) }
        if Self.wantsCSV(request) {
            return Self.csv(ReportTable.agents(items), name: "kefu-agents.csv")
        }
        return try Agents(from: query.from, to: query.to, items: items).response(from: request, context: context)
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

// The prices are the domain's value; the API hands them back as they are.
extension ServicePrices: ResponseEncodable {}
