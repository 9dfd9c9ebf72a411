import Testing
@testable import KefuText

@Suite struct MarkdownTests {
    @Test func blocksRenderToTheirElements() {
        let html = Markdown.html("""
        # Deposits

        Your **USDT** deposit needs *12* confirmations.

        - first step
        - second `step`

        1. open the app
        2. tap **Receive**

        > never share your recovery phrase

        ```
        0xabc <b>
        ```
        """)
        #expect(html.contains("<h2>Deposits</h2>"))
        #expect(html.contains("<p>Your <strong>USDT</strong> deposit needs <em>12</em> confirmations.</p>"))
        #expect(html.contains("<ul>\n<li>first step</li>\n<li>second <code>step</code></li>\n</ul>"))
        #expect(html.contains("<ol>\n<li>open the app</li>\n<li>tap <strong>Receive</strong></li>\n</ol>"))
        #expect(html.contains("<blockquote>\n<p>never share your recovery phrase</p>\n</blockquote>"))
        #expect(html.contains("<pre><code>0xabc &lt;b&gt;</code></pre>"))
    }

    @Test func chineseTextAndSnakeCaseStayIntact() {
        #expect(Markdown.html("提币需要 **网络确认**。") == "<p>提币需要 <strong>网络确认</strong>。</p>\n")
        #expect(Markdown.html("set gas_price_limit here") == "<p>set gas_price_limit here</p>\n")
    }

    @Test func rawHTMLIsShownAsText() {
        let html = Markdown.html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func scriptLinksLoseTheirTarget() {
        for target in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                       "vbscript:msgbox", "//evil.example/x", "java\u{0}script:alert(1)", "\\\\evil"] {
            let html = Markdown.html("[click](\(target))")
            #expect(!html.contains("href"), "\(target) kept a link: \(html)")
            #expect(html.contains("click"))
        }
    }

    @Test func quotesCannotBreakOutOfAttributes() {
        let html = Markdown.html("[x](https://example.com/\"onmouseover=\"alert(1))")
        #expect(!html.contains("\"onmouseover"))
        let second = Markdown.html("[x](https://example.com/'onclick='alert(1)')")
        #expect(!second.contains("'onclick"))
        #expect(second.contains("&#39;") || !second.contains("href"))
    }

    @Test func allowedLinksKeepTheirTarget() {
        #expect(Markdown.html("[docs](https://example.com/a?b=1&c=2)")
            == "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\">docs</a></p>\n")
        #expect(Markdown.html("[mail](mailto:help@example.com)").contains("href=\"mailto:help@example.com\""))
        #expect(Markdown.html("[home](/help/demo)").contains("<a href=\"/help/demo\">home</a>"))
    }

    @Test func imagesBecomeLinksAndNeverLoad() {
        let html = Markdown.html("![logo](https://example.com/logo.png)")
        #expect(!html.contains("<img"))
        #expect(html.contains("<a href=\"https://example.com/logo.png\""))
    }

    @Test func plainTextDropsTheSyntax() {
        let text = Markdown.plainText("## Gas fees\n\nPay **gas** in [ETH](https://ethereum.org).\n\n- one\n- two")
        #expect(text == "Gas fees\nPay gas in ETH.\none\ntwo")
        #expect(Markdown.firstHeading("# Title *here*\n\nbody") == "Title here")
    }

    @Test func hostileNestingDoesNotRecurseWithoutBound() {
        let deep = String(repeating: "> ", count: 5000) + "x"
        #expect(Markdown.html(deep).contains("x"))
        let stars = String(repeating: "*[", count: 3000)
        #expect(!Markdown.html(stars).isEmpty)
    }
}

@Suite struct MarkdownLinkTargetTests {
    @Test func balancedParenthesesStayInTheTarget() {
        #expect(Markdown.html("[wiki](https://en.wikipedia.org/wiki/Gas_(disambiguation))")
            == "<p><a href=\"https://en.wikipedia.org/wiki/Gas_(disambiguation)\" rel=\"nofollow noopener noreferrer\">wiki</a></p>\n")
        #expect(Markdown.html("[a](javascript:alert(1))") == "<p>a</p>\n")
    }
}

@Suite struct MarkdownUnderscoreTests {
    @Test func doubleUnderscoresInsideNamesStayLiteral() {
        #expect(Markdown.html("window.__kbXss=1 and window.__kbXss=2") == "<p>window.__kbXss=1 and window.__kbXss=2</p>\n")
        #expect(Markdown.html("a __strong__ word") == "<p>a <strong>strong</strong> word</p>\n")
    }
}
