import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Official channels")
struct OfficialChannelsTests {
    static func add(_ client: any TestClientProtocol, _ token: String, _ kind: String, _ value: String, label: String? = nil) async throws -> APIResponse {
        var fields: [String: Any] = ["kind": kind, "value": value]
        if let label { fields["label"] = label }
        return try await client.call(.post, "/api/v1/official-channels", token: token, json: body(fields))
    }

    @Test("admins add, list and delete channels; values are stored normalised")
    func crud() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let site = try await Self.add(client, owner, "domain", "https://WWW.Kefu.com/help?x=1", label: "Main site")
                #expect(site.status == .created)
                #expect(site.json["value"].string == "www.kefu.com")
                #expect(site.json["label"].string == "Main site")
                #expect(try await Self.add(client, owner, "domain", "例子.com").json["value"].string == "xn--fsqu00a.com")
                #expect(try await Self.add(client, owner, "email", "Support@Kefu.com").json["value"].string == "support@kefu.com")
                #expect(try await Self.add(client, owner, "telegram", "@Kefu_Support").json["value"].string == "kefu_support")
                #expect(try await Self.add(client, owner, "telegram", "https://t.me/kefu_news").json["value"].string == "kefu_news")
                #expect(try await Self.add(client, owner, "agent_id", "kf-1024").json["value"].string == "KF-1024")

                let again = try await Self.add(client, owner, "telegram", "kefu_support")
                #expect(again.status == .conflict)
                #expect(again.isProblem)

                let list = try await client.call(.get, "/api/v1/official-channels", token: owner)
                #expect(list.status == .ok)
                #expect(list.json["items"].array.map { $0["value"].string ?? "" } == ["www.kefu.com", "xn--fsqu00a.com", "support@kefu.com", "kefu_support", "kefu_news", "KF-1024"])

                let id = try #require(site.json["id"].string)
                #expect(try await client.call(.delete, "/api/v1/official-channels/\(id)", token: owner).status == .noContent)
                #expect(try await client.call(.delete, "/api/v1/official-channels/\(id)", token: owner).status == .notFound)
                #expect(try await client.call(.delete, "/api/v1/official-channels/not-a-uuid", token: owner).status == .notFound)
                let after = try await client.call(.get, "/api/v1/official-channels", token: owner)
                #expect(after.json["items"].array.count == 5)
            }
        }
    }

    @Test("each kind is validated strictly, with a problem naming the field, and nothing is written",
          arguments: [
              ("domain", "kefu"), ("domain", "kefu .com"), ("domain", "ftp://kefu.com"), ("domain", "kefu.com:8080"),
              ("domain", "192.168.1.1"), ("domain", "-kefu.com"), ("domain", "kefu..com"), ("domain", ""),
              ("email", "support"), ("email", "support@kefu"), ("email", "a b@kefu.com"), ("email", "@kefu.com"),
              ("telegram", "@abc"), ("telegram", "kefu-support"), ("telegram", String(repeating: "a", count: 33)),
              ("agent_id", "KF 1024"), ("agent_id", "-KF"), ("website", "kefu.com"),
          ])
    func validation(kind: String, value: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let response = try await Self.add(client, owner, kind, value)
                #expect(response.status == .unprocessableContent, "\(kind) \(value): \(response.text)")
                #expect(response.isProblem)
                #expect(response.json["errors"].array.contains { ["value", "kind"].contains($0["field"].string ?? "") })
                #expect(try await client.call(.get, "/api/v1/official-channels", token: owner).json["items"].array.isEmpty)
            }
        }
    }

    @Test("malformed bodies are 400, never 500")
    func malformedBodies() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                #expect(try await client.call(.post, "/api/v1/official-channels", token: owner, json: "{").status == .badRequest)
                #expect(try await client.call(.post, "/api/v1/official-channels", token: owner, json: "{\"kind\":\"domain\"}").status == .badRequest)
                #expect(try await client.call(.post, "/api/v1/official-channels", token: owner, json: "{\"kind\":1,\"value\":\"a.com\"}").status == .badRequest)
            }
        }
    }

    @Test("agents may read the list but only owners and admins change it")
    func roles() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let created = try await client.call(.post, "/api/v1/agents", token: owner,
                                                    json: body(["email": "agent@acme.test", "name": "Ann", "password": TestDesk.password, "role": "agent"]))
                #expect(created.status == .created)
                let agent = try await client.signIn("agent@acme.test")
                let site = try await Self.add(client, owner, "domain", "kefu.com")
                #expect(try await Self.add(client, agent, "domain", "evil.com").status == .forbidden)
                #expect(try await client.call(.delete, "/api/v1/official-channels/\(site.json["id"].string!)", token: agent).status == .forbidden)
                let list = try await client.call(.get, "/api/v1/official-channels", token: agent)
                #expect(list.status == .ok)
                #expect(list.json["items"].array.map { $0["value"].string ?? "" } == ["kefu.com"])
                #expect(try await client.call(.get, "/api/v1/official-channels").status == .unauthorized)
            }
        }
    }

    @Test("the console's settings page edits the list for admins, shows it to agents, and sends strangers to sign in")
    func settingsPage() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let stranger = try await client.call(.get, "/console/channels")
                #expect(stranger.status == .seeOther)
                #expect(stranger.headers[.location] == "/console")
                let owner = try await client.signIn("owner@acme.test")
                _ = try await client.call(.post, "/api/v1/agents", token: owner,
                                          json: body(["email": "agent@acme.test", "name": "Ann", "password": TestDesk.password, "role": "agent"]))
                let agent = try await client.signIn("agent@acme.test")
                let ownerPage = try await client.call(.get, "/console/channels?lang=zh-Hans", headers: [.cookie: "kefu_session=\(owner)"])
                #expect(ownerPage.status == .ok)
                #expect(ownerPage.text.contains("id=\"channel-form\""))
                #expect(ownerPage.text.contains("官方渠道"))
                #expect(ownerPage.text.contains("href=\"/help/acme/verify\""))
                let agentPage = try await client.call(.get, "/console/channels", headers: [.cookie: "kefu_session=\(agent)", .acceptLanguage: "en"])
                #expect(agentPage.status == .ok)
                #expect(!agentPage.text.contains("id=\"channel-form\""))
                #expect(agentPage.text.contains("Only owners and admins can change this list."))
            }
        }
    }

    @Test("the widget's English wordlist is public, cacheable and complete")
    func wordlist() async throws {
        try await withDesk { desk in
            try await withApp(desk) { client in
                let list = try await client.call(.get, "/widget/v1/wordlists/english.txt")
                #expect(list.status == .ok)
                #expect(list.headers[.accessControlAllowOrigin] == "*")
                #expect(list.headers[.cacheControl]?.contains("max-age") == true)
                let words = list.text.split(separator: "\n")
                #expect(words.count == 2048)
                #expect(words.first == "abandon" && words.last == "zoo")
            }
        }
    }

    @Test("one workspace never sees or deletes another's channels")
    func isolation() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let alpha = try await client.signIn("owner@alpha.test")
                let beta = try await client.signIn("owner@beta.test")
                let alphaSite = try await Self.add(client, alpha, "domain", "alpha.com")
                _ = try await Self.add(client, beta, "domain", "beta.com")
                // The same value may be official for two workspaces.
                #expect(try await Self.add(client, beta, "domain", "alpha.com").status == .created)
                let betaList = try await client.call(.get, "/api/v1/official-channels", token: beta)
                #expect(betaList.json["items"].array.map { $0["value"].string ?? "" } == ["beta.com", "alpha.com"])
                #expect(!betaList.text.contains(alphaSite.json["id"].string!))
                #expect(try await client.call(.delete, "/api/v1/official-channels/\(alphaSite.json["id"].string!)", token: beta).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/official-channels", token: alpha).json["items"].array.count == 1)
            }
        }
    }
}
