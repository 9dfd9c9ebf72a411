/// Segregated-witness addresses: bech32 (BIP-173) for witness version 0, bech32m (BIP-350) for 1 to 16.
enum Bech32 {
    enum Variant {
        case bech32
        case bech32m

        var constant: UInt32 {
            switch self {
            case .bech32: 1
            case .bech32m: 0x2BC8_30A3
            }
        }
    }

    struct SegwitAddress: Equatable {
        var humanReadablePart: String
        var version: Int
        var program: [UInt8]
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".unicodeScalars.map(\.value))
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, scalar) in charset.enumerated() { table[Int(scalar)] = Int8(value) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1FF_FFFF) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { checksum ^= generator[i] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt32]) -> [UInt8] {
        hrp.map { UInt8($0 >> 5) } + [0] + hrp.map { UInt8($0 & 31) }
    }

    /// Human-readable part and data values of a bech32 or bech32m string, with the variant its checksum matches.
    static func decode(_ scalars: ArraySlice<UInt32>) -> (hrp: [UInt32], data: [UInt8], variant: Variant)? {
        guard scalars.count <= 90 else { return nil }
        var hasLower = false
        var hasUpper = false
        for v in scalars {
            guard v >= 33 && v <= 126 else { return nil }
            if v >= 0x61 && v <= 0x7A { hasLower = true }
            if v >= 0x41 && v <= 0x5A { hasUpper = true }
        }
        guard !(hasLower && hasUpper), let separator = scalars.lastIndex(of: 0x31) else { return nil }
        let hrp = scalars[scalars.startIndex..<separator].map(Scalars.lowerASCII)
        let dataPart = scalars[(separator + 1)...]
        guard !hrp.isEmpty, dataPart.count >= 6 else { return nil }
        var data: [UInt8] = []
        for v in dataPart {
            let value = values[Int(Scalars.lowerASCII(v))]
            guard value >= 0 else { return nil }
            data.append(UInt8(value))
        }
        let check = polymod(expand(hrp) + data)
        let variant: Variant
        switch check {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: return nil
        }
        return (hrp, Array(data.dropLast(6)), variant)
    }

    /// Regroups bits, e.g. 5-bit bech32 values into bytes; nil when the padding is not zero.
    static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var result: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                result.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { result.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || ((accumulator << (to - bits)) & maxValue) != 0 {
            return nil
        }
        return result
    }

    /// A witness address per BIP-173 and BIP-350, or nil when anything about it is wrong.
    static func decodeSegwit(_ scalars: ArraySlice<UInt32>, expectedHRP: String? = nil) -> SegwitAddress? {
        guard let (hrp, data, variant) = decode(scalars), let version = data.first else { return nil }
        let hrpString = String(String.UnicodeScalarView(hrp.compactMap(Unicode.Scalar.init)))
        if let expectedHRP, hrpString != expectedHRP { return nil }
        guard version <= 16, let program = convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false),
              program.count >= 2, program.count <= 40
        else { return nil }
        if version == 0 && program.count != 20 && program.count != 32 { return nil }
        if (version == 0) != (variant == .bech32) { return nil }
        return SegwitAddress(humanReadablePart: hrpString, version: Int(version), program: program)
    }
}
