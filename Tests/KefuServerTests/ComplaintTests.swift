import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Complaints: heard, acknowledged at once, solved with other teams, the result fed back")
struct ComplaintTests {
    static func messages(_ client: any TestClientProtocol, _ id: String, token: String) async throws -> [JSON] {
        try await client.call(.get, "/api/v1/conversations/\(id)/messages", token: token).json["items"].array
    }

    /// The progress page's path from the link the widget asks for.
    static func progressPath(_ client: any TestClientProtocol, visitor: String) async throws -> String {
        let mine = try await client.call(.get, "/widget/v1/complaints", token: visitor)
        let complaint = try #require(mine.json["items"].array.first?["id"].string, "\(mine.text)")
        let link = try await client.call(.post, "/widget/v1/complaints/\(complaint)/link", token: visitor)
        #expect(link.status == .created, "\(link.text)")
        let url = try #require(link.json["url"].string)
        let path = try #require(URLComponents(string: url)?.path)
        #expect(path.hasPrefix("/help/"), "\(url)")
        // 24 random bytes after the prefix: the token is not something anyone guesses.
        #expect((path.split(separator: "/").last?.count ?? 0) >= 4 + 32, "\(path)")
        return path
    }

    @Test("a Chinese customer writing 投诉 is acknowledged at once in Chinese with the number and the reply time; the bot stays out; priority rises")
    func detectedInChinese() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!, locale: "zh-Hans")
                let sent = try await client.say("我要投诉！订单号：2026120112345 提现 5万U 三天了还没到账，你们到底管不管", visitorToken: visitor.token)
                let id = try #require(sent["conversationId"].string)
                let conversation = try await staff.conversation(id)
                let number = try #require(conversation["number"].int)
                #expect(conversation["priority"].string == "high")

                let said = try await Self.messages(client, id, token: staff.owner)
                let ack = try #require(said.first { $0["authorKind"].string == "system" }, "\(said)")
                let text = ack["text"].string ?? ""
                #expect(text.contains("投诉") && text.contains("#\(number)") && text.contains("UTC"), "\(text)")
                #expect(!said.contains { $0["authorKind"].string == "bot" }, "the bot does not answer a complaint")

                let complaint = try await client.call(.get, "/api/v1/conversations/\(id)/complaint", token: staff.owner)
                #expect(complaint.status == .ok, "\(complaint.text)")
                #expect(complaint.json["source"].string == "detected")
                #expect(complaint.json["severity"].string == "major")
                #expect(complaint.json["milestone"].string == "received")
                // What the teams need is read from the message itself.
                #expect(complaint.json["facts"]["amounts"].array.map { $0.string } == ["50000 USDT"], "\(complaint.text)")
                #expect(complaint.json["facts"]["assets"].array.map { $0.string } == ["USDT"])
                #expect(complaint.json["facts"]["orders"].array.map { $0.string } == ["2026120112345"])
                let due = try #require(complaint.json["replyDueAt"].string.flatMap(ISO8601Timestamp.parse))
                // No policy covers complaints: the standard promise of 24 hours.
                #expect(abs(due.timeIntervalSinceNow - 24 * 3600) < 120, "\(due)")
                let events = try await staff.events(id)
                #expect(events.filter { $0["kind"].string == "complaint_opened" }.count == 1)
                // The console's follow-up view reads the mark from the list and from the conversation.
                let listed = try await client.call(.get, "/api/v1/conversations", token: staff.owner).json["items"].array
                #expect(listed.first { $0["id"].string == id }?["complaint"].string == "major")
                #expect(try await staff.conversation(id)["complaint"].string == "major")

                // A second angry message is the same complaint, not another acknowledgement.
                _ = try await client.say("再不处理我就投诉到监管部门", visitorToken: visitor.token)
                #expect(try await Self.messages(client, id, token: staff.owner).filter { $0["authorKind"].string == "system" }.count == 1)

                // The widget sees the customer's complaint (without the team's notes).
                let mine = try await client.call(.get, "/widget/v1/complaints", token: visitor.token)
                #expect(mine.json["items"].array.map { $0["conversationNumber"].int } == [number])
            }
        }
    }

    @Test("a question asked calmly is not a complaint; an agent withdraws a wrong one and triage does not bring it back; admins can turn detection off")
    func withdrawnAndOff() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let calm = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let question = try #require(try await client.say("are the withdrawal fees unacceptable for small amounts?", visitorToken: calm.token)["conversationId"].string)
                #expect(try await client.call(.get, "/api/v1/conversations/\(question)/complaint", token: staff.owner).status == .notFound)

                let angry = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("I want to file a complaint about your support", visitorToken: angry.token)["conversationId"].string)
                let withdrawn = try await client.call(.delete, "/api/v1/conversations/\(id)/complaint", token: staff.owner)
                #expect(withdrawn.status == .ok, "\(withdrawn.text)")
                #expect(withdrawn.json["withdrawnAt"].string != nil)
                _ = try await client.say("I still want to complain", visitorToken: angry.token)
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)/complaint", token: staff.owner).status == .notFound)
                #expect(try await staff.events(id).filter { $0["kind"].string == "complaint_withdrawn" }.count == 1)
                // The agent can mark it again by hand.
                let marked = try await client.call(.post, "/api/v1/conversations/\(id)/complaint", token: staff.owner, json: body(["severity": "minor"]))
                #expect(marked.status == .created, "\(marked.text)")
                #expect(marked.json["source"].string == "agent")
                #expect(try await client.call(.post, "/api/v1/conversations/\(id)/complaint", token: staff.owner, json: "{}").status == .conflict)
                // A closed conversation's customer can no longer be acknowledged there.
                _ = try await client.call(.patch, "/api/v1/conversations/\(question)", token: staff.owner, json: body(["status": "closed"]))
                #expect(try await client.call(.post, "/api/v1/conversations/\(question)/complaint", token: staff.owner, json: "{}").status == .conflict)

                let agent = try await Staff.hired(client, staff, "li")
                #expect(try await client.call(.patch, "/api/v1/complaint-settings", token: agent, json: body(["detect": false])).status == .forbidden)
                let off = try await client.call(.patch, "/api/v1/complaint-settings", token: staff.owner, json: body(["detect": false, "followUpDays": 5]))
                #expect(off.status == .ok && off.json["detect"].bool == false && off.json["followUpDays"].int == 5, "\(off.text)")
                let third = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let quiet = try #require(try await client.say("我要投诉", visitorToken: third.token)["conversationId"].string)
                #expect(try await client.call(.get, "/api/v1/conversations/\(quiet)/complaint", token: staff.owner).status == .notFound)
            }
        }
    }

    @Test("bad complaint input is a 422 naming the field, and nothing is written", arguments: [
        ("mark", #"{"severity": "huge"}"#, "severity"),
        ("escalate", #"{"reason": "needs risk"}"#, "teamId"),
        ("escalate", #"{"teamId": "TEAM", "reason": ""}"#, "reason"),
        ("escalate", #"{"teamId": "00000000-0000-0000-0000-000000000001", "reason": "x"}"#, "teamId"),
        ("resolve", #"{}"#, "summary"),
        ("resolve", #"{"summary": "Please send us your recovery phrase so we can check"}"#, "text"),
        ("patch", #"{"status": "resolved"}"#, "status"),
        ("settings", #"{"followUpDays": 91}"#, "followUpDays"),
        ("settings", #"{"replyHours": 0}"#, "replyHours"),
    ])
    func refused(_ action: String, _ input: String, field: String) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("my withdrawal is late", visitorToken: visitor.token)["conversationId"].string)
                let team = try #require(try await client.call(.post, "/api/v1/teams", token: staff.owner, json: body(["name": "Risk"])).json["id"].string)
                if action != "mark" {
                    #expect(try await client.call(.post, "/api/v1/conversations/\(id)/complaint", token: staff.owner, json: "{}").status == .created)
                }
                let before = try await staff.events(id).count
                let response: APIResponse = switch action {
                case "mark": try await client.call(.post, "/api/v1/conversations/\(id)/complaint", token: staff.owner, json: input)
                case "escalate": try await client.call(.post, "/api/v1/conversations/\(id)/complaint/escalate", token: staff.owner,
                                                       json: input.replacingOccurrences(of: "TEAM", with: team))
                case "resolve": try await client.call(.post, "/api/v1/conversations/\(id)/complaint/resolve", token: staff.owner, json: input)
                case "patch": try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: input)
                default: try await client.call(.patch, "/api/v1/complaint-settings", token: staff.owner, json: input)
                }
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await staff.events(id).count == before, "nothing was written")
                #expect(try await staff.conversation(id)["status"].string == "open")
            }
        }
    }

    @Test("marked, escalated with a reason the team sees, resolved with a summary the customer gets; the progress page follows it; the customer confirms and rates; the check-back comes on its day")
    func endToEnd() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                // Complaints have their own promise: an hour, on the clock.
                let policy = try await client.call(.post, "/api/v1/sla-policies", token: staff.owner, json: body([
                    "name": "Complaints", "conditions": ["complaint": true],
                    "targets": ["nextResponse": ["high": ["seconds": 3600, "businessHours": false], "normal": ["seconds": 3600, "businessHours": false]]],
                ]))
                #expect(policy.status == .created, "\(policy.text)")
                let team = try #require(try await client.call(.post, "/api/v1/teams", token: staff.owner, json: body(["name": "Risk"])).json["id"].string)
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try #require(try await client.say("My withdrawal of 500 USDT never arrived", visitorToken: visitor.token)["conversationId"].string)

                let marked = try await client.call(.post, "/api/v1/conversations/\(id)/complaint", token: staff.owner, json: body(["severity": "major"]))
                #expect(marked.status == .created, "\(marked.text)")
                let due = try #require(marked.json["replyDueAt"].string.flatMap(ISO8601Timestamp.parse))
                #expect(abs(due.timeIntervalSinceNow - 3600) < 120, "the complaints policy's hour, not the standard day: \(due)")
                let ack = try await Self.messages(client, id, token: staff.owner).last { $0["authorKind"].string == "system" }
                #expect(ack?["text"].string?.contains("We have received your complaint") == true)

                let page = try await Self.progressPath(client, visitor: visitor.token)
                let opened = try await client.call(.get, page)
                #expect(opened.status == .ok)
                #expect(opened.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
                #expect(opened.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(opened.text.contains("data-milestone=\"received\""))
                #expect(opened.text.contains("id=\"add-form\""))
                #expect(try await client.call(.get, page + "x").status == .notFound)
                let guessed = page.split(separator: "/").dropLast().joined(separator: "/") + "/kcp_" + String(repeating: "A", count: 32)
                #expect(try await client.call(.get, "/" + guessed).status == .notFound)

                // The customer adds information from the page: it is a message, shielded like any other.
                let added = try await client.call(.post, page, json: "action=add&nonce=n1&text=tx+0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060")
                #expect(added.status == .seeOther, "\(added.text)")
                _ = try await client.call(.post, page, json: "action=add&nonce=n1&text=tx+0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060")
                #expect(try await Self.messages(client, id, token: staff.owner).filter { ($0["text"].string ?? "").hasPrefix("tx 0x5c50") }.count == 1,
                        "the form's nonce makes a double submit one message")
                let foreign = try await client.call(.post, page, json: "action=confirm", headers: [.origin: "https://evil.example"])
                #expect(foreign.status == .forbidden)

                let escalated = try await client.call(.post, "/api/v1/conversations/\(id)/complaint/escalate", token: staff.owner,
                                                      json: body(["teamId": team, "reason": "Withdrawal stuck in the hot wallet: needs chain operations"]))
                #expect(escalated.status == .ok, "\(escalated.text)")
                #expect(escalated.json["milestone"].string == "escalated")
                #expect(escalated.json["replyDueAt"].string == marked.json["replyDueAt"].string, "the complaint keeps its clock")
                let conversation = try await staff.conversation(id)
                #expect(conversation["teamId"].string == team)
                let said = try await Self.messages(client, id, token: staff.owner)
                #expect(said.contains { $0["private"].bool == true && ($0["text"].string ?? "").contains("needs chain operations") }, "the team reads why")
                let register = try await client.call(.get, "/api/v1/complaints?state=escalated", token: staff.owner)
                #expect(register.json["items"].array.map { $0["conversationId"].string } == [id])
                #expect(register.json["items"][0]["escalationReason"].string?.contains("chain operations") == true)
                let customerView = try await client.call(.get, "/widget/v1/complaints", token: visitor.token)
                #expect(customerView.json["items"][0]["milestone"].string == "escalated")
                #expect(customerView.json["items"][0]["escalationReason"].isNull, "the customer does not see the team's reasons")
                #expect(try await client.call(.get, page).text.contains("data-milestone=\"escalated\""))

                let resolved = try await client.call(.post, "/api/v1/conversations/\(id)/complaint/resolve", token: staff.owner,
                                                     json: body(["summary": "The withdrawal was re-sent and has arrived; the fee is refunded."]))
                #expect(resolved.status == .ok, "\(resolved.text)")
                #expect(resolved.json["status"].string == "resolved")
                #expect(resolved.json["milestone"].string == "resolved")
                let outcome = try await Self.messages(client, id, token: staff.owner).last { $0["authorKind"].string == "agent" && $0["private"].bool == false }
                #expect(outcome?["text"].string?.contains("the fee is refunded") == true)
                #expect(try await staff.events(id).contains { $0["kind"].string == "rating_requested" }, "a resolved complaint asks for a rating")
                #expect(try await client.call(.get, "/api/v1/complaints", token: staff.owner).json["items"].array.isEmpty, "no longer open")

                let after = try await client.call(.get, page)
                #expect(after.text.contains("the fee is refunded") && after.text.contains("id=\"confirm-form\"") && after.text.contains("id=\"rate-form\""))
                #expect(after.text.contains("id=\"reopen-form\"") && !after.text.contains("id=\"add-form\""))
                #expect(try await client.call(.post, page, json: "action=rate&rating=9").status == .unprocessableContent)
                #expect(try await client.call(.post, page, json: "action=rate&rating=4&comment=quick+enough").status == .seeOther)
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor.token).json["rating"].int == 4)
                #expect(try await client.call(.post, page, json: "action=confirm").status == .seeOther)
                #expect(try await staff.events(id).contains { $0["kind"].string == "complaint_confirmed" })
                #expect(try await client.call(.get, page).text.contains("id=\"confirmed\""))

                // A confirmed complaint needs no check-back; a new one resolved without confirming gets it on its day.
                let other = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let second = try #require(try await client.say("我要投诉，转账一直没到", visitorToken: other.token)["conversationId"].string)
                #expect(try await client.call(.post, "/api/v1/conversations/\(second)/complaint/resolve", token: staff.owner,
                                              json: body(["summary": "已为您补发，请查收。"])).status == .ok)
                let settings = try await client.call(.get, "/api/v1/complaint-settings", token: staff.owner)
                let days = try #require(settings.json["followUpDays"].int)
                desk.configuration.clock.advance(by: Double(days) * 86_400 + 60)
                #expect(try await eventually { try await staff.events(second).contains { $0["kind"].string == "complaint_follow_up" } })
                let checkBack = try await Self.messages(client, second, token: staff.owner).last
                #expect(checkBack?["text"].string?.contains("现在一切都正常了吗") == true, "\(String(describing: checkBack))")
                #expect(try await staff.events(id).contains { $0["kind"].string == "complaint_follow_up" } == false)
                // The customer answers the check-back: the complaint is open again.
                _ = try await client.say("还是没有到账", visitorToken: other.token)
                #expect(try await staff.conversation(second)["status"].string == "open")
                #expect(try await client.call(.get, "/api/v1/complaints", token: staff.owner).json["items"].array.map { $0["conversationId"].string } == [second])
            }
        }
    }

    @Test("three 'not a complaint's for the same phrase teach the workspace to ignore it; other phrases still open complaints; an admin can clear it")
    func learnsFromWithdrawals() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                func customer(_ text: String) async throws -> String {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    return try #require(try await client.say(text, visitorToken: visitor.token)["conversationId"].string)
                }
                var learned: [String] = []
                for round in 1...3 {
                    let id = try await customer("the old version of your app is useless!!!")
                    #expect(try await staff.conversation(id)["complaint"].string == "minor", "round \(round): read as a complaint")
                    let withdrawn = try await client.call(.delete, "/api/v1/conversations/\(id)/complaint", token: staff.owner)
                    #expect(withdrawn.status == .ok, "\(withdrawn.text)")
                    learned = withdrawn.json["learnedToIgnore"].array.compactMap(\.string)
                    if round < 3 { #expect(learned.isEmpty, "round \(round): \(withdrawn.text)") }
                }
                #expect(learned == ["useless"])
                let settings = try await client.call(.get, "/api/v1/complaint-settings", token: staff.owner)
                #expect(settings.json["ignoredPhrases"].array.compactMap(\.string) == ["useless"], "\(settings.text)")

                let quiet = try await customer("the old version of your app is useless!!!")
                #expect(try await staff.conversation(quiet)["complaint"].isNull, "the phrase alone no longer opens a complaint")
                let heard = try await customer("useless!!! I want to file a complaint")
                #expect(try await staff.conversation(heard)["complaint"].string == "major", "another phrase is still heard")

                let unknown = try await client.call(.patch, "/api/v1/complaint-settings", token: staff.owner, json: body(["ignoredPhrases": ["nonsense words"]]))
                #expect(unknown.status == .unprocessableContent && unknown.text.contains("ignoredPhrases"), "\(unknown.text)")
                let cleared = try await client.call(.patch, "/api/v1/complaint-settings", token: staff.owner, json: body(["ignoredPhrases": [String]()]))
                #expect(cleared.json["ignoredPhrases"].array.isEmpty, "\(cleared.text)")
                let again = try await customer("the old version of your app is useless!!!")
                #expect(try await staff.conversation(again)["complaint"].string == "minor", "cleared: heard again")
                // The evidence before the clearing does not count again: one more undo teaches nothing yet.
                let undo = try await client.call(.delete, "/api/v1/conversations/\(again)/complaint", token: staff.owner)
                #expect(undo.json["learnedToIgnore"].array.isEmpty, "\(undo.text)")
            }
        }
    }
}

extension Staff {
    /// Hires an agent and signs them in.
    static func hired(_ client: any TestClientProtocol, _ staff: Staff, _ name: String) async throws -> String {
        var staff = staff
        try await staff.hire(name, capacity: 5)
        return try await client.signIn("\(name)@acme.test", password: "longenough1")
    }
}
