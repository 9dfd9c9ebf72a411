import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("The glossary: shipped with every workspace, edited by admins, offered in the composer")
struct GlossaryTests {
    @Test("a new workspace has the standard glossary; a draft's terms come back with their plain explanation, first use first")
    func standardAndScan() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let list = try await client.call(.get, "/api/v1/glossary", token: staff.owner)
                let keys = list.json["items"].array.compactMap { $0["key"].string }
                #expect(keys.count == (try Glossary.standard().count))
                #expect(keys.contains("gas") && keys.contains("seed_phrase") && keys.contains("slippage"))
                let scan = try await client.call(.post, "/api/v1/glossary/scan", token: staff.owner,
                                                 json: body(["text": "您的矿工费设置太低，交易还在等待链上确认"]))
                #expect(scan.status == .ok, "\(scan.text)")
                #expect(scan.json["items"].array.compactMap { $0["key"].string } == ["gas", "confirmations"])
                #expect(scan.json["items"][0]["explanation"]["zh-Hans"].string?.contains("区块链网络") == true)
                #expect(try await client.call(.post, "/api/v1/glossary/scan", token: staff.owner, json: "{}").status == .unprocessableContent)
            }
        }
    }

    @Test("owners and admins add, change and delete terms; agents read them; bad terms are 422s naming the field")
    func editing() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let staff = try await Staff(client)
                let li = try await Staff.hired(client, staff, "li")
                let term: [String: Any] = ["terms": ["staking", "质押"], "explanation": ["en": "locking coins to help run a network for a reward", "zh-Hans": "锁定代币帮助网络运行并获得奖励"]]
                #expect(try await client.call(.post, "/api/v1/glossary", token: li, json: body(term)).status == .forbidden)
                let created = try await client.call(.post, "/api/v1/glossary", token: staff.owner, json: body(term))
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"].string)
                #expect(try await client.call(.post, "/api/v1/glossary", token: staff.owner, json: body(term)).status == .unprocessableContent, "twice")
                let scanned = try await client.call(.post, "/api/v1/glossary/scan", token: li, json: body(["text": "你可以选择质押"]))
                #expect(scanned.json["items"].array.compactMap { $0["key"].string } == ["staking"], "the workspace's own term is found at once")
                let changed = try await client.call(.patch, "/api/v1/glossary/\(id)", token: staff.owner, json: body(["terms": ["staking", "质押", "锁仓"]]))
                #expect(changed.json["terms"].array.count == 3)
                #expect(try await client.call(.post, "/api/v1/glossary/scan", token: li, json: body(["text": "锁仓多久"])).json["items"].array.count == 1)
                for (bad, field) in [(["terms": [], "explanation": ["en": "x", "zh-Hans": "x"]], "terms"),
                                     (["terms": ["x"], "explanation": ["en": "x"]], "explanation.zh-Hans")] as [([String: Any], String)] {
                    let refused = try await client.call(.post, "/api/v1/glossary", token: staff.owner, json: body(bad))
                    #expect(refused.status == .unprocessableContent)
                    #expect(refused.json["errors"].array.contains { $0["field"].string == field }, "\(refused.text)")
                }
                #expect(try await client.call(.delete, "/api/v1/glossary/\(id)", token: staff.owner).status == .noContent)
                #expect(try await client.call(.post, "/api/v1/glossary/scan", token: li, json: body(["text": "锁仓多久"])).json["items"].array.isEmpty)
            }
        }
    }
}
