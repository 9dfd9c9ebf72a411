public enum FindingKind: String, Sendable, Codable, CaseIterable {
    case mnemonic
    case privateKey = "private_key"
    case address
    case txHash = "tx_hash"
    case link

    /// Secrets are redacted from the text and never carry their value.
    public var isSecret: Bool {
        self == .mnemonic || self == .privateKey
    }
}

public enum Chain: String, Sendable, Codable, CaseIterable {
    case evm
    case bitcoin
    case bitcoinTestnet = "bitcoin_testnet"
    case tron
}

public enum Wordlist: String, Sendable, Codable, CaseIterable {
    case english
    case chineseSimplified = "chinese_simplified"
    case chineseTraditional = "chinese_traditional"
    case japanese
    case korean
    case spanish
    case french
    case italian
    case czech
    case portuguese
}

/// How an address or private key is written down.
public enum EntityFormat: String, Sendable, Codable {
    case hex
    case wif
    case extendedKey = "extended_key"
    case evm
    case p2pkh
    case p2sh
    case p2wpkh
    case p2wsh
    case p2tr
    case segwit
    case tron
}

/// One thing found in a message.
///
/// `start` and `end` are offsets into the original text counted in Unicode scalars
/// (`text.unicodeScalars`), `end` exclusive: the same unit as Python's `str` indices
/// and JavaScript's `codePointAt` walk, not UTF-16 units, bytes or grapheme clusters.
public struct Finding: Sendable, Hashable, Codable {
    public var kind: FindingKind
    public var chain: Chain?
    /// The text as written for addresses, transaction hashes and links; always nil for secrets.
    public var value: String?
    /// Whether the checksum or shape holds: false for an address whose checksum fails,
    /// a WIF or extended key whose base58check fails. Mnemonics are always valid
    /// findings; see `checksumValid`.
    public var valid: Bool
    public var start: Int
    public var end: Int
    public var format: EntityFormat?
    /// The host of a link, lower-cased.
    public var host: String?
    public var wordCount: Int?
    public var wordlist: Wordlist?
    /// For mnemonics, whether the BIP-39 checksum holds; for EVM addresses, whether
    /// the EIP-55 mixed-case checksum is present and holds (nil when written all in
    /// one case, which carries no checksum).
    public var checksumValid: Bool?

    public init(
        kind: FindingKind, chain: Chain? = nil, value: String? = nil, valid: Bool,
        start: Int, end: Int, format: EntityFormat? = nil, host: String? = nil,
        wordCount: Int? = nil, wordlist: Wordlist? = nil, checksumValid: Bool? = nil
    ) {
        self.kind = kind
        self.chain = chain
        self.value = kind.isSecret ? nil : value
        self.valid = valid
        self.start = start
        self.end = end
        self.format = format
        self.host = host
        self.wordCount = wordCount
        self.wordlist = wordlist
        self.checksumValid = checksumValid
    }

    enum CodingKeys: String, CodingKey {
        case kind, chain, value, valid, start, end, format, host, wordCount, wordlist, checksumValid
    }

    // `chain` and `value` are part of the scan contract, so they are written as null rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(chain, forKey: .chain)
        try container.encode(value, forKey: .value)
        try container.encode(valid, forKey: .valid)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encodeIfPresent(format, forKey: .format)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encodeIfPresent(wordCount, forKey: .wordCount)
        try container.encodeIfPresent(wordlist, forKey: .wordlist)
        try container.encodeIfPresent(checksumValid, forKey: .checksumValid)
    }
}

/// What stands in the stored text where a secret was.
public enum SecretPlaceholder {
    public static let recoveryPhrase = "[已隐藏：助记词 / hidden: recovery phrase]"
    public static let privateKey = "[已隐藏：私钥 / hidden: private key]"
    public static let extendedPrivateKey = "[已隐藏：扩展私钥 / hidden: extended private key]"

    /// The text without any placeholder, for reading its language and mood: the bilingual
    /// placeholder itself would make every redacted message look half Chinese.
    public static func removed(from text: String) -> String {
        guard text.contains("[已隐藏：") else { return text }
        var result = text
        for placeholder in [recoveryPhrase, privateKey, extendedPrivateKey] { result = result.replacing(placeholder, with: " ") }
        return result
    }

    /// Placeholders that arrived in the text: the chat widget hides secrets in the browser
    /// and sends these instead. The secret still left the customer's hands (a clipboard, a
    /// screenshot, a scammer's page), so it is reported like one the shield hid itself.
    public static func findings(in text: String) -> [Finding] {
        let scalars = Array(text.unicodeScalars)
        var found: [Finding] = []
        for (placeholder, kind, format) in [(recoveryPhrase, FindingKind.mnemonic, EntityFormat?.none),
                                            (privateKey, .privateKey, nil), (extendedPrivateKey, .privateKey, .extendedKey)] {
            let pattern = Array(placeholder.unicodeScalars)
            var index = 0
            while index + pattern.count <= scalars.count {
                if scalars[index] == pattern[0] && Array(scalars[index..<index + pattern.count]) == pattern {
                    found.append(Finding(kind: kind, valid: true, start: index, end: index + pattern.count, format: format))
                    index += pattern.count
                } else {
                    index += 1
                }
            }
        }
        return found.sorted { $0.start < $1.start }
    }

    static func text(for finding: Finding) -> String {
        switch (finding.kind, finding.format) {
        case (.mnemonic, _): recoveryPhrase
        case (.privateKey, .extendedKey): extendedPrivateKey
        default: privateKey
        }
    }
}
