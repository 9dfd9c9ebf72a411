import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Public help center")
struct HelpCenterTests {
    /// A workspace with the demo articles, and the owner's token.
    private func seeded(_ desk: TestDesk) async throws {
        let created = try await desk.workspace("Demo Wallet", owner: "owner@demo.test")
        try await withPersistence(desk) { persistence in
            try await DemoKnowledgeBase.seed(workspaceID: created.workspaceID, authorID: created.ownerID, persistence: persistence)
        }
    }

    @Test("the home page lists categories and published articles in the visitor's language, with search and the verify link")
    func home() async throws {
        try await withDesk { desk in
            try await seeded(desk)
            try await withApp(desk) { client in
                let english = try await client.call(.get, "/help/demo-wallet", headers: [.acceptLanguage: "en-US,en;q=0.9"])
                #expect(english.status == .ok)
                #expect(english.headers[.contentType] == "text/html; charset=utf-8")
                #expect(english.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
                #expect(english.text.contains("<html lang=\"en\">"))
                #expect(english.text.contains("Deposits and withdrawals"))
                #expect(english.text.contains("href=\"/help/demo-wallet/en/articles/withdrawal-pending\""))
                #expect(english.text.contains("href=\"/help/demo-wallet/verify?lang=en\""))
                #expect(english.text.contains("Verify an official channel"))
                #expect(english.text.contains("action=\"/help/demo-wallet/search\""))
                #expect(!english.text.contains("充值与提币"))

                let chinese = try await client.call(.get, "/help/demo-wallet", headers: [.acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.5"])
                #expect(chinese.text.contains("<html lang=\"zh-Hans\">"))
                #expect(chinese.text.contains("充值与提币"))
                #expect(chinese.text.contains("验证官方渠道"))
                #expect(chinese.text.contains("href=\"/help/demo-wallet?lang=en\""))

                let chosen = try await client.call(.get, "/help/demo-wallet?lang=zh-Hans", headers: [.acceptLanguage: "en"])
                #expect(chosen.text.contains("充值与提币"))
                #expect(chosen.headers[values: .setCookie].contains { $0.hasPrefix("kefu_lang=zh-Hans") })
            }
        }
    }

    @Test("an article page shows sanitised Markdown, the vote form, and switches to its translation")
    func article() async throws {
        try await withDesk { desk in
            try await seeded(desk)
            try await withApp(desk) { client in
                let page = try await client.call(.get, "/help/demo-wallet/en/articles/recovery-phrase-safety")
                #expect(page.status == .ok)
                #expect(page.text.contains("<h1>We will never ask for your recovery phrase</h1>"))
                #expect(page.text.contains("<blockquote>"))
                #expect(page.text.contains("<strong>never</strong>"))
                #expect(page.text.contains("href=\"/help/demo-wallet/zh-Hans/articles/recovery-phrase-safety\""))
                #expect(page.text.contains("method=\"post\" action=\"/help/demo-wallet/articles/"))
                #expect(page.text.contains("Was this helpful?"))
                #expect(page.text.contains("</a> › Security</p>"))

                let chinese = try await client.call(.get, "/help/demo-wallet/zh-Hans/articles/recovery-phrase-safety", headers: [.acceptLanguage: "en"])
                #expect(chinese.text.contains("<html lang=\"zh-Hans\">"))
                #expect(chinese.text.contains("我们永远不会索要您的助记词"))
                #expect(chinese.text.contains("这篇文章对您有帮助吗？"))
                #expect(chinese.text.contains("href=\"/help/demo-wallet/en/articles/recovery-phrase-safety\""))

                let token = try await client.signIn("owner@demo.test")
                _ = try await client.createArticle(token, [
                    "title": "Tricky <b>\"title\"</b>", "slug": "tricky", "status": "published",
                    "bodyMarkdown": "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.com/\"onclick=\"z)",
                ])
                let tricky = try await client.call(.get, "/help/demo-wallet/en/articles/tricky")
                #expect(!tricky.text.contains("<script>alert"))
                #expect(!tricky.text.contains("<b>\"title"))
                #expect(tricky.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!tricky.text.contains("javascript:"))
                #expect(!tricky.text.contains("\"onclick"))
                #expect(!tricky.text.contains(" › "))
                // No translation: the switch leads to the other language's home page.
                #expect(tricky.text.contains("href=\"/help/demo-wallet?lang=zh-Hans\""))
            }
        }
    }

    @Test("search shows extracts in the visitor's language")
    func search() async throws {
        try await withDesk { desk in
            try await seeded(desk)
            try await withApp(desk) { client in
                let chinese = try await client.helpSearch("demo-wallet", "转错网络", lang: "zh-Hans")
                #expect(chinese.contains("href=\"/help/demo-wallet/zh-Hans/articles/wrong-network\""))
                #expect(chinese.contains("class=\"extract\""))
                let english = try await client.helpSearch("demo-wallet", "token not showing in wallet")
                #expect(english.contains("href=\"/help/demo-wallet/en/articles/token-not-showing\""))
                let nothing = try await client.helpSearch("demo-wallet", "qwertyuiop")
                #expect(nothing.contains("id=\"no-results\""))
                let hostile = try await client.helpSearch("demo-wallet", "<script>alert(1)</script>")
                #expect(!hostile.contains("<script>alert(1)"))
                #expect(hostile.contains("&lt;script&gt;"))
            }
        }
    }

    @Test("unknown workspaces, articles, drafts and bad paths are 404 pages in the visitor's language")
    func notFound() async throws {
        try await withDesk { desk in
            try await seeded(desk)
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@demo.test")
                _ = try await client.createArticle(token, ["title": "Unreleased draft", "slug": "unreleased"])
                let paths = ["/help/no-such-desk", "/help/no-such-desk/search?q=x", "/help/demo-wallet/en/articles/no-such-article",
                             "/help/demo-wallet/en/articles/unreleased", "/help/demo-wallet/fr/articles/gas-fees",
                             "/help/demo-wallet/en/articles/Bad%20Slug", "/help/no-such-desk/en/articles/gas-fees"]
                for path in paths {
                    let response = try await client.call(.get, path, headers: [.acceptLanguage: "zh-CN"])
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.text.contains("页面不存在"), "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                }
                let english = try await client.call(.get, "/help/no-such-desk", headers: [.acceptLanguage: "en"])
                #expect(english.text.contains("Page not found"))
            }
        }
    }

    @Test("the console's knowledge-base editor page is served to signed-in agents and is linked from the console")
    func editorPage() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let anonymous = try await client.call(.get, "/console/kb")
                #expect(anonymous.status == .ok)
                #expect(!anonymous.text.contains("kb-editor.js"))
                let token = try await client.signIn("owner@alpha.test")
                let page = try await client.call(.get, "/console/kb?lang=zh-Hans", headers: [.cookie: "kefu_session=\(token)"])
                #expect(page.text.contains("/static/kb-editor.js"))
                #expect(page.text.contains("知识库"))
                let console = try await client.call(.get, "/console", headers: [.cookie: "kefu_session=\(token)"])
                #expect(console.text.contains("href=\"/console/kb"))
                let script = try await client.call(.get, "/static/kb-editor.js")
                #expect(script.status == .ok)
            }
        }
    }
}
