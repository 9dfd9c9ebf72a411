import Foundation
import Testing
@testable import KefuShield

@Suite("The scan's contract")
struct ScanContractTests {
    @Test("offsets count Unicode scalars of the original text, whatever comes before")
    func scalarOffsets() throws {
        let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
        let text = "👍🏽 你好 é\u{301} → \(address)"
        let finding = try #require(shield.scan(text).findings(.address).first)
        #expect(slice(text, finding) == address)
        #expect(finding.start == Array(text.unicodeScalars).count - address.unicodeScalars.count)
    }

    @Test("placeholders the widget sent are found as the secrets they stand for, at their offsets")
    func placeholdersFromTheBrowser() throws {
        let text = "键 \(SecretPlaceholder.privateKey) and \(SecretPlaceholder.recoveryPhrase), xprv: \(SecretPlaceholder.extendedPrivateKey)"
        let found = SecretPlaceholder.findings(in: text)
        #expect(found.map(\.kind) == [.privateKey, .mnemonic, .privateKey])
        #expect(found.map(\.format) == [nil, nil, .extendedKey])
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[found[1].start..<found[1].end])) == SecretPlaceholder.recoveryPhrase)
        #expect(found.allSatisfy { $0.value == nil })
        #expect(SecretPlaceholder.findings(in: "hidden: recovery phrase, in my own words").isEmpty)
    }

    @Test("findings come in order of position, and secrets never carry a value")
    func order() {
        let phrase = Array(repeating: "abandon", count: 11).joined(separator: " ") + " about"
        let text = "pay 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed. \(phrase) see https://metamask.io"
        let scan = shield.scan(text)
        #expect(scan.findings.map(\.kind) == [.address, .mnemonic, .link])
        #expect(scan.findings[1].value == nil)
        #expect(scan.text == "pay 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed. \(SecretPlaceholder.recoveryPhrase) see https://metamask.io")
    }

    @Test("JSON has the contract's keys, with null for a missing chain or value")
    func json() throws {
        let scan = shield.scan("key 4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(scan)) as? [String: Any]
        let finding = try #require((object?["findings"] as? [[String: Any]])?.first)
        #expect(finding["kind"] as? String == "private_key")
        #expect(finding["chain"] is NSNull)
        #expect(finding["value"] is NSNull)
        #expect(finding["valid"] as? Bool == true)
        #expect(finding["start"] as? Int == 4)
        #expect(finding["end"] as? Int == 68)
        #expect(try JSONDecoder().decode(ShieldScan.self, from: JSONEncoder().encode(scan)) == scan)
    }

    @Test("text without findings comes back unchanged", arguments: ["", "hello", "  \n\t", "👍", "你好，世界"])
    func unchanged(text: String) {
        let scan = shield.scan(text)
        #expect(scan.text == text)
        #expect(scan.findings.isEmpty)
    }

    @Test("warming up loads what the first scan would")
    func warmUp() {
        Shield.warmUp()
        #expect(Lexicon.shared.keys.count == Wordlist.allCases.count)
        #expect(Lexicon.shared.keys.allSatisfy { $0.count == 2048 })
        // 我 (16) 们 (23) make 我们, a word; 们 我 make none.
        #expect(ChineseProseModel.shared.isCommonWord(16, 23))
        #expect(!ChineseProseModel.shared.isCommonWord(23, 16))
    }

    @Test("many scans at once share the wordlists safely")
    func concurrent() async {
        let phrase = Array(repeating: "abandon", count: 11).joined(separator: " ") + " about"
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask { Shield().scan(phrase).containsSecret }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
    }
}
