import HTTPTypes
import Foundation
import HummingbirdTesting
import Logging
import KefuCore
import SQLKit
import Synchronization
import Testing
@testable import KefuServer

@Suite("Reports: rollups kept from conversations' history, equal to a rebuild from scratch, read back as figures")
struct ReportTests {
    /// The rollups as rows, sorted, for comparing two states.
    static func snapshot(_ persistence: Persistence) async throws -> [String] {
        try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT dim, metric, detail, hour, bin, n, total, total_business FROM report_rollups WHERE n <> 0
            """).all().map { row in
            let total = try row.decode(column: "total", as: Double.self), business = try row.decode(column: "total_business", as: Double.self)
            return [try row.decode(column: "dim", as: String.self), try row.decode(column: "metric", as: String.self), try row.decode(column: "detail", as: String.self),
                    String(try row.decode(column: "hour", as: Int64.self)), String(try row.decode(column: "bin", as: Int.self)), String(try row.decode(column: "n", as: Int64.self)),
                    String(format: "%.3f", total), String(format: "%.3f", business)].joined(separator: "|")
        }.sorted()
    }

    /// Daily rollups that differ from the hourly ones summed by UTC day: none, ever.
    static func dailyMismatches(_ persistence: Persistence) async throws -> [String] {
        try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT h.dim, h.metric, h.detail, h.bin, h.day, h.n, d.n AS daily FROM
              (SELECT workspace_id, dim, metric, detail, bin, hour / 24 AS day, CAST(SUM(n) AS BIGINT) AS n FROM report_rollups
               GROUP BY workspace_id, dim, metric, detail, bin, hour / 24) h
            LEFT JOIN report_rollups_daily d ON d.workspace_id = h.workspace_id AND d.dim = h.dim AND d.metric = h.metric AND d.detail = h.detail
              AND d.bin = h.bin AND d.day = h.day
            WHERE d.n IS NULL OR d.n <> h.n
            """).all().map { row in "\(try row.decode(column: "dim", as: String.self))|\(try row.decode(column: "metric", as: String.self))|\(try row.decode(column: "n", as: Int64.self))" }
    }

    /// Weekly rollups that differ from the daily ones summed by UTC week (Monday to Monday): none, ever.
    static func weeklyMismatches(_ persistence: Persistence) async throws -> [String] {
        let sql = persistence.reader as! any SQLDatabase
        var byWeek: [String: Int64] = [:], weekly: [String: Int64] = [:]
        for row in try await sql.raw("SELECT dim, metric, detail, bin, day, n FROM report_rollups_daily").all() {
            let key = "\(try row.decode(column: "dim", as: String.self))|\(try row.decode(column: "metric", as: String.self))|\(try row.decode(column: "detail", as: String.self))|"
                + "\(try row.decode(column: "bin", as: Int.self))|\(ReportCells.week(ofDay: try row.decode(column: "day", as: Int64.self)))"
            byWeek[key, default: 0] += try row.decode(column: "n", as: Int64.self)
        }
        for row in try await sql.raw("SELECT dim, metric, detail, bin, day, n FROM report_rollups_weekly").all() {
            let key = "\(try row.decode(column: "dim", as: String.self))|\(try row.decode(column: "metric", as: String.self))|\(try row.decode(column: "detail", as: String.self))|"
                + "\(try row.decode(column: "bin", as: Int.self))|\(try row.decode(column: "day", as: Int64.self))"
            weekly[key, default: 0] += try row.decode(column: "n", as: Int64.self)
        }
        return Set(byWeek.keys).union(weekly.keys).filter { (byWeek[$0] ?? 0) != (weekly[$0] ?? 0) }.sorted()
            .map { "\($0): daily \(byWeek[$0] ?? 0), weekly \(weekly[$0] ?? 0)" }
    }

    /// The resolutions and customers' writing days the retention figures read, sorted.
    static func returns(_ persistence: Persistence) async throws -> [String] {
        let sql = persistence.reader as! any SQLDatabase
        let resolutions = try await sql.raw("SELECT conversation_id, cycle, resolved_ms, rating, first_response_s, back_ms FROM report_resolutions").all().map { row in
            "r|\(try row.decode(column: "conversation_id", as: UUID.self))|\(try row.decode(column: "cycle", as: Int.self))|\(try row.decode(column: "resolved_ms", as: Int64.self))|"
                + "\(try row.decode(column: "rating", as: Int?.self) ?? 0)|\(String(format: "%.3f", try row.decode(column: "first_response_s", as: Double?.self) ?? -1))|"
                + "back \(try row.decode(column: "back_ms", as: Int64?.self).map(String.init) ?? "none")"
        }
        let visits = try await sql.raw("SELECT conversation_id, day, last_ms FROM report_visits").all().map { row in
            "v|\(try row.decode(column: "conversation_id", as: UUID.self))|\(try row.decode(column: "day", as: Int64.self))|\(try row.decode(column: "last_ms", as: Int64.self))"
        }
        return (resolutions + visits).sorted()
    }

    /// A small deterministic generator, so a failing history can be replayed.
    struct Dice {
        var state: UInt64
        mutating func roll(_ sides: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(sides))
        }
    }

    @Test("random histories: rollups kept step by step equal a rebuild from scratch; reading every conversation again changes nothing", arguments: [7, 42])
    func incrementalEqualsScratch(seed: UInt64) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            // Projected only by this test's own projector, at the moments it chooses.
            var quiet = desk.configuration
            quiet.reportTick = .seconds(3_600)
            try await desk.withPersistence { persistence in
                let projector = ReportProjector(persistence: persistence, clock: desk.configuration.clock)
                // The history is played while the desk runs; it is judged once the desk (and its service-level
                // scheduler, which may write a breach at any moment) has stopped.
                let played = Mutex<(started: Int, replies: Int)>((0, 0))
                try await withApp(TestDesk(configuration: quiet)) { client in
                    var staff = try await Staff(client)
                    try await staff.hire("li", capacity: 20)
                    let li = try await client.signIn("li@acme.test", password: "longenough1")
                    let team = try #require(try await client.call(.post, "/api/v1/teams", token: staff.owner, json: body(["name": "Risk"])).json["id"].string)
                    // Targets short enough that some rounds are met and some missed.
                    #expect(try await client.call(.post, "/api/v1/sla-policies", token: staff.owner, json: #"""
                        {"name": "Everyone", "targets": {"firstResponse": {"normal": {"seconds": 1, "businessHours": false}, "high": {"seconds": 3600, "businessHours": false}, "low": {"seconds": 3600, "businessHours": false}},
                         "nextResponse": {"normal": {"seconds": 3600, "businessHours": false}}, "resolution": {"normal": {"seconds": 3600, "businessHours": false}}}}
                        """#).status == .created)
                    var dice = Dice(state: seed)
                    var visitors: [(token: String, conversation: String?)] = []
                    for _ in 0..<5 { visitors.append((try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: dice.roll(2) == 0 ? "en" : "zh-Hans").token, nil)) }
                    var replies = 0
                    for step in 0..<45 {
                        let who = dice.roll(visitors.count)
                        guard let id = visitors[who].conversation else {
                            visitors[who].conversation = try await client.say("my deposit \(step) is missing", visitorToken: visitors[who].token)["conversationId"].string
                            continue
                        }
                        switch dice.roll(7) {
                        case 0: _ = try await client.say("any news? \(step)", visitorToken: visitors[who].token)
                        case 1, 2:
                            if try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: li, json: body(["text": "checking \(step)"])).status == .created { replies += 1 }
                        case 3: _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                        case 4: _ = try await client.call(.post, "/widget/v1/survey", token: visitors[who].token, json: body(["rating": 1 + dice.roll(5)]))
                        case 5: _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner,
                                                          json: body(["category": ["deposit", "withdrawal"][dice.roll(2)], "priority": ["low", "high"][dice.roll(2)]]))
                        default: _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["teamId": team]))
                        }
                        if dice.roll(4) == 0 { try await projector.catchUp() }
                    }
                    let started = visitors.compactMap(\.conversation).count
                    played.withLock { $0 = (started, replies) }
                }
                let (started, replies) = played.withLock { $0 }
                #expect(started > 0)
                try await projector.catchUp()
                do {
                    let kept = try await Self.snapshot(persistence)
                    #expect(kept.contains { $0.hasPrefix("all|opened||") }, "\(kept.prefix(5))")
                    let opened = kept.filter { $0.hasPrefix("all|opened|") }.compactMap { Int64($0.split(separator: "|", omittingEmptySubsequences: false)[5]) }.reduce(0, +)
                    #expect(opened == Int64(started))
                    let counted = kept.filter { $0.hasPrefix("all|reply|") }.compactMap { Int64($0.split(separator: "|", omittingEmptySubsequences: false)[5]) }.reduce(0, +)
                    #expect(counted == Int64(replies), "every public reply counted once")

                    let mismatches = try await Self.dailyMismatches(persistence)
                    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
                    let weekMismatches = try await Self.weeklyMismatches(persistence)
                    #expect(weekMismatches.isEmpty, "\(weekMismatches.prefix(5))")
                    #expect(try await (persistence.reader as! any SQLDatabase).raw("SELECT day FROM report_rollups_weekly").all()
                        .allSatisfy { row in let day = try row.decode(column: "day", as: Int64.self); return ReportCells.week(ofDay: day) == day },
                            "weekly rows are keyed by their Monday")

                    // A series, in zones whose days are and are not UTC's, by day, week and month: each period
                    // holds what the hourly rollups hold for its hours, read from whole weeks and days where it
                    // can be. Ten days ahead, so the week of today's history is always whole in the range.
                    let hourly = try await (persistence.reader as! any SQLDatabase).raw("""
                        SELECT hour, CAST(SUM(n) AS BIGINT) AS n FROM report_rollups WHERE dim = 'all' AND metric = 'opened' GROUP BY hour
                        """).all().map { (try $0.decode(column: "hour", as: Int64.self), try $0.decode(column: "n", as: Int64.self)) }
                    let now = desk.configuration.clock.now()
                    for zone in ["UTC", "Asia/Shanghai", "America/New_York"] {
                        for period in [ReportPeriod.hour, .day, .week, .month] {
                            let timeZone = TimeZone(identifier: zone)!
                            let from = now.addingTimeInterval(period == .hour ? -86_400 : -20 * 86_400), to = now.addingTimeInterval(period == .hour ? 7_200 : 10 * 86_400)
                            let query = ReportQuery(workspaceID: workspace.workspaceID, from: from, to: to, period: period, slice: "all", timeZone: timeZone)
                            let points = try await ReportReader(persistence: persistence).series(query)
                            var expected: [Date: Int64] = [:]
                            for (hour, n) in hourly {
                                let at = Date(timeIntervalSince1970: Double(hour) * 3_600)
                                expected[period.start(of: at, in: timeZone), default: 0] += n
                            }
                            let got = Dictionary(points.map { ($0.start, $0.summary.opened) }, uniquingKeysWith: +).filter { $0.value != 0 }
                            #expect(got == expected, "\(zone) by \(period): \(got) ≠ \(expected)")
                            let totals = try await ReportReader(persistence: persistence).totals(query)
                            #expect(totals.opened == Int64(started), "\(zone) by \(period)")
                        }
                    }

                    // Every conversation read again: nothing changes.
                    let ids = try await (persistence.reader as! any SQLDatabase).raw("SELECT id FROM conversations").all().map { try $0.decode(column: "id", as: UUID.self) }
                    let rules = ServiceLevelRulesCache(persistence: persistence)
                    for id in ids { try await projector.project(id, rules: rules) }
                    #expect(try await Self.snapshot(persistence) == kept)

                    #expect(kept.contains { $0.hasPrefix("all|sla_met|") } || kept.contains { $0.hasPrefix("all|sla_missed|") }, "service levels are judged")
                    let returns = try await Self.returns(persistence)
                    #expect(!returns.isEmpty)

                    // From scratch: the same rows.
                    #expect(try await projector.rebuild() == ids.count)
                    let rebuilt = try await Self.snapshot(persistence)
                    #expect(rebuilt == kept, "\(Set(rebuilt).symmetricDifference(kept).sorted().prefix(6))")
                    #expect(try await Self.returns(persistence) == returns)
                    // Each resolution's first return, as kept step by step, is what every customer's writing days give now.
                    let contacts = try await (persistence.reader as! any SQLDatabase).raw("SELECT DISTINCT contact_id FROM report_resolutions").all()
                        .map { try $0.decode(column: "contact_id", as: UUID.self) }
                    try await ReportProjector.refreshReturns(of: Set(contacts), on: persistence.db as! any SQLDatabase)
                    #expect(try await Self.returns(persistence) == returns)
                    #expect(try await Self.dailyMismatches(persistence).isEmpty)
                    #expect(try await Self.weeklyMismatches(persistence).isEmpty)
                }
            }
        }
    }

    @Test("the overview: counts, first response and CSAT of the range beside the previous one, by day; agents see their own; bad queries are 400s")
    func overview() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                try await staff.hire("wang", capacity: 5)
                let li = try await client.signIn("li@acme.test", password: "longenough1")
                let wang = try await client.signIn("wang@acme.test", password: "longenough1")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let first = try #require(try await client.say("my withdrawal is stuck", visitorToken: visitor.token)["conversationId"].string)
                let other = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                _ = try await client.say("where is my deposit", visitorToken: other.token)
                _ = try await client.call(.post, "/api/v1/conversations/\(first)/messages", token: li, json: body(["text": "Sent again, please check."]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(first)", token: staff.owner, json: body(["status": "resolved"]))
                _ = try await client.call(.post, "/widget/v1/survey", token: visitor.token, json: body(["rating": 5]))

                var report = JSON(value: nil)
                let arrived = try await eventually {
                    report = try await client.call(.get, "/api/v1/reports/overview", token: staff.owner).json
                    return report["totals"]["opened"].int == 2 && report["totals"]["rated"].int == 1
                }
                #expect(arrived, "\(report)")
                let totals = report["totals"]
                #expect(totals["resolved"].int == 1)
                #expect(totals["resolutionRate"].value as? Double == 0.5)
                #expect(totals["firstContactResolutionRate"].value as? Double == 1.0)
                #expect(totals["firstResponse"]["count"].int == 1)
                #expect((totals["firstResponse"]["median"].value as? Double).map { $0 >= 0 && $0 < 60 } == true, "\(totals["firstResponse"])")
                #expect(totals["csat"].value as? Double == 1.0)
                #expect(totals["replies"].int == 1)
                #expect(totals["ratingRequests"].int == 1 && totals["ratingResponseRate"].value as? Double == 1.0, "\(totals)")
                #expect(report["openComplaints"]["count"].int == 0)
                #expect(report["previous"]["opened"].int == 0, "nothing the week before")
                #expect(report["groupBy"].string == "day" && report["series"].array.count >= 7 && report["series"].array.count <= 8, "\(report["series"].array.count)")
                #expect(report["series"].array.map { $0["summary"]["opened"].int ?? 0 }.reduce(0, +) == 2)

                // Li sees Li's own figures: the reply and the rating credited to Li.
                let mine = try await client.call(.get, "/api/v1/reports/overview", token: li).json
                #expect(mine["slice"].string == "agent:\(staff.ids["li"]!.lowercased())", "\(mine)")
                #expect(mine["totals"]["replies"].int == 1 && mine["totals"]["rated"].int == 1 && mine["totals"]["opened"].int == 0)
                #expect(try await client.call(.get, "/api/v1/reports/overview?agentId=\(staff.ids["li"]!)", token: wang).status == .forbidden)
                let bySlice = try await client.call(.get, "/api/v1/reports/overview?channel=widget", token: staff.owner).json
                #expect(bySlice["totals"]["opened"].int == 2, "\(bySlice)")
                // Every conversation came through the widget: its line in the slices table is the workspace's totals.
                let conversations = try await client.call(.get, "/api/v1/reports/conversations", token: staff.owner).json
                let widget = try #require(conversations["slices"].array.first { $0["dim"].string == "channel" && $0["key"].string == "widget" }, "\(conversations["slices"])")
                #expect(widget["opened"].int == 2 && widget["resolved"].int == 1 && widget["deflected"].int == 0, "\(widget)")
                #expect(widget["resolutionRate"].value as? Double == 0.5 && widget["firstContactResolutionRate"].value as? Double == 1.0 && widget["csat"].value as? Double == 1.0, "\(widget)")
                #expect(widget["firstResponseMedian"].value as? Double == totals["firstResponse"]["median"].value as? Double, "\(widget) beside \(totals["firstResponse"])")

                // Every agent's line; Wang's own only.
                let agents = try await client.call(.get, "/api/v1/reports/agents", token: staff.owner)
                let line = try #require(agents.json["items"].array.first { $0["agentId"].string?.lowercased() == staff.ids["li"]!.lowercased() }, "\(agents.text)")
                #expect(line["name"].string == "li" && line["totals"]["replies"].int == 1 && line["totals"]["csat"].value as? Double == 1.0, "\(line)")
                // Hired and put online at the start of this test: online for a moment, not for hours.
                let online = try #require(line["onlineSeconds"].value as? Double)
                #expect(online > 0 && online < 600, "\(line)")
                let own = try await client.call(.get, "/api/v1/reports/agents", token: wang).json["items"].array
                #expect(own.allSatisfy { $0["agentId"].string?.lowercased() == staff.ids["wang"]!.lowercased() }, "\(own)")
                let csv = try await client.call(.get, "/api/v1/reports/agents?format=csv", token: staff.owner)
                #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true, "\(csv.text)")
                #expect(csv.text.contains(",li,") && csv.text.hasPrefix("agent_id,name,online_s,utilisation,replies"), "\(csv.text)")

                for bad in ["groupBy=year", "from=yesterday", "from=2026-02-01&to=2026-01-01", "channel=widget&teamId=\(UUID())", "from=2020-01-01&to=2026-01-01"] {
                    let response = try await client.call(.get, "/api/v1/reports/overview?\(bad)", token: staff.owner)
                    #expect(response.status == .badRequest, "\(bad): \(response.text)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test("the value of service: prices kept and checked, cost per resolution, and retention split by rating from customers who wrote again or were seen")
    func value() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let li = try await client.signIn("li@acme.test", password: "longenough1")
                #expect(try await client.call(.get, "/api/v1/value-settings", token: li).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/reports/value", token: li).status == .forbidden)
                let saved = try await client.call(.patch, "/api/v1/value-settings", token: staff.owner,
                                                  json: body(["currency": "cny", "agentHourCost": 100, "botAnswerCost": 0.5, "retainedCustomerValue": 300]))
                #expect(saved.status == .ok && saved.json["currency"].string == "CNY" && saved.json["retainedCustomerValue"].value as? Double == 300, "\(saved.text)")
                for bad in [["currency": "yuan"], ["agentHourCost": -1], ["retainedCustomerValue": 2e9]] as [[String: Any]] {
                    let refused = try await client.call(.patch, "/api/v1/value-settings", token: staff.owner, json: body(bad))
                    #expect(refused.status == .unprocessableContent && refused.headers[.contentType] == "application/problem+json", "\(bad): \(refused.text)")
                }
                #expect(try await client.call(.get, "/api/v1/value-settings", token: staff.owner).json["agentHourCost"].value as? Double == 100, "a refused change leaves the prices as they were")

                let start = desk.configuration.clock.now().addingTimeInterval(-3_600)
                var visitors: [(token: String, contactID: String)] = []
                for (words, rating) in [("my withdrawal is stuck", 5), ("where is my deposit", 1)] {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    visitors.append(visitor)
                    let id = try #require(try await client.say(words, visitorToken: visitor.token)["conversationId"].string)
                    _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: li, json: body(["text": "Done, please check."]))
                    _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                    #expect(try await client.call(.post, "/widget/v1/survey", token: visitor.token, json: body(["rating": rating])).status == .ok)
                }
                // Ten days on, the happy customer writes again; the unhappy one is seen in the app a day later.
                desk.configuration.clock.advance(by: 10 * 86_400)
                _ = try await client.say("thanks again, one more question", visitorToken: visitors[0].token)
                desk.configuration.clock.advance(by: 86_400)
                let seen = ISO8601DateFormatter().string(from: desk.configuration.clock.now())
                let patched = try await client.call(.patch, "/api/v1/contacts/\(visitors[1].contactID)", token: staff.owner, json: body(["lastSeenAt": seen]))
                #expect(patched.status == .ok && patched.json["lastSeenAt"].string != nil, "\(patched.text)")
                let future = ISO8601DateFormatter().string(from: desk.configuration.clock.now().addingTimeInterval(86_400))
                #expect(try await client.call(.patch, "/api/v1/contacts/\(visitors[1].contactID)", token: staff.owner, json: body(["lastSeenAt": future])).status == .unprocessableContent)
                // Thirty-one days after the resolutions their 30-day window has passed; the 90-day one has not.
                desk.configuration.clock.advance(by: 20 * 86_400)
                let to = ISO8601DateFormatter().string(from: desk.configuration.clock.now())
                let from = ISO8601DateFormatter().string(from: start)

                var report = JSON(value: nil)
                let arrived = try await eventually {
                    report = try await client.call(.get, "/api/v1/reports/value?from=\(from)&to=\(to)", token: staff.owner).json
                    // Both resolutions, both ratings and the return message read as well.
                    let retention = report["retention"]
                    return retention["overall"]["30"]["resolved"].int == 2 && retention["overall"]["30"]["returned"].int == 2
                        && retention["byRating"]["good"]["30"]["resolved"].int == 1 && retention["byRating"]["bad"]["30"]["resolved"].int == 1
                }
                #expect(arrived, "\(report)")
                let retention = report["retention"]
                #expect(retention["overall"]["30"]["returned"].int == 2, "one wrote again, one was seen: \(retention)")
                #expect(retention["byRating"]["good"]["30"]["share"].value as? Double == 1.0 && retention["byRating"]["bad"]["30"]["resolved"].int == 1, "\(retention)")
                #expect(retention["overall"]["90"]["resolved"].int == 0, "a window not yet passed counts nobody as lost")
                let value = report["value"]
                #expect(value["humanResolutions"].int == 2, "\(value)")
                let cost = try #require(value["agentCost"].value as? Double), per = try #require(value["costPerResolution"].value as? Double)
                #expect(cost > 0 && abs(per - cost / 2) < 1e-6, "\(value)")
                #expect(report["prices"]["currency"].string == "CNY")
                let csv = try await client.call(.get, "/api/v1/reports/value?from=\(from)&to=\(to)&format=csv", token: staff.owner).text
                #expect(csv.hasPrefix("figure,value,previous,currency") && csv.contains("cost_per_resolution,") && csv.contains("retention_30d,1.000"), "\(csv)")
            }
        }
    }

    @Test("service levels in reports: each clock's rounds met and missed, and how active conversations stand now")
    func serviceLevels() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let li = try await client.signIn("li@acme.test", password: "longenough1")
                #expect(try await client.call(.post, "/api/v1/sla-policies", token: staff.owner, json: #"""
                    {"name": "Everyone", "targets": {"firstResponse": {"normal": {"seconds": 600, "businessHours": false}}}}
                    """#).status == .created)
                let quick = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let answered = try #require(try await client.say("my withdrawal is stuck", visitorToken: quick.token)["conversationId"].string)
                _ = try await client.call(.post, "/api/v1/conversations/\(answered)/messages", token: li, json: body(["text": "On it."]))
                let slow = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                _ = try await client.say("where is my deposit", visitorToken: slow.token)
                func sla() async throws -> JSON {
                    let from = ISO8601DateFormatter().string(from: desk.configuration.clock.now().addingTimeInterval(-86_400))
                    return try await client.call(.get, "/api/v1/reports/sla?from=\(from)", token: staff.owner).json
                }

                var report = JSON(value: nil)
                var arrived = try await eventually {
                    report = try await sla()
                    return report["totals"]["serviceLevels"]["first_response"]["met"].int == 1 && report["serviceLevelsNow"]["dueWithinHour"].int == 1
                }
                #expect(arrived, "one answered in time, one still running: \(report)")
                #expect(report["serviceLevelsNow"]["conversations"]["running"].int == 1, "\(report["serviceLevelsNow"])")
                let left = try #require(report["serviceLevelsNow"]["medianSecondsToBreach"].value as? Double)
                #expect(left > 0 && left <= 600)

                // A quarter of an hour on, the unanswered one has missed its target.
                desk.configuration.clock.advance(by: 900)
                arrived = try await eventually {
                    report = try await sla()
                    return report["totals"]["serviceLevels"]["first_response"]["missed"].int == 1
                }
                #expect(arrived, "\(report)")
                #expect(report["totals"]["serviceLevels"]["first_response"]["share"].value as? Double == 0.5)
                #expect(report["totals"]["slaBreaches"]["first_response"].int == 1)
                #expect(report["serviceLevelsNow"]["conversations"]["breached"].int == 1, "\(report["serviceLevelsNow"])")
                let csv = try await client.call(.get, "/api/v1/reports/sla?format=csv", token: staff.owner).text
                #expect(csv.hasPrefix("period,first_response_met,first_response_missed,first_response_share_met"), "\(csv)")

                // Agents' load, sampled in a slot of its own: Li holds what routing gave her, of a capacity of 5.
                try await desk.withPersistence { persistence in
                    let later = desk.configuration.clock.now().addingTimeInterval(86_400)
                    let samples = LoadSamples(persistence: persistence)
                    try await samples.sample(now: later)
                    try await samples.sample(now: later.addingTimeInterval(10))
                    let assigned = try await (persistence.reader as! any SQLDatabase).raw("""
                        SELECT COUNT(*) AS n FROM conversations WHERE assignee_id = \(bind: UUID(uuidString: staff.ids["li"]!)!) AND status IN ('open', 'pending', 'snoozed')
                        """).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
                    #expect(assigned > 0)
                    let shares = try await samples.utilisation(workspaceID: workspace.workspaceID, from: later.addingTimeInterval(-1), to: later.addingTimeInterval(60))
                    #expect(shares[UUID(uuidString: staff.ids["li"]!)!] == Double(assigned) / 5, "one sample a slot, however often it is taken: \(shares)")
                }
            }
        }
    }

    @Test("a new definition of the facts: every conversation is read again in passes, without emptying the rollups first, then the version is recorded")
    func upgrade() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            var quiet = desk.configuration
            quiet.reportTick = .seconds(3_600)
            try await desk.withPersistence { persistence in
                let projector = ReportProjector(persistence: persistence, clock: desk.configuration.clock)
                try await withApp(TestDesk(configuration: quiet)) { client in
                    for n in 0..<5 {
                        let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                        _ = try await client.say("question \(n)", visitorToken: visitor.token)
                    }
                    try await projector.catchUp()
                    let sql = persistence.reader as! any SQLDatabase
                    let kept = try await Self.snapshot(persistence)
                    _ = try await projector.upgrade(limit: 100)
                    #expect(try await projector.upgrade(limit: 2) == 0, "the current version: nothing to read")
                    // As a desk of the previous version left it: the visits are its new part.
                    try await (persistence.db as! any SQLDatabase).raw("DELETE FROM report_visits").run()
                    try await (persistence.db as! any SQLDatabase).raw("UPDATE report_state SET value = 1 WHERE key = 'facts_version'").run()
                    var passes = 0, read = 0
                    while true {
                        let done = try await projector.upgrade(limit: 2)
                        read += done
                        passes += 1
                        #expect(try await Self.snapshot(persistence) == kept, "the rollups stay whole between passes")
                        if done < 2 || passes > 10 { break }
                    }
                    // Conversations made in one millisecond are read in one pass, so the number of passes varies.
                    #expect(read >= 5 && passes >= 2, "\(read) read in \(passes) passes")
                    let visits = try await sql.raw("SELECT COUNT(*) AS n FROM report_visits").first().map { try $0.decode(column: "n", as: Int.self) }
                    #expect(visits == 5)
                    let version = try await sql.raw("SELECT value FROM report_state WHERE key = 'facts_version'").first().map { try $0.decode(column: "value", as: Int64.self) }
                    #expect(version == Int64(ReportFacts.version))
                    #expect(try await projector.upgrade(limit: 2) == 0)
                }
            }
        }
    }
}
