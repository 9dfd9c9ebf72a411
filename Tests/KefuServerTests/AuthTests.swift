import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Signing in and API tokens")
struct AuthTests {
    @Test("an agent signs in with email and password and gets a token, a session cookie and a CSRF cookie")
    func signIn() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let response = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "OWNER@acme.test", "password": TestDesk.password]))
                #expect(response.status == .ok)
                #expect(response.json["token"].string?.hasPrefix("kfs_") == true)
                #expect(response.json["agent"]["email"].string == "owner@acme.test")
                #expect(response.json["agent"]["role"].string == "owner")
                #expect(response.json["agent"]["passwordHash"].isNull)
                let cookies = response.headers[values: .setCookie].joined(separator: "\n")
                #expect(cookies.contains("kefu_session=kfs_") && cookies.contains("HttpOnly"))
                #expect(cookies.contains("kefu_csrf="))

                let me = try await client.call(.get, "/api/v1/auth/me", token: response.json["token"].string)
                #expect(me.status == .ok)
                #expect(me.json["email"].string == "owner@acme.test")
            }
        }
    }

    @Test("a wrong password or unknown email is a 401 problem, and repeated failures lock the account for a while")
    func wrongPassword() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let wrong = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "owner@acme.test", "password": "not the password"]))
                #expect(wrong.status == .unauthorized)
                #expect(wrong.isProblem)
                #expect(wrong.json["detail"].string == "The email or password is not right.")
                let unknown = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "nobody@acme.test", "password": "whatever123"]))
                #expect(unknown.status == .unauthorized)
                for _ in 0..<9 {
                    _ = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "owner@acme.test", "password": "still wrong"]))
                }
                let locked = try await client.call(.post, "/api/v1/auth/login", json: body(["email": "owner@acme.test", "password": TestDesk.password]))
                #expect(locked.status == .tooManyRequests)
            }
        }
    }

    @Test("signing out ends the session: its token no longer works")
    func signOut() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@acme.test")
                #expect(try await client.call(.post, "/api/v1/auth/logout", token: token).status == .noContent)
                let after = try await client.call(.get, "/api/v1/auth/me", token: token)
                #expect(after.status == .unauthorized)
                #expect(after.isProblem)
            }
        }
    }

    @Test("a cookie-signed request that changes something must carry the CSRF token")
    func csrf() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@acme.test")
                let cookie = "kefu_session=\(token); kefu_csrf=abc123"
                let read = try await client.call(.get, "/api/v1/auth/me", headers: [.cookie: cookie])
                #expect(read.status == .ok)
                let forged = try await client.call(.post, "/api/v1/teams", json: body(["name": "Ops"]), headers: [.cookie: cookie])
                #expect(forged.status == .forbidden)
                let proper = try await client.call(.post, "/api/v1/teams", json: body(["name": "Ops"]),
                                                   headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: "abc123"])
                #expect(proper.status == .created)
            }
        }
    }

    @Test("admins issue API tokens that work as bearer tokens, are listed without the secret, and stop working when revoked")
    func apiTokens() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let session = try await client.signIn("owner@acme.test")
                let created = try await client.call(.post, "/api/v1/tokens", token: session, json: body(["name": "CRM sync"]))
                #expect(created.status == .created)
                let token = try #require(created.json["token"].string)
                #expect(token.hasPrefix("kfa_"))
                #expect(try await client.call(.get, "/api/v1/agents", token: token).status == .ok)

                let listed = try await client.call(.get, "/api/v1/tokens", token: session)
                #expect(listed.json["items"].array.count == 1)
                #expect(listed.json["items"][0]["token"].isNull)
                #expect(listed.json["items"][0]["hint"].string == String(token.prefix(8)))
                #expect(!listed.text.contains(token))

                let id = try #require(created.json["id"].string)
                #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", token: session).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/agents", token: token).status == .unauthorized)
            }
        }
    }

    @Test("agents who are not admins cannot issue tokens or add agents")
    func agentsAreNotAdmins() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let added = try await client.call(.post, "/api/v1/agents", token: owner,
                                                  json: body(["email": "li@acme.test", "name": "Li", "password": "longenough1"]))
                #expect(added.status == .created)
                #expect(added.json["role"].string == "agent")
                let agent = try await client.signIn("li@acme.test", password: "longenough1")
                #expect(try await client.call(.post, "/api/v1/tokens", token: agent, json: body(["name": "x"])).status == .forbidden)
                #expect(try await client.call(.post, "/api/v1/agents", token: agent,
                                              json: body(["email": "x@acme.test", "name": "X", "password": "longenough1"])).status == .forbidden)
                let promote = try await client.call(.patch, "/api/v1/agents/\(added.json["id"].string!)", token: agent, json: body(["role": "admin"]))
                #expect(promote.status == .forbidden)
            }
        }
    }

    @Test("garbage, expired-looking or foreign tokens are refused with 401")
    func badTokens() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                for token in ["nonsense", "kfs_doesnotexist", "kfa_doesnotexist", "eyJhbGciOiJIUzI1NiJ9.e30.x"] {
                    let response = try await client.call(.get, "/api/v1/conversations", token: token)
                    #expect(response.status == .unauthorized, "\(token)")
                    #expect(response.isProblem)
                }
                #expect(try await client.call(.get, "/api/v1/conversations").status == .unauthorized)
            }
        }
    }
}
