/// Finds addresses, transaction hashes and private keys: each is one unbroken run of
/// ASCII letters and digits, told apart by length, prefix and alphabet, then checked
/// against its checksum.
struct EntityScanner {
    /// Nothing shorter than this is any of the entities (the shortest is a P2PKH address).
    static let shortestEntity = 25

    func findings(_ scalars: [UInt32]) -> [Finding] {
        var findings: [Finding] = []
        var previousTransactionEnd: Int?
        var i = 0
        let count = scalars.count
        while i < count {
            guard Scalars.isASCIIAlphanumeric(scalars[i]) else {
                i += 1
                continue
            }
            var end = i + 1
            while end < count, Scalars.isASCIIAlphanumeric(scalars[end]) { end += 1 }
            if end - i >= Self.shortestEntity,
               let finding = classify(scalars, i..<end, previousTransactionEnd: previousTransactionEnd) {
                if finding.kind == .txHash { previousTransactionEnd = finding.end }
                findings.append(finding)
            }
            i = end
        }
        return findings
    }

    private func classify(_ scalars: [UInt32], _ range: Range<Int>, previousTransactionEnd: Int?) -> Finding? {
        let run = scalars[range]
        let length = run.count
        let first = run[range.lowerBound]
        let hasHexPrefix = first == 0x30 && (run[range.lowerBound + 1] | 0x20) == 0x78
        if hasHexPrefix, run.dropFirst(2).allSatisfy(Scalars.isHexDigit) {
            switch length - 2 {
            case 40: return evmAddress(scalars, range)
            case 64: return hex64(scalars, range, prefixed: true, previousTransactionEnd: previousTransactionEnd)
            default: return nil
            }
        }
        if length == 64, run.allSatisfy(Scalars.isHexDigit) {
            return hex64(scalars, range, prefixed: false, previousTransactionEnd: previousTransactionEnd)
        }
        if let finding = segwitAddress(scalars, range) { return finding }
        guard run.allSatisfy(Base58.isDigit) else { return nil }
        if let finding = extendedKey(scalars, range) { return finding }
        if let finding = wif(scalars, range) { return finding }
        if length == 34, first == 0x54 { return tronAddress(scalars, range) }
        if length >= 26, length <= 35 { return base58Address(scalars, range) }
        return nil
    }

    private func text(_ scalars: [UInt32], _ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
    }

    /// Real addresses and keys are random: both cases, and digits unless long. A
    /// checksum failure is only reported as a broken address or key when the string
    /// looks like one, not like a long word.
    private func looksRandom(_ run: ArraySlice<UInt32>) -> Bool {
        var digits = 0
        var upper = 0
        var lower = 0
        for v in run {
            if Scalars.isASCIIDigit(v) { digits += 1 } else if v < 0x5B { upper += 1 } else { lower += 1 }
        }
        return upper >= 2 && lower >= 2 && (digits > 0 || run.count >= 30)
    }

    // MARK: EVM

    private func evmAddress(_ scalars: [UInt32], _ range: Range<Int>) -> Finding {
        let checksum = EIP55.verdict(scalars[(range.lowerBound + 2)..<range.upperBound])
        return Finding(
            kind: .address, chain: .evm, value: text(scalars, range), valid: checksum != .broken,
            start: range.lowerBound, end: range.upperBound, format: .evm,
            checksumValid: checksum == .unchecksummed ? nil : checksum == .valid
        )
    }

    private func hex64(_ scalars: [UInt32], _ range: Range<Int>, prefixed: Bool, previousTransactionEnd: Int?) -> Finding {
        let context = HexContext.verdict(scalars, start: range.lowerBound, previousTransactionEnd: previousTransactionEnd)
        if context.isTransaction {
            return Finding(
                kind: .txHash, chain: prefixed ? .evm : context.chain, value: text(scalars, range), valid: true,
                start: range.lowerBound, end: range.upperBound, format: .hex
            )
        }
        return Finding(kind: .privateKey, valid: true, start: range.lowerBound, end: range.upperBound, format: .hex)
    }

    // MARK: Bitcoin and TRON

    private func segwitAddress(_ scalars: [UInt32], _ range: Range<Int>) -> Finding? {
        let run = scalars[range]
        let lowered = run.prefix(5).map(Scalars.lowerASCII)
        let hrp: String
        let chain: Chain
        if lowered.starts(with: [0x62, 0x63, 0x72, 0x74, 0x31]) {
            (hrp, chain) = ("bcrt", .bitcoinTestnet)
        } else if lowered.starts(with: [0x62, 0x63, 0x31]) {
            (hrp, chain) = ("bc", .bitcoin)
        } else if lowered.starts(with: [0x74, 0x62, 0x31]) {
            (hrp, chain) = ("tb", .bitcoinTestnet)
        } else {
            return nil
        }
        let value = text(scalars, range)
        if let address = Bech32.decodeSegwit(run, expectedHRP: hrp) {
            let format: EntityFormat = switch (address.version, address.program.count) {
            case (0, 20): .p2wpkh
            case (0, 32): .p2wsh
            case (1, 32): .p2tr
            default: .segwit
            }
            return Finding(kind: .address, chain: chain, value: value, valid: true, start: range.lowerBound, end: range.upperBound, format: format)
        }
        // Shaped like a witness address (its data all in bech32's alphabet, one case) but failing the checksum.
        let data = run.dropFirst(hrp.count + 1)
        let charset = Set("qpzry9x8gf2tvdw0s3jn54khce6mua7l".unicodeScalars.map(\.value))
        let oneCase = !(run.contains { $0 >= 0x61 && $0 <= 0x7A } && run.contains { $0 >= 0x41 && $0 <= 0x5A })
        guard oneCase, data.count >= 39, data.count <= 87, data.allSatisfy({ charset.contains(Scalars.lowerASCII($0)) }) else { return nil }
        let versionCharacter = Scalars.lowerASCII(data[data.startIndex])
        let format: EntityFormat = switch (versionCharacter, data.count) {
        case (0x71, 39): .p2wpkh
        case (0x71, 59): .p2wsh
        case (0x70, 59): .p2tr
        default: .segwit
        }
        return Finding(kind: .address, chain: chain, value: value, valid: false, start: range.lowerBound, end: range.upperBound, format: format)
    }

    private func base58Address(_ scalars: [UInt32], _ range: Range<Int>) -> Finding? {
        let run = scalars[range]
        let value = text(scalars, range)
        if let payload = Base58.decodeCheck(run), payload.count == 21 {
            let kind: (Chain, EntityFormat)? = switch payload[0] {
            case 0x00: (.bitcoin, .p2pkh)
            case 0x05: (.bitcoin, .p2sh)
            case 0x6F: (.bitcoinTestnet, .p2pkh)
            case 0xC4: (.bitcoinTestnet, .p2sh)
            default: nil
            }
            if let (chain, format) = kind {
                return Finding(kind: .address, chain: chain, value: value, valid: true, start: range.lowerBound, end: range.upperBound, format: format)
            }
        }
        guard looksRandom(run) else { return nil }
        let guess: (Chain, EntityFormat)? = switch run[range.lowerBound] {
        case 0x31: (.bitcoin, .p2pkh)
        case 0x33: (.bitcoin, .p2sh)
        case 0x6D, 0x6E: (.bitcoinTestnet, .p2pkh)
        case 0x32: (.bitcoinTestnet, .p2sh)
        default: nil
        }
        guard let (chain, format) = guess else { return nil }
        return Finding(kind: .address, chain: chain, value: value, valid: false, start: range.lowerBound, end: range.upperBound, format: format)
    }

    private func tronAddress(_ scalars: [UInt32], _ range: Range<Int>) -> Finding? {
        let run = scalars[range]
        let valid = Base58.decodeCheck(run).map { $0.count == 21 && $0[0] == 0x41 } ?? false
        guard valid || looksRandom(run) else { return nil }
        return Finding(kind: .address, chain: .tron, value: text(scalars, range), valid: valid, start: range.lowerBound, end: range.upperBound, format: .tron)
    }

    // MARK: Private keys

    private func wif(_ scalars: [UInt32], _ range: Range<Int>) -> Finding? {
        let run = scalars[range]
        let first = run[range.lowerBound]
        let expected: (version: UInt8, compressed: Bool)? = switch (run.count, first) {
        case (51, 0x35): (0x80, false)
        case (52, 0x4B), (52, 0x4C): (0x80, true)
        case (51, 0x39): (0xEF, false)
        case (52, 0x63): (0xEF, true)
        default: nil
        }
        guard let expected else { return nil }
        var valid = false
        if let payload = Base58.decodeCheck(run), payload[0] == expected.version {
            valid = expected.compressed ? payload.count == 34 && payload[33] == 0x01 : payload.count == 33
        }
        guard valid || looksRandom(run) else { return nil }
        let chain: Chain = expected.version == 0x80 ? .bitcoin : .bitcoinTestnet
        return Finding(kind: .privateKey, chain: chain, valid: valid, start: range.lowerBound, end: range.upperBound, format: .wif)
    }

    /// BIP-32 private extended keys and the SLIP-132 variants wallets show for other script types.
    private static let extendedKeyVersions: [String: (UInt32, Chain)] = [
        "xprv": (0x0488_ADE4, .bitcoin), "yprv": (0x049D_7878, .bitcoin), "zprv": (0x04B2_430C, .bitcoin),
        "Yprv": (0x0295_B005, .bitcoin), "Zprv": (0x02AA_7A99, .bitcoin),
        "tprv": (0x0435_8394, .bitcoinTestnet), "uprv": (0x044A_4E28, .bitcoinTestnet), "vprv": (0x045F_18BC, .bitcoinTestnet),
    ]

    private func extendedKey(_ scalars: [UInt32], _ range: Range<Int>) -> Finding? {
        // 111 characters when intact; a slip of a few characters is still the same secret.
        guard range.count >= 100, range.count <= 120 else { return nil }
        let prefix = text(scalars, range.lowerBound..<(range.lowerBound + 4))
        guard let (version, chain) = Self.extendedKeyVersions[prefix] else { return nil }
        var valid = false
        if let payload = Base58.decodeCheck(scalars[range]), payload.count == 78 {
            let decodedVersion = payload.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            valid = decodedVersion == version && payload[45] == 0
        }
        return Finding(kind: .privateKey, chain: chain, valid: valid, start: range.lowerBound, end: range.upperBound, format: .extendedKey)
    }
}

/// EIP-55: the case of each hex letter of an address spells the Keccak-256 of its lower-case form.
public enum EIP55 {
    enum Verdict: Sendable {
        case valid
        case unchecksummed
        case broken
    }

    static func verdict(_ hex: ArraySlice<UInt32>) -> Verdict {
        var hasLower = false
        var hasUpper = false
        for v in hex {
            if v >= 0x61 && v <= 0x66 { hasLower = true }
            if v >= 0x41 && v <= 0x46 { hasUpper = true }
        }
        if !(hasLower && hasUpper) { return .unchecksummed }
        let lowered = hex.map { UInt8(Scalars.lowerASCII($0)) }
        let digest = Keccak256.hash(lowered)
        for (offset, v) in hex.enumerated() where !Scalars.isASCIIDigit(v) {
            let nibble = (digest[offset / 2] >> (offset % 2 == 0 ? 4 : 0)) & 0x0F
            let shouldBeUpper = nibble >= 8
            let isUpper = v <= 0x46
            if shouldBeUpper != isUpper { return .broken }
        }
        return .valid
    }

    /// The checksummed spelling of a 40-digit hex address (without `0x`), or nil if it is not one.
    public static func checksummed(_ address: String) -> String? {
        let body = address.hasPrefix("0x") || address.hasPrefix("0X") ? String(address.dropFirst(2)) : address
        let scalars = body.unicodeScalars.map(\.value)
        guard scalars.count == 40, scalars.allSatisfy(Scalars.isHexDigit) else { return nil }
        let lowered = scalars.map { UInt8(Scalars.lowerASCII($0)) }
        let digest = Keccak256.hash(lowered)
        var result = "0x"
        for (offset, byte) in lowered.enumerated() {
            let nibble = (digest[offset / 2] >> (offset % 2 == 0 ? 4 : 0)) & 0x0F
            let character = Character(Unicode.Scalar(byte))
            result.append(nibble >= 8 ? Character(character.uppercased()) : character)
        }
        return result
    }
}
