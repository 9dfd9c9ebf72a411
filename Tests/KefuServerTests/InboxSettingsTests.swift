import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Inbox settings: business hours and the reply times customers are told")
struct InboxSettingsTests {
    static let wholeWeek = Dictionary(uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { ($0, [["00:00", "24:00"]]) })

    @Test("an admin sets an inbox's reply times and sentences; the widget says the sentence in the visitor's language, or its own with the minutes")
    func expectedReply() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            let token = try #require(workspace.widgetPublicToken)
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let widget = try #require(try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array.first { $0["kind"].string == "widget" })
                let id = try #require(widget["id"].string)
                // Before anything is set: the defaults, no sentences of the inbox's own.
                #expect(widget["expectedReply"]["onlineMinutes"].int == 5)
                #expect(widget["expectedReply"]["offlineMinutes"].int == 240)
                #expect(widget["expectedReply"]["onlineText"].isNull)

                let changed = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: body([
                    "expectedReply": ["offlineMinutes": 90, "offlineText": ["en": "  We answer every message by 10:00 Beijing time. ", "zh-Hans": "我们会在北京时间 10 点前回复每条留言。"]],
                ]))
                #expect(changed.status == .ok, "\(changed.text)")
                #expect(changed.json["expectedReply"]["onlineMinutes"].int == 5, "minutes not sent stay as they were")
                #expect(changed.json["expectedReply"]["offlineMinutes"].int == 90)
                #expect(changed.json["expectedReply"]["offlineText"]["en"].string == "We answer every message by 10:00 Beijing time.")

                // Nobody is online (the owner starts offline): the offline promise, in the language asked for.
                let english = try await client.call(.get, "/widget/v1/status?inboxToken=\(token)&locale=en")
                #expect(english.json["agentsOnline"].bool == false)
                #expect(english.json["expectedReplyMinutes"].int == 90)
                #expect(english.json["expectedReplyText"].string == "We answer every message by 10:00 Beijing time.")
                let chinese = try await client.call(.get, "/widget/v1/status?inboxToken=\(token)&locale=zh-Hans")
                #expect(chinese.json["expectedReplyText"].string == "我们会在北京时间 10 点前回复每条留言。")

                // Someone comes online: no sentence of the inbox's own for that case, so the widget uses its own with the minutes.
                let me = try await client.call(.get, "/api/v1/auth/me", token: owner)
                _ = try await client.call(.patch, "/api/v1/agents/\(me.json["id"].string!)", token: owner, json: body(["availability": "online"]))
                let online = try await client.call(.get, "/widget/v1/status?inboxToken=\(token)&locale=zh-Hans")
                #expect(online.json["agentsOnline"].bool == true)
                #expect(online.json["expectedReplyMinutes"].int == 5)
                #expect(online.json["expectedReplyText"].isNull)

                // An empty sentence removes it.
                let cleared = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: body([
                    "expectedReply": ["offlineText": ["en": "", "zh-Hans": "我们会在北京时间 10 点前回复每条留言。"]],
                ]))
                #expect(cleared.json["expectedReply"]["offlineText"]["en"].isNull)
                #expect(cleared.json["expectedReply"]["offlineText"]["zh-Hans"].string != nil)
            }
        }
    }

    @Test("reply times out of range, sentences too long or on two lines, and unknown schedules are 422s naming the field, and nothing is written", arguments: [
        (#"{"expectedReply": {"offlineMinutes": 20000}}"#, "expectedReply.offlineMinutes"),
        (#"{"expectedReply": {"onlineMinutes": -1}}"#, "expectedReply.onlineMinutes"),
        (#"{"expectedReply": {"onlineText": {"en": "line one\nline two"}}}"#, "expectedReply.onlineText.en"),
        (#"{"expectedReply": {"offlineText": {"zh-Hans": "\#(String(repeating: "慢", count: 301))"}}}"#, "expectedReply.offlineText.zh-Hans"),
        (#"{"scheduleId": "not-a-schedule"}"#, "scheduleId"),
        (#"{"scheduleId": "00000000-0000-0000-0000-000000000001", "name": "Renamed"}"#, "scheduleId"),
    ])
    func refused(_ change: String, field: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let before = try #require(try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array.first)
                let id = try #require(before["id"].string)
                let response = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: change)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                let after = try await client.call(.get, "/api/v1/inboxes/\(id)", token: owner)
                #expect(after.json["name"].string == before["name"].string)
                #expect(after.json["expectedReply"]["offlineMinutes"].int == 240)
                #expect(after.json["scheduleId"].isNull)
            }
        }
    }

    @Test("an inbox names the schedule it follows, which the schedules list shows too; null goes back to the workspace's default; agents only read")
    func schedule() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Other", owner: "owner@other.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let id = try #require(try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array.first { $0["kind"].string == "widget" }?["id"].string)
                let night = try #require(try await client.call(.post, "/api/v1/schedules", token: owner,
                                                               json: body(["name": "Night", "timeZone": "Asia/Shanghai", "weekly": ["mon": [["20:00", "24:00"]]]])).json["id"].string)
                let followed = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: body(["scheduleId": night]))
                #expect(followed.status == .ok, "\(followed.text)")
                #expect(followed.json["scheduleId"].string == night)
                #expect(try await client.call(.get, "/api/v1/schedules/\(night)", token: owner).json["inboxIds"].array.compactMap(\.string) == [id])
                // Within the night schedule only Monday evenings are open.
                let status = try await client.call(.get, "/widget/v1/status?inboxToken=\(try #require(try await client.call(.get, "/api/v1/inboxes/\(id)", token: owner).json["publicToken"].string))")
                #expect(status.json["timeZone"].string == "Asia/Shanghai")

                // Another workspace's schedule is not one this inbox can follow.
                let stranger = try await client.signIn("owner@other.test")
                let theirs = try #require(try await client.call(.post, "/api/v1/schedules", token: stranger,
                                                                json: body(["name": "Theirs", "timeZone": "UTC", "weekly": Self.wholeWeek])).json["id"].string)
                let refused = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: body(["scheduleId": theirs]))
                #expect(refused.status == .unprocessableContent)
                #expect(try await client.call(.get, "/api/v1/inboxes/\(id)", token: owner).json["scheduleId"].string == night)

                // A new inbox can name its schedule at once.
                let created = try await client.call(.post, "/api/v1/inboxes", token: owner,
                                                    json: body(["name": "App", "kind": "api", "scheduleId": night, "expectedReply": ["onlineMinutes": 15]]))
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json["scheduleId"].string == night)
                #expect(created.json["expectedReply"]["onlineMinutes"].int == 15)

                let renamed = try await client.call(.patch, "/api/v1/inboxes/\(id)", token: owner, json: #"{"scheduleId": null}"#)
                #expect(renamed.status == .ok, "\(renamed.text)")
                #expect(renamed.json["scheduleId"].isNull)
                #expect(try await client.call(.get, "/api/v1/schedules/\(night)", token: owner).json["inboxIds"].array.compactMap(\.string)
                        == [created.json["id"].string!])

                _ = try await client.call(.post, "/api/v1/agents", token: owner,
                                          json: body(["email": "agent@acme.test", "name": "Ann", "password": TestDesk.password, "role": "agent"]))
                let agent = try await client.signIn("agent@acme.test")
                #expect(try await client.call(.get, "/api/v1/inboxes/\(id)", token: agent).json["identitySecret"].isNull)
                #expect(try await client.call(.patch, "/api/v1/inboxes/\(id)", token: agent, json: body(["scheduleId": night])).status == .forbidden)
            }
        }
    }
}
