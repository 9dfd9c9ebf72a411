import Testing
@testable import KefuShield

@Suite("Links are found with their host")
struct LinkTests {
    private func hosts(_ text: String) -> [String] {
        shield.scan(text).findings(.link).compactMap(\.host)
    }

    @Test("URLs and bare domains", arguments: [
        ("visit https://metamask.io/download now", ["metamask.io"]),
        ("go to metamask-support.io.", ["metamask-support.io"]),
        ("HTTP://Example.COM:8080/path?q=1#top", ["example.com"]),
        ("请访问 www.binance.com 获取帮助", ["www.binance.com"]),
        ("请访问binance-help.xyz获取帮助", ["binance-help.xyz"]),
        ("(see https://en.wikipedia.org/wiki/Bitcoin_(disambiguation))", ["en.wikipedia.org"]),
        ("t.me/kefu_official", ["t.me"]),
        ("https://metamask.io@evil.example/login", ["evil.example"]),
        ("http://192.168.0.1/admin", ["192.168.0.1"]),
        ("xn--metamsk-6fg.io is here", ["xn--metamsk-6fg.io"]),
        ("metamаsk.io", ["metamаsk.io"]),
    ])
    func found(text: String, expected: [String]) {
        #expect(hosts(text) == expected)
    }

    @Test("the link's value is the text as written, without the sentence's punctuation")
    func value() {
        let link = shield.scan("Download it from https://metamask.io/download.html, then restart.").findings(.link).first
        #expect(link?.value == "https://metamask.io/download.html")
    }

    @Test("things that are not links", arguments: [
        "e.g. this one", "version 1.2.3", "write to support@metamask.io", "it.is fine", "file report.pdf",
        "3.14 BTC", "ok.so what now", "see config.yaml",
    ])
    func notLinks(text: String) {
        #expect(hosts(text).isEmpty)
    }

    @Test("a secret inside a link is redacted from the link's value too")
    func secretInLink() {
        let key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
        let link = shield.scan("https://evil.example/?k=\(key)").findings(.link).first
        #expect(link?.value == "https://evil.example/?k=\(SecretPlaceholder.privateKey)")
    }
}

@Suite("Hosts are checked against a workspace's official domains")
struct LinkCheckTests {
    let check = LinkCheck(officialDomains: ["metamask.io", "binance.com"])

    @Test("the official domains and their subdomains are official", arguments: [
        "metamask.io", "support.metamask.io", "www.binance.com", "METAMASK.IO.",
    ])
    func official(host: String) {
        #expect(check.verdict(forHost: host).status == .official)
    }

    @Test("look-alikes are caught, and say why", arguments: [
        ("metamask-support.io", LookalikeSignal.extraWords),
        ("secure-metamask.com", .extraWords),
        ("metamasksupport.io", .extraWords),
        ("metamsk.io", .editDistance),
        ("metamaks.io", .editDistance),
        ("metamаsk.io", .confusableCharacters),
        ("xn--metamsk-6fg.io", .punycode),
        ("metarnask.io", .confusableCharacters),
        ("rnetamask.io", .confusableCharacters),
        ("b1nance.com", .confusableCharacters),
        ("binance0.com", .editDistance),
        ("metamask.com", .differentTopLevelDomain),
        ("binance.co.uk", .differentTopLevelDomain),
        ("metamask.io.verify-wallet.com", .officialNameInSubdomain),
    ])
    func lookalikes(host: String, signal: LookalikeSignal) {
        let verdict = check.verdict(forHost: host)
        #expect(verdict.status == .lookalike, "\(host)")
        #expect(verdict.signals.contains(signal), "\(host): \(verdict.signals)")
        #expect(!verdict.explanation.english.isEmpty && !verdict.explanation.simplifiedChinese.isEmpty)
    }

    @Test("the punycode look-alike names the domain it imitates")
    func punycodeTarget() {
        let verdict = check.verdict(forHost: "xn--metamsk-6fg.io")
        #expect(verdict.officialDomain == "metamask.io")
        #expect(verdict.signals.contains(.confusableCharacters))
    }

    @Test("unrelated hosts are neither official nor look-alikes", arguments: [
        "example.com", "google.com", "coinmarketcap.com", "github.com", "ok.com",
    ])
    func unrelated(host: String) {
        #expect(check.verdict(forHost: host).status == .unrelated)
    }

    @Test("odd hosts get a verdict, not a crash", arguments: [
        "", ".", "xn--", "xn--zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.com", "a..b", "-.-", "[::1]", "xn--99999999999999.io",
    ])
    func oddHosts(host: String) {
        #expect(check.verdict(forHost: host).status != .official)
    }

    @Test("a link can be checked directly")
    func link() {
        #expect(check.verdict(forLink: "https://metamask-help.io/restore")?.status == .lookalike)
        #expect(check.verdict(forLink: "no link here") == nil)
    }
}
