import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Macros: a named list of actions, previewed, applied in one transaction, every event naming it; snoozes that wake by themselves")
struct MacroTests {
    static func messages(_ client: any TestClientProtocol, _ id: String, token: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: token).json["items"].array
    }

    @Test("a refund macro replies in the customer's language, notes, tags, moves to a team and resolves — previewed first, then in one click")
    func applyRefundMacro() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let canned = try await client.call(.post, "/api/v1/canned-replies", token: staff.owner, json: body(CannedReplyTests.refund))
                let cannedID = try #require(canned.json["id"].string)
                let team = try #require(try await client.call(.post, "/api/v1/teams", token: staff.owner, json: body(["name": "Finance"])).json["id"].string)
                let created = try await client.call(.post, "/api/v1/macros", token: staff.owner, json: body([
                    "name": "Refund sent", "scope": "workspace",
                    "actions": [["type": "status", "status": "resolved"], ["type": "add_tags", "tags": ["Refund"]], ["type": "remove_tags", "tags": ["new"]],
                                ["type": "reply", "cannedReplyId": cannedID], ["type": "note", "text": "Refund checked on chain"],
                                ["type": "team", "teamId": team], ["type": "priority", "priority": "low"], ["type": "assign", "to": "me"]],
                ]))
                #expect(created.status == .created, "\(created.text)")
                let macro = try #require(created.json["id"].string)
                #expect(created.json["actions"].array[1]["tags"].array.map { $0.string } == ["refund"], "tags are stored lower-cased")

                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-Hans")
                let id = try #require(try await client.say("退款什么时候到", visitorToken: visitor.token)["conversationId"].string)
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["tags": ["new", "usdt"]]))
                let number = try #require(try await staff.conversation(id)["number"].int)

                let preview = try await client.call(.post, "/api/v1/macros/\(macro)/preview", token: staff.owner, json: body(["conversationId": id]))
                #expect(preview.status == .ok, "\(preview.text)")
                #expect(preview.json["problems"].array.isEmpty, "\(preview.text)")
                let previewed = preview.json["messages"].array
                #expect(previewed.map { $0["kind"].string } == ["reply", "note"], "messages first, in the order written")
                #expect(previewed.first?["text"].string?.contains("#\(number) 的退款已在处理中") == true, "\(preview.text)")
                #expect(previewed.first?["language"].string == "zh-Hans")
                let changes = Dictionary(uniqueKeysWithValues: preview.json["changes"].array.map { ($0["field"].string ?? "", $0) })
                #expect(changes["status"]?["from"].string == "open" && changes["status"]?["to"].string == "resolved")
                #expect(changes["team"]?["to"].string == "Finance")
                #expect(changes["tags"]?["to"].string == "usdt, refund")
                #expect(changes["priority"]?["to"].string == "low")
                #expect(changes["assignee"]?["to"].string != nil)
                #expect(try await Self.messages(client, id, token: staff.owner).count == 1, "a preview writes nothing")
                #expect(try await staff.conversation(id)["status"].string == "open")

                let applied = try await client.call(.post, "/api/v1/macros/\(macro)/apply", token: staff.owner, json: body(["conversationId": id]))
                #expect(applied.status == .ok, "\(applied.text)")
                #expect(applied.json["status"].string == "resolved")
                #expect(applied.json["teamId"].string == team)
                #expect(applied.json["tags"].array.map { $0.string } == ["usdt", "refund"])
                #expect(applied.json["priority"].string == "low")
                let messages = try await Self.messages(client, id, token: staff.owner)
                #expect(messages.suffix(2).map { $0["private"].bool } == [false, true], "\(messages)")
                #expect(messages.suffix(2).first?["text"].string?.contains("退款已在处理中") == true)

                let events = try await staff.events(id)
                let named = try #require(events.first { $0["kind"].string == "macro_applied" })
                #expect(named["data"]["macroId"].string == macro && named["data"]["name"].string == "Refund sent")
                #expect(named["data"]["actions"].string == "reply,note,add_tags,remove_tags,team,priority,assign,status")
                for kind in ["status_changed", "resolved", "team_assigned", "priority_changed", "canned_reply_used", "first_response", "assigned"] {
                    let event = try #require(events.last { $0["kind"].string == kind }, "\(kind) in \(events.map { $0["kind"].string })")
                    #expect(event["data"]["macroId"].string == macro, "\(kind) names the macro")
                }
                #expect(events.contains { $0["kind"].string == "rating_requested" }, "resolved by a person's reply: the customer is asked to rate")

                // Its use is counted, and the rating of the conversation is its CSAT.
                _ = try await client.call(.post, "/widget/v1/survey", token: visitor.token, json: body(["rating": 2]))
                let listed = try #require(try await client.call(.get, "/api/v1/macros", token: staff.owner).json["items"].array.first)
                #expect(listed["usageCount"].int == 1)
                #expect(listed["ratings"].int == 1 && listed["csat"].value as? Double == 0.0, "\(listed)")

            }
        }
    }

    @Test("a macro that cannot be applied whole changes nothing")
    func refusedWhole() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let macro = try #require(try await client.call(.post, "/api/v1/macros", token: staff.owner, json: body([
                    "name": "Close it", "actions": [["type": "note", "text": "closing"], ["type": "add_tags", "tags": ["done"]], ["type": "status", "status": "resolved"]],
                ])).json["id"].string)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("I want to complain, my withdrawal is missing", visitorToken: visitor.token)["conversationId"].string)
                #expect(try await staff.conversation(id)["complaint"].string != nil)
                let before = try await Self.messages(client, id, token: staff.owner).count

                let preview = try await client.call(.post, "/api/v1/macros/\(macro)/preview", token: staff.owner, json: body(["conversationId": id]))
                #expect(preview.json["problems"].array.first?.string?.contains("complaint") == true, "\(preview.text)")
                let applied = try await client.call(.post, "/api/v1/macros/\(macro)/apply", token: staff.owner, json: body(["conversationId": id]))
                #expect(applied.status == .unprocessableContent, "\(applied.text)")
                #expect(applied.headers[.contentType] == "application/problem+json")
                #expect(try await Self.messages(client, id, token: staff.owner).count == before, "the note was not written either")
                #expect(try await staff.conversation(id)["tags"].array.isEmpty)
                #expect(try await staff.events(id).contains { $0["kind"].string == "macro_applied" } == false)
            }
        }
    }

    @Test("bad macros are refused with the field that is wrong", arguments: [
        (#"{"name": "x", "actions": []}"#, "actions"),
        (#"{"name": "", "actions": [{"type": "status", "status": "resolved"}]}"#, "name"),
        (#"{"name": "x", "actions": [{"type": "status", "status": "resolved"}, {"type": "snooze", "hours": 4}]}"#, "actions"),
        (#"{"name": "x", "actions": [{"type": "snooze", "hours": 9999}]}"#, "actions"),
        (#"{"name": "x", "actions": [{"type": "reply", "cannedReplyId": "00000000-0000-0000-0000-000000000001"}]}"#, "actions[0]"),
        (#"{"name": "x", "actions": [{"type": "team", "teamId": "00000000-0000-0000-0000-000000000001"}]}"#, "actions[0]"),
        (#"{"name": "x", "actions": [{"type": "add_tags", "tags": ["two words"]}]}"#, "actions[0]"),
        (#"{"name": "x", "actions": [{"type": "note", "text": "  "}]}"#, "actions"),
        (#"{"name": "x", "scope": "team", "actions": [{"type": "priority", "priority": "high"}]}"#, "teamId"),
    ])
    func refused(_ json: String, field: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await client.call(.post, "/api/v1/macros", token: owner, json: json)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await client.call(.get, "/api/v1/macros", token: owner).json["items"].array.isEmpty)
            }
        }
    }

    @Test("an unknown action type is a bad request, not a server error")
    func unknownType() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await client.call(.post, "/api/v1/macros", token: owner, json: #"{"name": "x", "actions": [{"type": "delete_all"}]}"#)
                #expect(response.status.code / 100 == 4, "\(response.text)")
            }
        }
    }

    @Test("personal macros are their author's; a shared macro may not send a personal canned reply")
    func sharing() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let li = try await Staff.hired(client, staff, "li")
                let wang = try await Staff.hired(client, staff, "wang")
                let personal = try #require(try await client.call(.post, "/api/v1/canned-replies", token: staff.owner,
                                                                  json: body(["shortcut": "mine", "title": "Mine", "body": ["en": "Hello"]])).json["id"].string)
                let shared = try await client.call(.post, "/api/v1/macros", token: staff.owner, json: body([
                    "name": "Greet", "scope": "workspace", "actions": [["type": "reply", "cannedReplyId": personal]]]))
                #expect(shared.status == .unprocessableContent, "\(shared.text)")
                let mine = try await client.call(.post, "/api/v1/macros", token: li, json: body(["name": "Mine", "actions": [["type": "priority", "priority": "high"]]]))
                #expect(mine.status == .created && mine.json["scope"].string == "personal", "\(mine.text)")
                let id = try #require(mine.json["id"].string)
                #expect(try await client.call(.get, "/api/v1/macros", token: wang).json["items"].array.isEmpty)
                #expect(try await client.call(.patch, "/api/v1/macros/\(id)", token: wang, json: body(["name": "Taken"])).status == .notFound)
                #expect(try await client.call(.post, "/api/v1/macros", token: li,
                                              json: body(["name": "Team", "scope": "workspace", "actions": [["type": "priority", "priority": "high"]]])).status == .forbidden)
                let renamed = try await client.call(.patch, "/api/v1/macros/\(id)", token: li, json: body(["name": "Urgent-ish"]))
                #expect(renamed.json["name"].string == "Urgent-ish", "\(renamed.text)")
                #expect(try await client.call(.delete, "/api/v1/macros/\(id)", token: li).status == .noContent)
            }
        }
    }

    @Test("a snooze says until when; the conversation opens again by itself then, or earlier when the customer writes")
    func snooze() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let macro = try #require(try await client.call(.post, "/api/v1/macros", token: staff.owner, json: body([
                    "name": "Wait for the chain", "actions": [["type": "note", "text": "waiting for confirmations"], ["type": "snooze", "hours": 2]],
                ])).json["id"].string)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my deposit is not there yet", visitorToken: visitor.token)["conversationId"].string)
                let applied = try await client.call(.post, "/api/v1/macros/\(macro)/apply", token: staff.owner, json: body(["conversationId": id]))
                #expect(applied.json["status"].string == "snoozed", "\(applied.text)")
                let until = try #require(applied.json["snoozedUntil"].string)
                #expect(try await staff.conversation(id)["snoozedUntil"].string == until)
                #expect(try await staff.events(id).contains { $0["kind"].string == "snoozed" && $0["data"]["macroId"].string == macro })

                desk.configuration.clock.advance(by: 2 * 3_600 + 5)
                #expect(try await eventually { try await staff.conversation(id)["status"].string == "open" })
                #expect(try await staff.events(id).contains { $0["kind"].string == "snooze_ended" })
                #expect(try await staff.conversation(id)["snoozedUntil"].isNull)

                // Snoozed through the API; the customer writes first: open at once, and the alarm finds nothing to wake.
                let inHour = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 3_600 + 3_600))
                let snoozed = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["snoozedUntil": inHour]))
                #expect(snoozed.json["status"].string == "snoozed" && snoozed.json["snoozedUntil"].string != nil, "\(snoozed.text)")
                _ = try await client.say("still nothing", visitorToken: visitor.token)
                #expect(try await staff.conversation(id)["status"].string == "open")
                desk.configuration.clock.advance(by: 2 * 3_600)
                try await Task.sleep(for: .seconds(2))
                #expect(try await staff.events(id).filter { $0["kind"].string == "snooze_ended" }.count == 1)

                let bad = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["snoozedUntil": "yesterday"]))
                #expect(bad.status == .unprocessableContent && bad.text.contains("snoozedUntil"), "\(bad.text)")
                let clash = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["snoozedUntil": inHour, "status": "resolved"]))
                #expect(clash.status == .unprocessableContent, "\(clash.text)")
            }
        }
    }
}
