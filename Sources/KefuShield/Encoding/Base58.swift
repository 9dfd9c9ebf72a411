import Crypto

/// Bitcoin's base58 alphabet and base58check (payload + first four bytes of double SHA-256).
enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".unicodeScalars.map(\.value))
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (value, scalar) in alphabet.enumerated() { table[Int(scalar)] = Int8(value) }
        return table
    }()

    @inline(__always)
    static func isDigit(_ v: UInt32) -> Bool {
        v < 128 && values[Int(v)] >= 0
    }

    static func decode(_ scalars: ArraySlice<UInt32>) -> [UInt8]? {
        var leadingZeros = 0
        for v in scalars {
            if v == 0x31 { leadingZeros += 1 } else { break }
        }
        // Base-256 digits, least significant first.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for v in scalars {
            guard v < 128 else { return nil }
            let digit = values[Int(v)]
            guard digit >= 0 else { return nil }
            var carry = Int(digit)
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        while bytes.last == 0 { bytes.removeLast() }
        return [UInt8](repeating: 0, count: leadingZeros) + bytes.reversed()
    }

    /// The payload of a base58check string, or nil when it does not decode or its checksum fails.
    static func decodeCheck(_ scalars: ArraySlice<UInt32>) -> [UInt8]? {
        guard let bytes = decode(scalars), bytes.count > 4 else { return nil }
        let payload = bytes.dropLast(4)
        let checksum = Array(SHA256.hash(data: Array(SHA256.hash(data: payload))).prefix(4))
        guard Array(bytes.suffix(4)) == checksum else { return nil }
        return Array(payload)
    }
}
