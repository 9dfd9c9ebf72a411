import HTTPTypes
import Foundation
import HummingbirdTesting
import HummingbirdWSTesting
import Testing
import WSClient
@testable import KefuServer

@Suite("Console, widget and demo pages")
struct WebPageTests {
    @Test("the console shows sign-in to strangers and the console to a signed-in agent, in the browser's language")
    func consolePages() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let stranger = try await client.call(.get, "/console", headers: [.acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8"])
                #expect(stranger.status == .ok)
                #expect(stranger.text.contains("<html lang=\"zh-Hans\">"))
                #expect(stranger.text.contains("id=\"login-form\""))
                #expect(stranger.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)

                let english = try await client.call(.get, "/console", headers: [.acceptLanguage: "fr;q=1, en;q=0.5"])
                #expect(english.text.contains("<html lang=\"en\">"))

                let token = try await client.signIn("owner@acme.test")
                let signedIn = try await client.call(.get, "/console?lang=zh-Hans", headers: [.cookie: "kefu_session=\(token)"])
                #expect(signedIn.text.contains("id=\"conversation-list\""))
                #expect(signedIn.text.contains("退出登录"))
                #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("kefu_lang=zh-Hans") })

                let remembered = try await client.call(.get, "/console", headers: [.cookie: "kefu_lang=en", .acceptLanguage: "zh-CN"])
                #expect(remembered.text.contains("<html lang=\"en\">"))
            }
        }
    }

    @Test("every settings page sends strangers to sign-in and shows a signed-in agent the page with the settings navigation, in both languages",
          arguments: SettingsRoutes.sections.filter { $0 != "kb" })
    func settingsPages(_ section: String) async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let stranger = try await client.call(.get, "/console/\(section)")
                #expect(stranger.status == .seeOther)
                #expect(stranger.headers[.location] == "/console")
                let token = try await client.signIn("owner@acme.test")
                for (lang, title) in [("zh-Hans", "设置"), ("en", "Settings")] {
                    let page = try await client.call(.get, "/console/\(section)?lang=\(lang)", headers: [.cookie: "kefu_session=\(token)"])
                    #expect(page.status == .ok)
                    #expect(page.text.contains("<html lang=\"\(lang)\">"))
                    #expect(page.text.contains("<a href=\"/console/\(section)\" aria-current=\"page\">"), "\(section) is not marked in the navigation")
                    #expect(page.text.contains(">\(title)</a>"))
                    // Every string the template names exists in this language.
                    #expect(!page.text.contains("{{"))
                    #expect(!page.text.contains("<h1></h1>"), "\(section) has no title in \(lang)")
                }
            }
        }
    }

    @Test("the page strings cannot close their script element")
    func stringsAreScriptSafe() {
        let json = WebAssets.scriptJSON(["x": "</script><script>alert(1)</script>&"])
        #expect(!json.contains("<"))
        #expect(!json.contains(">"))
        #expect(!json.contains("&"))
    }

    @Test("/demo embeds the demo workspace's widget, and /widget.js carries both languages")
    func demoAndWidget() async throws {
        try await withDesk { desk in
            try await desk.workspace("Other", owner: "owner@other.test")
            let demo = try await desk.workspace("Demo Wallet", owner: "owner@demo.test")
            try await withApp(desk) { client in
                let page = try await client.call(.get, "/demo")
                #expect(page.status == .ok)
                #expect(page.text.contains("data-inbox=\"\(demo.widgetPublicToken!)\""))
                let script = try await client.call(.get, "/widget.js")
                #expect(script.status == .ok)
                #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
                #expect(script.text.contains("客服正在输入"))
                #expect(script.text.contains("Support is typing"))
                #expect(!script.text.contains("/*KEFU_STRINGS*/"))
                #expect(try await client.call(.get, "/static/console.js").status == .ok)
                #expect(try await client.call(.get, "/static/..%2Fopenapi.json").status == .notFound)
            }
        }
    }

    @Test("a desk without the demo workspace says so on /demo")
    func demoWithoutWorkspace() async throws {
        try await withDesk { desk in
            try await withApp(desk) { client in
                let page = try await client.call(.get, "/demo")
                #expect(page.status == .ok)
                #expect(!page.text.contains("widget.js"))
            }
        }
    }
}

@Suite("Widget status")
struct WidgetStatusTests {
    @Test("the widget learns whether an agent is online and when to expect a reply")
    func status() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let path = "/widget/v1/status?inboxToken=\(workspace.widgetPublicToken!)"
                let offline = try await client.call(.get, path)
                #expect(offline.status == .ok)
                #expect(offline.json["agentsOnline"].bool == false)
                #expect(offline.json["expectedReplyMinutes"].int == 240)
                #expect(offline.headers[.accessControlAllowOrigin] == "*")

                let token = try await client.signIn("owner@acme.test")
                let me = try await client.call(.get, "/api/v1/auth/me", token: token).json["id"].string!
                _ = try await client.call(.patch, "/api/v1/agents/\(me)", token: token, json: body(["availability": "online"]))
                let online = try await client.call(.get, path)
                #expect(online.json["agentsOnline"].bool == true)
                #expect(online.json["expectedReplyMinutes"].int == 5)

                #expect(try await client.call(.get, "/widget/v1/status?inboxToken=kwi_nope").status == .notFound)
                #expect(try await client.call(.get, "/widget/v1/status").status == .unprocessableContent)
                let preflight = try await client.call(.options, "/widget/v1/messages")
                #expect(preflight.status == .noContent)
                #expect(preflight.headers[.accessControlAllowHeaders]?.contains("authorization") == true)
            }
        }
    }
}

@Suite("Typing and presence over the sockets")
struct TypingPresenceTests {
    /// Opens a socket, waits for `socket.ready`, sends `frames`, and stays open for `linger`.
    static func send(_ client: any TestClientProtocol, _ path: String, _ frames: [String], linger: Duration = .milliseconds(300)) async throws {
        try await client.ws(path) { inbound, outbound, _ in
            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            _ = try await iterator.next()
            for frame in frames { try await outbound.write(.text(frame)) }
            try await Task.sleep(for: linger)
            try await outbound.close(.normalClosure, reason: nil)
        }
    }

    @Test("a visitor's typing reaches the agents with the visitor's own contact id, whatever the frame claims")
    func visitorTyping() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let frames = try await listen(client, "/api/v1/realtime?token=\(agent)", trigger: {
                    try await Self.send(client, "/widget/v1/socket?token=\(visitor.token)",
                                        ["not json", "{\"type\":\"typing\",\"contactId\":\"\(UUID().uuidString)\"}"])
                }, until: { $0["type"].string == "typing" })
                #expect(frames.last?["payload"]["actor"].string == "contact")
                #expect(frames.last?["payload"]["contactId"].string?.lowercased() == visitor.contactID.lowercased())
            }
        }
    }

    @Test("an agent's typing reaches the customer without the agent's identity, and notes stay silent")
    func agentTypingReachesVisitor() async throws {
        try await withDesk { desk in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let conversation = try await client.say("hello", visitorToken: visitor.token)["conversationId"].string!
                let frames = try await listen(client, "/widget/v1/socket?token=\(visitor.token)", trigger: {
                    try await Self.send(client, "/api/v1/realtime?token=\(agent)", [
                        "{\"type\":\"typing\",\"conversationId\":\"\(conversation)\",\"contactId\":\"\(visitor.contactID)\",\"private\":true}",
                        "{\"type\":\"typing\",\"conversationId\":\"\(conversation)\",\"contactId\":\"\(visitor.contactID)\"}",
                    ])
                }, until: { $0["type"].string == "typing" })
                #expect(frames.count == 1)
                #expect(frames.last?["payload"]["actor"].string == "agent")
                #expect(frames.last?["payload"]["agentId"].isNull == true)
            }
        }
    }

    @Test("agents see who else views a conversation, and when they leave; other workspaces see nothing")
    func viewingPresence() async throws {
        try await withDesk { desk in
            let acme = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk, .live) { client in
                let first = try await client.signIn("owner@acme.test")
                let second = try await client.call(.post, "/api/v1/agents", token: first,
                                                   json: body(["email": "li@acme.test", "name": "Li", "password": TestDesk.password]))
                #expect(second.status == .created)
                let secondToken = try await client.signIn("li@acme.test")
                let beta = try await client.signIn("owner@beta.test")
                let visitor = try await client.visitor(inboxToken: acme.widgetPublicToken!)
                let conversation = try await client.say("hello", visitorToken: visitor.token)["conversationId"].string!
                let viewing = "{\"type\":\"viewing\",\"conversationId\":\"\(conversation)\"}"

                let seen = try await listen(client, "/api/v1/realtime?token=\(first)", trigger: {
                    try await Self.send(client, "/api/v1/realtime?token=\(secondToken)", [viewing])
                }, until: { $0["type"].string == "presence" && $0["payload"]["viewing"].bool == false })
                let presence = seen.filter { $0["type"].string == "presence" }
                #expect(presence.map { $0["payload"]["viewing"].bool } == [true, false])
                #expect(presence.first?["payload"]["agentId"].string?.lowercased() == second.json["id"].string?.lowercased())

                let outsider = Collected<JSON>()
                _ = try? await withTimeout(.seconds(2)) {
                    try await listen(client, "/api/v1/realtime?token=\(beta)", trigger: {
                        try await Self.send(client, "/api/v1/realtime?token=\(secondToken)", [viewing])
                    }, until: { frame in outsider.append(frame); return false })
                }
                #expect(!outsider.all.contains { $0["type"].string == "presence" })
            }
        }
    }

    @Test("a cookie-signed agent socket from another site is refused")
    func crossSiteSocketRefused() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk, .live) { client in
                let token = try await client.signIn("owner@acme.test")
                func connects(_ headers: HTTPFields) async -> Bool {
                    (try? await withTimeout {
                        _ = try await client.ws("/api/v1/realtime", configuration: .init(additionalHeaders: headers)) { inbound, outbound, _ in
                            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                            _ = try await iterator.next()
                            try await outbound.close(.normalClosure, reason: nil)
                        }
                        return true
                    }) ?? false
                }
                #expect(await connects([.cookie: "kefu_session=\(token)"]))
                #expect(await !connects([.cookie: "kefu_session=\(token)", .origin: "https://evil.example"]))
            }
        }
    }
}

@Suite("Conversation search")
struct ConversationSearchTests {
    @Test("search finds conversations by number, contact and message text, only in the caller's workspace")
    func search() async throws {
        try await withDesk { desk in
            let acme = try await desk.workspace("Acme", owner: "owner@acme.test")
            let beta = try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let agent = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: acme.widgetPublicToken!)
                let said = try await client.say("My USDT 提现 is stuck at 50% progress", visitorToken: visitor.token)
                let conversation = said["conversationId"].string!
                let other = try await client.visitor(inboxToken: beta.widgetPublicToken!)
                _ = try await client.say("usdt elsewhere", visitorToken: other.token)

                func found(_ q: String) async throws -> [String] {
                    let escaped = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                    let response = try await client.call(.get, "/api/v1/search/conversations?q=\(escaped)", token: agent)
                    #expect(response.status == .ok)
                    return response.json["items"].array.compactMap { $0["id"].string }
                }
                #expect(try await found("usdt") == [conversation])
                #expect(try await found("提现") == [conversation])
                #expect(try await found("50%") == [conversation])
                #expect(try await found("#1") == [conversation])
                #expect(try await found("nothing like this").isEmpty)
                #expect(try await found("5_%").isEmpty)
                #expect(try await client.call(.get, "/api/v1/search/conversations", token: agent).status == .unprocessableContent)
                #expect(try await client.call(.get, "/api/v1/search/conversations?q=usdt").status == .unauthorized)
            }
        }
    }
}
