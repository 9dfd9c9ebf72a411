import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Satisfaction: customers rate resolutions, and ratings credit the agents who replied")
struct SatisfactionSurveyTests {
    /// A customer's conversation answered by Li (and by Wang when `both`), then resolved.
    static func resolved(_ client: any TestClientProtocol, _ staff: Staff, token: String, both: Bool = false) async throws -> (conversation: String, visitor: String) {
        let visitor = try await client.visitor(inboxToken: token, locale: "zh-Hans")
        let id = try #require(try await client.say("我的提现还没到账", visitorToken: visitor.token)["conversationId"].string)
        for name in both ? ["li", "wang"] : ["li"] {
            let agent = try await client.signIn("\(name)@acme.test", password: "longenough1")
            let reply = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: agent, json: body(["text": "已经帮您查询，请稍候"]))
            #expect(reply.status == .created, "\(reply.text)")
        }
        let note = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: staff.owner, json: body(["text": "internal", "private": true]))
        #expect(note.status == .created)
        let done = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
        #expect(done.status == .ok, "\(done.text)")
        return (id, visitor.token)
    }

    @Test("a resolve asks the customer once; the rating is an event crediting every agent who replied publicly; a low one raises a follow-up; it can be changed")
    func rateAndCredit() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                try await staff.hire("wang", capacity: 5)
                let (id, visitor) = try await Self.resolved(client, staff, token: workspace.widgetPublicToken!, both: true)
                #expect(try await staff.events(id).filter { $0["kind"].string == "rating_requested" }.count == 1)

                let pending = try await client.call(.get, "/widget/v1/survey", token: visitor)
                #expect(pending.status == .ok, "\(pending.text)")
                #expect(pending.json["conversationId"].string == id)
                #expect(pending.json["rating"].isNull)
                #expect(Set(pending.json["agentIds"].array.compactMap(\.string)) == Set([staff.ids["li"]!, staff.ids["wang"]!]), "the owner's private note credits nobody")

                let low = try await client.call(.post, "/widget/v1/survey", token: visitor, json: body(["rating": 2, "comment": "等了太久"]))
                #expect(low.status == .ok, "\(low.text)")
                #expect(low.json["rating"].int == 2)
                let events = try await staff.events(id)
                let rated = try #require(events.first { $0["kind"].string == "rated" })
                #expect(rated["data"]["rating"].string == "2")
                #expect(Set((rated["data"]["agentIds"].string ?? "").split(separator: ",").map(String.init)) == Set([staff.ids["li"]!, staff.ids["wang"]!]))
                #expect(events.filter { $0["kind"].string == "low_rating" }.count == 1)
                #expect(try await staff.conversation(id)["rating"].int == 2, "the low-rating view reads the latest rating")

                // Changed within the week: the new rating counts; 2 → 1 is not a second follow-up.
                _ = try await client.call(.post, "/widget/v1/survey", token: visitor, json: body(["rating": 1]))
                let changed = try await client.call(.post, "/widget/v1/survey", token: visitor, json: body(["rating": 5, "comment": "问题解决了"]))
                #expect(changed.json["rating"].int == 5)
                #expect(try await staff.events(id).filter { $0["kind"].string == "low_rating" }.count == 1)
                #expect(try await staff.events(id).filter { $0["kind"].string == "rated" }.last?["data"]["previous"].string == "1")

                let list = try await client.call(.get, "/api/v1/ratings", token: staff.owner)
                #expect(list.json["items"].array.map { $0["rating"].int } == [5])
                #expect(list.json["items"][0]["conversationNumber"].int != nil)
                #expect(list.json["asked"].int == 1 && list.json["answered"].int == 1)
                #expect(list.json["csat"].value as? Double == 1.0)
                #expect(try await client.call(.get, "/api/v1/ratings?rating=low", token: staff.owner).json["items"].array.isEmpty)
                #expect(try await client.call(.get, "/api/v1/ratings?agentId=\(staff.ids["wang"]!)", token: staff.owner).json["items"].array.count == 1)
                #expect(try await client.call(.get, "/api/v1/ratings?agentId=\(UUID().uuidString)", token: staff.owner).json["items"].array.isEmpty)

                // Reopened and resolved again: a new cycle, a new survey.
                _ = try await client.say("又出问题了", visitorToken: visitor)
                #expect(try await staff.conversation(id)["status"].string == "open")
                // Only a cycle with a person's reply in it is rated.
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await staff.events(id).filter { $0["kind"].string == "rating_requested" }.count == 1)
                _ = try await client.say("还是不行", visitorToken: visitor)
                let li = try await client.signIn("li@acme.test", password: "longenough1")
                _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: li, json: body(["text": "我再帮您看看"]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await staff.events(id).filter { $0["kind"].string == "rating_requested" }.count == 2)
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor).json["rating"].isNull)
            }
        }
    }

    @Test("bad ratings are 422s naming the field; no survey open is a 404; nothing is written", arguments: [
        (#"{"rating": 0}"#, "rating"), (#"{"rating": 6}"#, "rating"), (#"{"comment": "no score"}"#, "rating"),
        (#"{"rating": 3, "comment": "\#(String(repeating: "长", count: 1001))"}"#, "comment"),
    ])
    func refused(_ input: String, field: String) async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let fresh = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                #expect(try await client.call(.post, "/widget/v1/survey", token: fresh.token, json: body(["rating": 4])).status == .notFound)
                let (_, visitor) = try await Self.resolved(client, staff, token: workspace.widgetPublicToken!)
                let response = try await client.call(.post, "/widget/v1/survey", token: visitor, json: input)
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(response.text)")
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor).json["rating"].isNull)
            }
        }
    }

    @Test("a rating link opens a page that never votes by itself; the customer confirms the score; a newer link ends the older one; it closes with the survey")
    func ratingLink() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let fresh = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let unrated = try #require(try await client.say("hello", visitorToken: fresh.token)["conversationId"].string)
                #expect(try await client.call(.post, "/api/v1/conversations/\(unrated)/rating-link", token: staff.owner).status == .notFound)
                let (id, visitor) = try await Self.resolved(client, staff, token: workspace.widgetPublicToken!)
                let made = try await client.call(.post, "/api/v1/conversations/\(id)/rating-link", token: staff.owner)
                #expect(made.status == .created, "\(made.text)")
                let path = try #require(made.json["url"].string.flatMap { URLComponents(string: $0)?.path })
                #expect(path.contains("/r/ksr_"))

                // Opening it, as a mail scanner does, records nothing; a score in the link is only preselected.
                let opened = try await client.call(.get, path + "?score=4&lang=zh-Hans")
                #expect(opened.status == .ok)
                #expect(opened.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex, nofollow")
                #expect(opened.text.contains("value=\"4\" checked"))
                #expect(opened.text.contains("非常不满意"), "each score is named: \(opened.text)")
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor).json["rating"].isNull)
                #expect(try await staff.events(id).contains { $0["kind"].string == "rated" } == false)

                #expect(try await client.call(.post, path, json: "rating=9").status == .unprocessableContent)
                let voted = try await client.call(.post, path, json: "rating=4&comment=%E5%BE%88%E5%A5%BD")
                #expect(voted.status == .seeOther, "\(voted.text)")
                let survey = try await client.call(.get, "/widget/v1/survey", token: visitor).json
                #expect(survey["rating"].int == 4 && survey["comment"].string == "很好")
                #expect(try await client.call(.post, path, json: "rating=5", headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]).status == .forbidden)

                let newer = try #require(try await client.call(.post, "/api/v1/conversations/\(id)/rating-link", token: staff.owner).json["url"].string
                    .flatMap { URLComponents(string: $0)?.path })
                #expect(try await client.call(.get, path).status == .notFound, "a newer link ends the older one")
                #expect(try await client.call(.get, newer).status == .ok)
                desk.configuration.clock.advance(by: 7 * 86_400 + 60)
                #expect(try await client.call(.get, newer).status == .notFound)
                #expect(try await client.call(.post, newer, json: "rating=1").status == .notFound)
                #expect(try await client.call(.get, "/" + path.split(separator: "/").dropLast().joined(separator: "/") + "/ksr_nothing").status == .notFound)
            }
        }
    }

    @Test("answers are taken for seven days on the desk's clock; a week later the survey is closed and nothing is written")
    func closesAfterAWeek() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let (id, visitor) = try await Self.resolved(client, staff, token: workspace.widgetPublicToken!)
                let closes = try #require(try await client.call(.get, "/widget/v1/survey", token: visitor).json["closesAt"].string.flatMap(ISO8601Timestamp.parse))
                #expect(abs(closes.timeIntervalSince(desk.configuration.clock.now()) - 7 * 86_400) < 120)
                desk.configuration.clock.advance(by: 6 * 86_400)
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor).status == .ok)
                desk.configuration.clock.advance(by: 86_400 + 60)
                #expect(try await client.call(.get, "/widget/v1/survey", token: visitor).status == .notFound)
                #expect(try await client.call(.post, "/widget/v1/survey", token: visitor, json: body(["rating": 5])).status == .notFound)
                #expect(try await staff.events(id).contains { $0["kind"].string == "rated" } == false)
            }
        }
    }

    @Test("not asked after a resolve without a person's reply, nor twice within the quiet days; admins set the rules")
    func rules() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                // Nobody replied: nothing to rate a person on.
                let silent = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let quiet = try #require(try await client.say("hello", visitorToken: silent.token)["conversationId"].string)
                _ = try await client.call(.patch, "/api/v1/conversations/\(quiet)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await staff.events(quiet).contains { $0["kind"].string == "rating_requested" } == false)

                let li = try await client.signIn("li@acme.test", password: "longenough1")
                #expect(try await client.call(.patch, "/api/v1/satisfaction", token: li, json: body(["quietDays": 30])).status == .forbidden)
                #expect(try await client.call(.patch, "/api/v1/satisfaction", token: staff.owner, json: body(["quietDays": 400])).status == .unprocessableContent)
                let set = try await client.call(.patch, "/api/v1/satisfaction", token: staff.owner, json: body(["quietDays": 30]))
                #expect(set.json["quietDays"].int == 30 && set.json["enabled"].bool == true, "\(set.text)")

                let (id, visitor) = try await Self.resolved(client, staff, token: workspace.widgetPublicToken!)
                #expect(try await staff.events(id).contains { $0["kind"].string == "rating_requested" })
                _ = try await client.say("one more thing", visitorToken: visitor)
                let li2 = try await client.signIn("li@acme.test", password: "longenough1")
                _ = try await client.call(.post, "/api/v1/conversations/\(id)/messages", token: li2, json: body(["text": "sure"]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(id)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await staff.events(id).filter { $0["kind"].string == "rating_requested" }.count == 1, "asked again within 30 days")

                _ = try await client.call(.patch, "/api/v1/satisfaction", token: staff.owner, json: body(["enabled": false]))
                #expect(try await client.call(.get, "/api/v1/satisfaction", token: li).json["enabled"].bool == false)
            }
        }
    }
}

@Suite("Net promoter score: off by default; once on, asked with a resolution at most every 90 days per customer")
struct RecommendationSurveyTests {
    @Test("off until an admin turns it on; then asked with the resolution, answered 0–10 in the widget, scored for the team, not asked again for 90 days")
    func askAnswerAndScore() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                var staff = try await Staff(client)
                try await staff.hire("li", capacity: 5)
                let settings = try await client.call(.get, "/api/v1/satisfaction", token: staff.owner)
                #expect(settings.json["npsEnabled"].bool == false && settings.json["npsIntervalDays"].int == 90, "\(settings.text)")
                let (first, visitor) = try await SatisfactionSurveyTests.resolved(client, staff, token: workspace.widgetPublicToken!)
                #expect(try await client.call(.get, "/widget/v1/nps", token: visitor).status == .notFound, "off by default: nobody is asked")

                let on = try await client.call(.patch, "/api/v1/satisfaction", token: staff.owner, json: body(["npsEnabled": true]))
                #expect(on.json["npsEnabled"].bool == true && on.json["enabled"].bool == true, "\(on.text)")
                // The same customer writes again; resolved again, they are asked now.
                _ = try await client.say("还有一个问题", visitorToken: visitor)
                let li = try await client.signIn("li@acme.test", password: "longenough1")
                _ = try await client.call(.post, "/api/v1/conversations/\(first)/messages", token: li, json: body(["text": "好的"]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(first)", token: staff.owner, json: body(["status": "resolved"]))
                let pending = try await client.call(.get, "/widget/v1/nps", token: visitor)
                #expect(pending.status == .ok && pending.json["score"].isNull, "\(pending.text)")

                let bad = try await client.call(.post, "/widget/v1/nps", token: visitor, json: body(["score": 11]))
                #expect(bad.status == .unprocessableContent && bad.text.contains("score"), "\(bad.text)")
                let answered = try await client.call(.post, "/widget/v1/nps", token: visitor, json: body(["score": 6, "comment": "到账太慢"]))
                #expect(answered.status == .ok && answered.json["group"].string == "detractor", "\(answered.text)")
                let changed = try await client.call(.post, "/widget/v1/nps", token: visitor, json: body(["score": 9]))
                #expect(changed.json["score"].int == 9 && changed.json["group"].string == "promoter")
                let event = try #require(try await staff.events(first).last { $0["kind"].string == "nps_answered" })
                #expect(event["data"]["score"].string == "9" && event["data"]["previous"].string == "6")

                // A second customer, a detractor: the score is promoters' share minus detractors'.
                let (second, other) = try await SatisfactionSurveyTests.resolved(client, staff, token: workspace.widgetPublicToken!)
                _ = try await client.call(.post, "/widget/v1/nps", token: other, json: body(["score": 3]))
                let summary = try await client.call(.get, "/api/v1/nps", token: staff.owner)
                #expect(summary.json["score"].int == 0 && summary.json["promoters"].int == 1 && summary.json["detractors"].int == 1, "\(summary.text)")
                #expect(summary.json["answered"].int == 2 && summary.json["asked"].int == 2)
                #expect(summary.json["items"].array.map { $0["conversationId"].string } == [second, first])

                // Within 90 days the first customer is not asked again, though the rating survey is.
                _ = try await client.say("再问一下", visitorToken: visitor)
                _ = try await client.call(.post, "/api/v1/conversations/\(first)/messages", token: li, json: body(["text": "好的"]))
                _ = try await client.call(.patch, "/api/v1/conversations/\(first)", token: staff.owner, json: body(["status": "resolved"]))
                #expect(try await client.call(.get, "/api/v1/nps", token: staff.owner).json["asked"].int == 2)
                #expect(try await staff.events(first).filter { $0["kind"].string == "rating_requested" }.count == 3)

                let wrong = try await client.call(.patch, "/api/v1/satisfaction", token: staff.owner, json: body(["npsIntervalDays": 7]))
                #expect(wrong.status == .unprocessableContent && wrong.text.contains("npsIntervalDays"), "\(wrong.text)")
                #expect(try await client.call(.get, "/api/v1/nps?days=0", token: staff.owner).status == .badRequest)
            }
        }
    }
}
