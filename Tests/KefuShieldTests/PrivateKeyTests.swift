import Testing
@testable import KefuShield

@Suite("Private keys are redacted; transaction hashes are kept")
struct PrivateKeyTests {
    static let hex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

    @Test("64 hex digits with nothing around them are a private key", arguments: [
        hex, "0x" + hex, "my key: \(hex)", "私钥：\(hex)", "here it is\n0x\(hex)\nthanks",
    ])
    func bareHexIsAKey(text: String) {
        let scan = shield.scan(text)
        let key = scan.findings(.privateKey)
        #expect(key.count == 1)
        #expect(key.first?.value == nil)
        #expect(!scan.text.contains(Self.hex))
        #expect(scan.text.contains(SecretPlaceholder.privateKey))
    }

    @Test("a transaction word within the 30 characters before makes it a transaction hash", arguments: [
        "tx: \(hex)", "TXID \(hex)", "txhash=\(hex)", "the transaction \(hex) is stuck", "hash: 0x\(hex)",
        "交易哈希：\(hex)", "哈希 \(hex)", "转账记录 \(hex)", "https://etherscan.io/tx/0x\(hex)",
        "https://tronscan.org/#/transaction/\(hex)",
    ])
    func transactionContext(text: String) throws {
        let scan = shield.scan(text)
        #expect(scan.findings(.privateKey).isEmpty)
        let hash = try #require(scan.findings(.txHash).first)
        #expect(hash.value?.hasSuffix(Self.hex) == true)
        #expect(scan.text == text)
    }

    @Test("0x with a transaction word is an EVM transaction hash; bare hex takes its chain from the words")
    func transactionChain() {
        #expect(shield.scan("tx 0x\(Self.hex)").findings(.txHash).first?.chain == .evm)
        #expect(shield.scan("BTC txid \(Self.hex)").findings(.txHash).first?.chain == .bitcoin)
        #expect(shield.scan("波场交易哈希 \(Self.hex)").findings(.txHash).first?.chain == .tron)
        #expect(shield.scan("txid \(Self.hex)").findings(.txHash).first?.chain == nil)
    }

    @Test("a transaction word further back than 30 characters does not count")
    func contextWindow() {
        let text = "my transaction failed, and here is something else entirely: \(Self.hex)"
        #expect(shield.scan(text).findings(.privateKey).count == 1)
    }

    @Test("a key word nearer than the transaction word makes it a key again")
    func keyWordWins() {
        #expect(shield.scan("tx failed; private key \(Self.hex)").findings(.privateKey).count == 1)
        #expect(shield.scan("交易失败，私钥 \(Self.hex)").findings(.privateKey).count == 1)
    }

    @Test("a list of hashes after one \"tx hashes:\" stays a list of hashes")
    func hashList() {
        let other = String(Self.hex.reversed())
        let text = "tx hashes: \(Self.hex), \(other), 0x\(Self.hex)"
        let scan = shield.scan(text)
        #expect(scan.findings(.txHash).count == 3)
        #expect(scan.findings(.privateKey).isEmpty)
    }

    @Test("WIF keys from the Bitcoin wiki, compressed and uncompressed")
    func wif() {
        for key in ["5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617"] {
            let scan = shield.scan("wallet import: \(key)")
            let finding = scan.findings(.privateKey).first
            #expect(finding?.format == .wif)
            #expect(finding?.valid == true)
            #expect(finding?.chain == .bitcoin)
            #expect(!scan.text.contains(key))
        }
    }

    @Test("a WIF key with a typo is still redacted, and reported invalid")
    func wifTypo() {
        let scan = shield.scan("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTK")
        #expect(scan.findings(.privateKey).first?.valid == false)
        #expect(scan.text == SecretPlaceholder.privateKey)
    }

    @Test("BIP-32 test vector 1's master key is an extended private key")
    func xprv() {
        let key = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"
        let scan = shield.scan("backup: \(key)")
        #expect(scan.text == "backup: \(SecretPlaceholder.extendedPrivateKey)")
        #expect(scan.findings(.privateKey).first?.format == .extendedKey)
        #expect(scan.findings(.privateKey).first?.valid == true)
    }

    @Test("an extended public key is not a secret")
    func xpub() {
        let key = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8"
        #expect(shield.scan(key).findings(.privateKey).isEmpty)
    }

    @Test("keys made by bip-utils are all redacted, and valid")
    func generated() {
        for key in GeneratedVectors.privateKeys {
            let scan = shield.scan("here: \(key.value) thanks")
            #expect(!scan.text.contains(key.value), "\(key.kind)")
            #expect(scan.findings(.privateKey).count == 1, "\(key.kind)")
            #expect(scan.findings(.privateKey).first?.valid == true, "\(key.kind)")
        }
    }
}
