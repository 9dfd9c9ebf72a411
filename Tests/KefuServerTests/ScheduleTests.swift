import HTTPTypes
import Foundation
import HummingbirdTesting
import Logging
import Testing
import KefuCore
@testable import KefuServer

@Suite("Business-hours schedules")
struct ScheduleTests {
    static let office = [["09:00", "12:00"], ["13:00", "18:00"]]

    static func beijing(_ name: String, extra: [String: Any] = [:]) -> [String: Any] {
        var fields: [String: Any] = ["name": name, "timeZone": "Asia/Shanghai",
                                     "weekly": ["mon": office, "tue": office, "wed": office, "thu": office, "fri": office],
                                     "overrides": [["date": "2027-02-10", "hours": [] as [Any], "name": "春节"],
                                                   ["date": "2027-02-07", "hours": [["09:00", "18:00"]], "name": "调休"]]]
        for (key, value) in extra { fields[key] = value }
        return fields
    }

    @Test("admins create a schedule; every agent reads it back with all seven days, overrides by date, and whether it is open now")
    func createAndRead() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let created = try await client.call(.post, "/api/v1/schedules", token: owner, json: body(Self.beijing("Beijing office")))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"].string)
                _ = try await client.call(.post, "/api/v1/agents", token: owner,
                                          json: body(["email": "agent@acme.test", "name": "Ann", "password": TestDesk.password, "role": "agent"]))
                let agent = try await client.signIn("agent@acme.test")
                let read = try await client.call(.get, "/api/v1/schedules/\(id)", token: agent)
                #expect(read.status == .ok)
                #expect(read.json["timeZone"].string == "Asia/Shanghai")
                #expect(read.json["weekly"]["mon"].array.map { $0.array.compactMap(\.string) } == Self.office)
                #expect(read.json["weekly"]["sat"].array.isEmpty)
                #expect((read.json["weekly"].value as? [String: Any])?.keys.sorted() == ["fri", "mon", "sat", "sun", "thu", "tue", "wed"])
                #expect(read.json["overrides"].array.compactMap { $0["date"].string } == ["2027-02-07", "2027-02-10"])
                #expect(read.json["overrides"][1]["name"].string == "春节")
                #expect(read.json["isDefault"].bool == false)
                #expect(read.json["openNow"].bool != nil)
                #expect(read.json["nextOpening"].string != nil)
                #expect(try await client.call(.get, "/api/v1/schedules", token: agent).json["items"].array.count == 1)
                // Agents read; they do not write.
                #expect(try await client.call(.post, "/api/v1/schedules", token: agent, json: body(Self.beijing("Mine"))).status == .forbidden)
                #expect(try await client.call(.patch, "/api/v1/schedules/\(id)", token: agent, json: body(["name": "x"])).status == .forbidden)
                #expect(try await client.call(.delete, "/api/v1/schedules/\(id)", token: agent).status == .forbidden)
            }
        }
    }

    @Test("a schedule that cannot be used is a 422 naming the field, and nothing is written", arguments: [
        (#"{"timeZone": "Asia/Beijing"}"#, "timeZone"),
        (#"{"weekly": {"thur": [["09:00", "18:00"]]}}"#, "weekly.thur"),
        (#"{"weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}"#, "weekly.mon"),
        (#"{"weekly": {"mon": [["18:00", "09:00"]]}}"#, "weekly.mon[0]"),
        (#"{"overrides": [{"date": "2027-02-30", "hours": []}]}"#, "overrides[0].date"),
        (#"{"name": ""}"#, "name"),
    ])
    func refused(_ change: String, field: String) async throws {
        var fields = Self.beijing("Beijing")
        for (key, value) in try #require(try JSONSerialization.jsonObject(with: Data(change.utf8)) as? [String: Any]) { fields[key] = value }
        let request = body(fields)
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await client.call(.post, "/api/v1/schedules", token: owner, json: request)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await client.call(.get, "/api/v1/schedules", token: owner).json["items"].array.isEmpty)
            }
        }
    }

    @Test("one default per workspace; an inbox or team follows one schedule; a conversation keeps team's, else inbox's, else the default's hours")
    func followersAndDefault() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let inboxes = try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array
                let widget = try #require(inboxes.first { $0["kind"].string == "widget" }?["id"].string)
                let team = try #require(try await client.call(.post, "/api/v1/teams", token: owner, json: body(["name": "VIP desk"])).json["id"].string)

                let beijing = try await client.call(.post, "/api/v1/schedules", token: owner, json: body(Self.beijing("Beijing", extra: ["isDefault": true])))
                let london = try await client.call(.post, "/api/v1/schedules", token: owner,
                                                   json: body(["name": "London", "timeZone": "Europe/London", "weekly": ["mon": [["09:00", "17:00"]]],
                                                               "inboxIds": [widget]]))
                let always = try await client.call(.post, "/api/v1/schedules", token: owner,
                                                   json: body(["name": "Always", "timeZone": "UTC", "teamIds": [team],
                                                               "weekly": Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { ($0, [["00:00", "24:00"]]) })]))
                #expect([beijing.status, london.status, always.status] == [.created, .created, .created], "\(london.text) \(always.text)")

                let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test"))
                defer { Task { await persistence.shutdown() } }
                let repository = ScheduleRepository(persistence: persistence)
                func effective(inbox: String?, team: String?) async throws -> String? {
                    try await repository.effective(workspaceID: workspace.workspaceID, inboxID: inbox.flatMap(UUID.init(uuidString:)),
                                                   teamID: team.flatMap(UUID.init(uuidString:))).record?.name
                }
                #expect(try await effective(inbox: widget, team: team) == "Always")
                #expect(try await effective(inbox: widget, team: nil) == "London")
                #expect(try await effective(inbox: nil, team: nil) == "Beijing")

                // A second default takes over; the widget inbox moves to the schedule that names it last.
                let second = try await client.call(.post, "/api/v1/schedules", token: owner,
                                                   json: body(Self.beijing("Shanghai night", extra: ["isDefault": true, "inboxIds": [widget]])))
                #expect(second.status == .created, "\(second.text)")
                let all = try await client.call(.get, "/api/v1/schedules", token: owner).json["items"].array
                #expect(all.filter { $0["isDefault"].bool == true }.compactMap { $0["name"].string } == ["Shanghai night"])
                #expect(all.first { $0["name"].string == "London" }?["inboxIds"].array.isEmpty == true)
                #expect(try await effective(inbox: widget, team: nil) == "Shanghai night")

                // Deleting a schedule sends its followers back to the default.
                #expect(try await client.call(.delete, "/api/v1/schedules/\(always.json["id"].string!)", token: owner).status == .noContent)
                #expect(try await effective(inbox: nil, team: team) == "Shanghai night")
                let (_, fallback) = try await repository.effective(workspaceID: UUID(), inboxID: nil, teamID: nil)
                #expect(fallback == .alwaysOpen)

                // Names are the workspace's own; unknown followers are named in the error.
                #expect(try await client.call(.post, "/api/v1/schedules", token: owner, json: body(Self.beijing("London"))).status == .conflict)
                let stranger = try await client.call(.patch, "/api/v1/schedules/\(london.json["id"].string!)", token: owner,
                                                     json: body(["teamIds": [UUID().uuidString]]))
                #expect(stranger.status == .unprocessableContent)
                #expect(stranger.json["errors"][0]["field"].string == "teamIds[0]")
            }
        }
    }

    @Test("holidays from an iCalendar file become overrides; a file that is not one is a 422 on ics")
    func holidays() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let id = try #require(try await client.call(.post, "/api/v1/schedules", token: owner, json: body(Self.beijing("Beijing"))).json["id"].string)
                let ics = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20271001", "DTEND;VALUE=DATE:20271004", "SUMMARY:国庆节 休", "END:VEVENT",
                           "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270926", "SUMMARY:国庆节 补班", "END:VEVENT", "END:VCALENDAR"].joined(separator: "\r\n")
                let imported = try await client.call(.post, "/api/v1/schedules/\(id)/holidays", token: owner, json: body(["ics": ics]))
                #expect(imported.status == .ok, "\(imported.text)")
                let overrides = imported.json["overrides"].array
                #expect(overrides.compactMap { $0["date"].string } == ["2027-02-07", "2027-02-10", "2027-09-26", "2027-10-01", "2027-10-02", "2027-10-03"])
                #expect(overrides.first { $0["date"].string == "2027-09-26" }?["hours"].array.count == 2)
                #expect(overrides.first { $0["date"].string == "2027-10-02" }?["hours"].array.isEmpty == true)
                let refused = try await client.call(.post, "/api/v1/schedules/\(id)/holidays", token: owner, json: body(["ics": "date,name\n"]))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.json["errors"][0]["field"].string == "ics")
                #expect(try await client.call(.get, "/api/v1/schedules/\(id)", token: owner).json["overrides"].array.count == 6)
            }
        }
    }

    @Test("the widget's status says whether it is within business hours and, when not, when they begin, by the inbox's schedule")
    func widgetStatus() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let path = "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)"
                let always = try await client.call(.get, path)
                #expect(always.json["withinBusinessHours"].bool == true)
                #expect(always.json["opensAt"].isNull)
                #expect(always.json["timeZone"].string == "UTC")

                let owner = try await client.signIn("owner@acme.test")
                let widget = try #require(try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array
                    .first { $0["kind"].string == "widget" }?["id"].string)
                let closed = try await client.call(.post, "/api/v1/schedules", token: owner, json: body([
                    "name": "Opening day", "timeZone": "Asia/Shanghai", "weekly": [String: Any](), "isDefault": true,
                    "overrides": [["date": "2030-01-02", "hours": [["09:00", "17:00"]]]]]))
                #expect(closed.status == .created, "\(closed.text)")
                let waiting = try await client.call(.get, path)
                #expect(waiting.json["withinBusinessHours"].bool == false)
                #expect(waiting.json["opensAt"].string == "2030-01-02T01:00:00Z")
                #expect(waiting.json["timeZone"].string == "Asia/Shanghai")

                // The inbox's own schedule comes before the default.
                _ = try await client.call(.post, "/api/v1/schedules", token: owner, json: body([
                    "name": "Round the clock", "timeZone": "Europe/London", "inboxIds": [widget],
                    "weekly": Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { ($0, [["00:00", "24:00"]]) })]))
                let inboxHours = try await client.call(.get, path)
                #expect(inboxHours.json["withinBusinessHours"].bool == true)
                #expect(inboxHours.json["timeZone"].string == "Europe/London")
            }
        }
    }

    @Test("another workspace's schedules are 404 by every endpoint and never listed")
    func isolation() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let alpha = try await client.signIn("owner@alpha.test")
                let beta = try await client.signIn("owner@beta.test")
                let id = try #require(try await client.call(.post, "/api/v1/schedules", token: alpha, json: body(Self.beijing("Alpha hours"))).json["id"].string)
                #expect(try await client.call(.get, "/api/v1/schedules/\(id)", token: beta).status == .notFound)
                #expect(try await client.call(.patch, "/api/v1/schedules/\(id)", token: beta, json: body(["name": "mine"])).status == .notFound)
                #expect(try await client.call(.delete, "/api/v1/schedules/\(id)", token: beta).status == .notFound)
                #expect(try await client.call(.post, "/api/v1/schedules/\(id)/holidays", token: beta, json: body(["ics": "BEGIN:VCALENDAR"])).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/schedules", token: beta).json["items"].array.isEmpty)
                #expect(try await client.call(.get, "/api/v1/schedules/not-a-uuid", token: alpha).status == .notFound)
            }
        }
    }
}
