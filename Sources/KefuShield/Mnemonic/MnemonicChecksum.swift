import Crypto

/// BIP-39's checksum: the words' 11-bit indices carry the entropy followed by the
/// first bits of its SHA-256.
enum MnemonicChecksum {
    static let phraseLengths: Set<Int> = [12, 15, 18, 21, 24]

    static func isValid(_ indices: ArraySlice<Int>) -> Bool {
        guard phraseLengths.contains(indices.count) else { return false }
        let totalBits = indices.count * 11
        let checksumBits = totalBits / 33
        let entropyBits = totalBits - checksumBits
        var bytes = [UInt8](repeating: 0, count: (totalBits + 7) / 8)
        var bit = 0
        for index in indices {
            for shift in stride(from: 10, through: 0, by: -1) {
                if (index >> shift) & 1 == 1 { bytes[bit >> 3] |= 0x80 >> UInt8(bit & 7) }
                bit += 1
            }
        }
        let entropy = bytes[0..<(entropyBits / 8)]
        let digest = Array(SHA256.hash(data: entropy))
        for i in 0..<checksumBits {
            let expected = (digest[i >> 3] >> (7 - UInt8(i & 7))) & 1
            let position = entropyBits + i
            let actual = (bytes[position >> 3] >> (7 - UInt8(position & 7))) & 1
            if expected != actual { return false }
        }
        return true
    }

    /// The length of the longest stretch of the words that is a phrase with a valid
    /// checksum, or nil. Words typed around a phrase ("seed: … please help" are list
    /// words too) are why every offset is tried; very long runs try only their ends.
    static func longestValidPhrase(_ indices: [Int]) -> Int? {
        let everyOffset = indices.count <= 48
        for length in [24, 21, 18, 15, 12] where length <= indices.count {
            let offsets = everyOffset ? Array(0...(indices.count - length)) : [0, indices.count - length]
            for offset in offsets where isValid(indices[offset..<(offset + length)]) {
                return length
            }
        }
        return nil
    }
}
