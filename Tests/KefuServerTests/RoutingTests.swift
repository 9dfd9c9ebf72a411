import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Routing new conversations to online agents")
struct RoutingTests {
    @Test("new conversations alternate between the inbox's online agents; away agents and other inboxes' agents get none")
    func alternatesAmongOnlineMembers() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                var agents: [String: String] = [:]
                for name in ["li", "mei", "away"] {
                    let created = try await client.call(.post, "/api/v1/agents", token: owner,
                                                        json: body(["email": "\(name)@acme.test", "name": name, "password": "longenough1"]))
                    agents[name] = created.json["id"].string!
                    let token = try await client.signIn("\(name)@acme.test", password: "longenough1")
                    let availability = name == "away" ? "away" : "online"
                    let changed = try await client.call(.patch, "/api/v1/agents/\(agents[name]!)", token: token, json: body(["availability": availability]))
                    #expect(changed.json["availability"].string == availability)
                }
                let inboxes = try await client.call(.get, "/api/v1/inboxes", token: owner).json["items"].array
                let widgetID = try #require(inboxes.first { $0["kind"].string == "widget" }?["id"].string)
                let members = try await client.call(.patch, "/api/v1/inboxes/\(widgetID)", token: owner,
                                                    json: body(["agentIds": [agents["li"]!, agents["mei"]!, agents["away"]!]]))
                #expect(members.json["agentIds"].array.count == 3)

                var assignees: [String] = []
                for index in 0..<4 {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    let id = try await client.say("q\(index)", visitorToken: visitor.token)["conversationId"].string!
                    let conversation = try await client.call(.get, "/api/v1/conversations/\(id)", token: owner)
                    assignees.append(conversation.json["assigneeId"].string ?? "none")
                    let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: owner).json["items"].array
                    #expect(events.contains { $0["kind"].string == "assigned" && $0["data"]["reason"].string == "lowest_load" })
                }
                #expect(assignees.filter { $0 == agents["li"] }.count == 2)
                #expect(assignees.filter { $0 == agents["mei"] }.count == 2)
                #expect(assignees[0] != assignees[1] && assignees[1] != assignees[2])
            }
        }
    }

    @Test("a conversation goes to an online agent who speaks its language, when there is one")
    func languageFirst() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                var agents: [String: String] = [:]
                for (name, locale) in [("li", "zh-CN"), ("sam", "en")] {
                    let created = try await client.call(.post, "/api/v1/agents", token: owner,
                                                        json: body(["email": "\(name)@acme.test", "name": name, "password": "longenough1"]))
                    agents[name] = created.json["id"].string!
                    let token = try await client.signIn("\(name)@acme.test", password: "longenough1")
                    _ = try await client.call(.patch, "/api/v1/agents/\(agents[name]!)", token: token, json: body(["availability": "online", "locale": locale]))
                }
                func assignee(of text: String) async throws -> (String?, String?) {
                    let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                    let id = try await client.say(text, visitorToken: visitor.token)["conversationId"].string!
                    let events = try await client.call(.get, "/api/v1/conversations/\(id)/events", token: owner).json["items"].array
                    let assigned = events.first { $0["kind"].string == "assigned" }
                    return (assigned?["data"]["assigneeId"].string, assigned.map { "\($0["data"]["reason"].string ?? "") \($0["data"]["language"].string ?? "")" })
                }
                for text in ["我的提币一直没有到账，请帮我看看", "转账显示成功但是钱包里没有", "USDT 提币 pending 好几个小时了"] {
                    let (picked, reason) = try await assignee(of: text)
                    #expect(picked == agents["li"], "\(text)")
                    #expect(reason == "lowest_load zh")
                }
                let (picked, reason) = try await assignee(of: "My withdrawal has been pending for hours, please help")
                #expect(picked == agents["sam"])
                #expect(reason == "lowest_load en")
            }
        }
    }

    @Test("with nobody online a conversation waits unassigned")
    func nobodyOnline() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let id = try await client.say("anyone?", visitorToken: visitor.token)["conversationId"].string!
                let owner = try await client.signIn("owner@acme.test")
                #expect(try await client.call(.get, "/api/v1/conversations/\(id)", token: owner).json["assigneeId"].isNull)
                #expect(try await client.call(.get, "/api/v1/conversations?assigneeId=none", token: owner).json["items"].array.count == 1)
            }
        }
    }
}
