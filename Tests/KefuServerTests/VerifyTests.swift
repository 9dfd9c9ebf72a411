import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Verify an official channel")
struct VerifyTests {
    /// Acme (slug "acme") with a site, a support address, a Telegram account and an agent code.
    static func seed(_ client: any TestClientProtocol) async throws -> String {
        let owner = try await client.signIn("owner@acme.test")
        for (kind, value, label) in [("domain", "kefu.com", "Main site"), ("email", "support@kefu.com", "Support"),
                                     ("telegram", "@kefu_support", "Telegram"), ("agent_id", "KF-1024", "Ann")] {
            let added = try await client.call(.post, "/api/v1/official-channels", token: owner, json: body(["kind": kind, "value": value, "label": label]))
            #expect(added.status == .created)
        }
        return owner
    }

    static func verify(_ client: any TestClientProtocol, _ value: String, slug: String = "acme") async throws -> APIResponse {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        return try await client.call(.get, "/api/v1/public/\(slug)/verify?value=\(encoded)")
    }

    @Test("official values are confirmed with the channel they match",
          arguments: [("https://kefu.com/download", "link", "kefu.com"), ("help.kefu.com", "domain", "kefu.com"),
                      ("Support@Kefu.com", "email", "support@kefu.com"), ("@Kefu_Support", "telegram", "kefu_support"),
                      ("t.me/kefu_support", "telegram", "kefu_support"), ("kf-1024", "agent_id", "KF-1024")])
    func official(value: String, kind: String, matched: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                _ = try await Self.seed(client)
                let answer = try await Self.verify(client, value)
                #expect(answer.status == .ok)
                #expect(answer.json["official"].bool == true, "\(answer.text)")
                #expect(answer.json["verdict"].string == "official")
                #expect(answer.json["kind"].string == kind)
                #expect(answer.json["matched"]["value"].string == matched)
                #expect(answer.json["imitates"].isNull)
                #expect(answer.json["explanation"]["en"].string?.contains("official channel of Acme") == true)
                #expect(answer.json["explanation"]["zhHans"].string?.contains("官方渠道") == true)
            }
        }
    }

    @Test("look-alikes are named with what they imitate",
          arguments: [("kefu-support.com", "extra_words"), ("https://k\u{0435}fu.com/login", "Cyrillic e"),
                      ("xn--kfu-rdd.com", "punycode"), ("kefu.io", "other ending"), ("kefuu.com", "a letter off"),
                      ("support@kefu-help.com", "email at a look-alike"), ("@kefu_supp0rt", "telegram look-alike")])
    func lookalike(value: String, why: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                _ = try await Self.seed(client)
                let answer = try await Self.verify(client, value)
                #expect(answer.status == .ok)
                #expect(answer.json["official"].bool == false, "\(why): \(answer.text)")
                #expect(answer.json["verdict"].string == "lookalike", "\(why): \(answer.text)")
                #expect(answer.json["imitates"].string?.contains("kefu") == true)
                #expect(answer.json["matched"].isNull)
                #expect(answer.json["explanation"]["en"].string?.contains("NOT official") == true)
                #expect(answer.json["explanation"]["zhHans"].string?.contains("冒充") == true)
            }
        }
    }

    @Test("unrelated values are not official, and say so in both languages",
          arguments: [("https://example.org", "link"), ("someone@gmail.com", "email"), ("@totally_other", "telegram"),
                      ("KF-9999", "agent_id"), ("hello world!", "unknown"), ("other@kefu.com", "email")])
    func unknown(value: String, kind: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                _ = try await Self.seed(client)
                let answer = try await Self.verify(client, value)
                #expect(answer.status == .ok)
                #expect(answer.json["official"].bool == false)
                #expect(answer.json["verdict"].string == "unknown", "\(answer.text)")
                #expect(answer.json["kind"].string == kind)
                #expect(answer.json["explanation"]["en"].string?.isEmpty == false)
                #expect(answer.json["explanation"]["zhHans"].string?.isEmpty == false)
            }
        }
    }

    @Test("an unknown workspace is 404, empty or oversized values are 422")
    func badInput() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let missing = try await Self.verify(client, "kefu.com", slug: "nobody")
                #expect(missing.status == .notFound)
                #expect(missing.isProblem)
                for path in ["/api/v1/public/acme/verify", "/api/v1/public/acme/verify?value=", "/api/v1/public/acme/verify?value=%20%20",
                             "/api/v1/public/acme/verify?value=" + String(repeating: "a", count: 501), "/api/v1/public/acme/verify?value=a%0Ab"] {
                    let response = try await client.call(.get, path)
                    #expect(response.status == .unprocessableContent, "\(path)")
                    #expect(response.isProblem)
                }
                let page = try await client.call(.get, "/help/nobody/verify")
                #expect(page.status == .notFound)
            }
        }
    }

    @Test("each workspace verifies against its own channels only")
    func isolation() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                _ = try await Self.seed(client)
                let answer = try await Self.verify(client, "kefu.com", slug: "beta")
                #expect(answer.json["official"].bool == false)
                #expect(answer.json["verdict"].string == "unknown")
            }
        }
    }

    @Test("the page answers in English and Chinese, big and plain, and lists the official channels")
    func page() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                _ = try await Self.seed(client)
                let english = try await client.call(.get, "/help/acme/verify?value=kefu-support.com", headers: [.acceptLanguage: "en-US"])
                #expect(english.status == .ok)
                #expect(english.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(english.text.contains("class=\"verdict not-official\""))
                #expect(english.text.contains("NOT official"))
                #expect(english.text.contains("imitates kefu.com"))
                #expect(english.text.contains("support@kefu.com") && english.text.contains("@kefu_support") && english.text.contains("KF-1024"))

                let chinese = try await client.call(.get, "/help/acme/verify?value=https%3A%2F%2Fkefu.com", headers: [.acceptLanguage: "zh-CN,zh;q=0.9"])
                #expect(chinese.text.contains("lang=\"zh-Hans\""))
                #expect(chinese.text.contains("class=\"verdict official\""))
                #expect(chinese.text.contains("官方渠道"))

                let switched = try await client.call(.get, "/help/acme/verify?lang=zh-Hans&value=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                #expect(switched.text.contains("非官方"))
                #expect(!switched.text.contains("<script>alert(1)"))

                let empty = try await client.call(.get, "/help/acme/verify")
                #expect(empty.status == .ok)
                #expect(!empty.text.contains("id=\"verdict\""))
            }
        }
    }
}
