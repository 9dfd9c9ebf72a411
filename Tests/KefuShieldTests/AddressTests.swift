import Testing
@testable import KefuShield

@Suite("Addresses are recognised and their checksums judged")
struct AddressTests {
    private func onlyAddress(in text: String) throws -> Finding {
        let addresses = shield.scan(text).findings(.address)
        try #require(addresses.count == 1, "expected one address in \(text), got \(addresses)")
        return addresses[0]
    }

    // MARK: EVM

    @Test("EIP-55's own examples are valid, checksummed EVM addresses", arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
    func eip55Examples(address: String) throws {
        let finding = try onlyAddress(in: "send it to \(address) please")
        #expect(finding.chain == .evm)
        #expect(finding.valid)
        #expect(finding.checksumValid == true)
        #expect(finding.value == address)
        #expect(EIP55.checksummed(address.lowercased()) == address)
    }

    @Test("an address in one case carries no checksum: valid, but unchecksummed", arguments: [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
    ])
    func singleCase(address: String) throws {
        let finding = try onlyAddress(in: address)
        #expect(finding.valid)
        #expect(finding.checksumValid == nil)
    }

    @Test("one letter in the wrong case breaks the EIP-55 checksum")
    func brokenChecksum() throws {
        let finding = try onlyAddress(in: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
        #expect(finding.kind == .address)
        #expect(!finding.valid)
        #expect(finding.checksumValid == false)
    }

    // MARK: Bitcoin witness addresses

    @Test("BIP-173 and BIP-350 valid witness addresses", arguments: [
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc", 0),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "tb", 0),
        ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "bc", 1),
        ("BC1SW50QGDZ25J", "bc", 16),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc", 2),
        ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "tb", 0),
        ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "tb", 1),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc", 1),
    ])
    func validSegwit(address: String, hrp: String, version: Int) {
        let decoded = Bech32.decodeSegwit(Array(address.unicodeScalars.map(\.value))[...])
        #expect(decoded?.humanReadablePart == hrp)
        #expect(decoded?.version == version)
    }

    @Test("BIP-173 and BIP-350 invalid witness addresses", arguments: [
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  // bech32 checksum on version 1
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",  // bech32 checksum on version 2
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  // bech32 checksum on version 16
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  // bech32m checksum on version 0
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",  // bech32m checksum on version 0
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  // character outside the charset
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  // witness version 17
        "bc1pw5dgrnzv",  // program of one byte
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  // program of 41 bytes
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  // version 0 program of 16 bytes
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",  // mixed case
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",  // more than 4 padding bits
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",  // non-zero padding
        "bc1gmk9yu",  // empty data
    ])
    func invalidSegwit(address: String) {
        #expect(Bech32.decodeSegwit(Array(address.unicodeScalars.map(\.value))[...]) == nil)
    }

    @Test("BIP-350's bech32 and bech32m checksum strings", arguments: [
        ("A12UEL5L", Bech32.Variant.bech32), ("a12uel5l", .bech32),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", .bech32),
        ("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", .bech32), ("?1ezyfcl", .bech32),
        ("A1LQFN3A", .bech32m), ("a1lqfn3a", .bech32m),
        ("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", .bech32m),
        ("split1checkupstagehandshakeupstreamerranterredcaperredlc445v", .bech32m), ("?1v759aa", .bech32m),
    ])
    func checksumStrings(text: String, variant: Bech32.Variant) {
        let decoded = Bech32.decode(Array(text.unicodeScalars.map(\.value))[...])
        #expect(decoded?.variant == variant)
    }

    @Test("a witness address found in chat has its chain and format")
    func segwitInChat() throws {
        let p2wpkh = try onlyAddress(in: "我的地址是bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4，谢谢")
        #expect(p2wpkh.chain == .bitcoin)
        #expect(p2wpkh.format == .p2wpkh)
        #expect(p2wpkh.valid)
        let taproot = try onlyAddress(in: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
        #expect(taproot.format == .p2tr)
        let testnet = try onlyAddress(in: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")
        #expect(testnet.chain == .bitcoinTestnet)
        #expect(testnet.format == .p2wsh)
    }

    @Test("a witness address with a mistyped character is reported invalid")
    func segwitTypo() throws {
        let finding = try onlyAddress(in: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
        #expect(!finding.valid)
        #expect(finding.chain == .bitcoin)
    }

    // MARK: Base58check

    @Test("well-known base58check addresses", arguments: [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Chain.bitcoin, EntityFormat.p2pkh),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", .bitcoin, .p2sh),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", .tron, .tron),
    ])
    func base58(address: String, chain: Chain, format: EntityFormat) throws {
        let finding = try onlyAddress(in: "to \(address).")
        #expect(finding.valid)
        #expect(finding.chain == chain)
        #expect(finding.format == format)
    }

    @Test("one changed character fails base58check and is reported invalid", arguments: [
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u",
    ])
    func base58Typo(address: String) throws {
        let finding = try onlyAddress(in: address)
        #expect(!finding.valid)
    }

    @Test("addresses made by bip-utils are valid with the right chain")
    func generated() throws {
        let chains: [String: Chain] = [
            "evm": .evm, "p2pkh": .bitcoin, "p2sh": .bitcoin, "p2wpkh": .bitcoin, "p2tr": .bitcoin,
            "testnet_p2pkh": .bitcoinTestnet, "testnet_p2wpkh": .bitcoinTestnet, "tron": .tron,
        ]
        for address in GeneratedVectors.addresses {
            let finding = try onlyAddress(in: "address: \(address.value)")
            #expect(finding.valid, "\(address.kind) \(address.value)")
            #expect(finding.chain == chains[address.kind])
            #expect(finding.value == address.value)
        }
    }

    @Test("addresses are never redacted")
    func notRedacted() {
        let text = "send to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed or bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
        #expect(shield.scan(text).text == text)
    }

    @Test("ordinary long words and identifiers are not addresses", arguments: [
        "Thisisaverylongwordwithoutdigits1", "internationalization-configuration", "supercalifragilisticexpialidocious",
        "0x1234", "bc1", "order 123456789012345678901234567890",
    ])
    func notAddresses(text: String) {
        #expect(shield.scan(text).findings.isEmpty)
    }
}
