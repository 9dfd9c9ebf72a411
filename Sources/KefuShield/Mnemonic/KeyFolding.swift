import Foundation

/// Turns the way a word was typed into the one form it is looked up by: Latin
/// letters lower-cased with their accents dropped (BIP-39's Spanish and French
/// words are distinct without accents, and people type them either way), kana and
/// Hangul composed (the wordlists ship them NFKD-decomposed; keyboards type them
/// composed), full-width Latin as ASCII.
struct KeyFolding: Sendable {
    private let latinBase: [UInt32]
    private let latinExtendedAdditionalBase: [UInt32]
    private let kanaComposition: [UInt32: UInt32]

    private static let latinRange: ClosedRange<UInt32> = 0xC0...0x24F
    private static let latinExtendedAdditionalRange: ClosedRange<UInt32> = 0x1E00...0x1EFF

    init() {
        latinBase = Self.latinRange.map(Self.baseLetter)
        latinExtendedAdditionalBase = Self.latinExtendedAdditionalRange.map(Self.baseLetter)
        var composition: [UInt32: UInt32] = [:]
        for v in UInt32(0x3041)...0x30FE {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let parts = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
            if parts.count == 2, parts[1] == 0x3099 || parts[1] == 0x309A {
                composition[Self.compositionKey(base: parts[0], mark: parts[1])] = v
            }
        }
        kanaComposition = composition
    }

    private static func compositionKey(base: UInt32, mark: UInt32) -> UInt32 {
        base << 1 | (mark == 0x309A ? 1 : 0)
    }

    private static func baseLetter(_ v: UInt32) -> UInt32 {
        guard let scalar = Unicode.Scalar(v) else { return v }
        let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
        if let first = decomposed.first, Scalars.isASCIILetter(first.value) {
            return Scalars.lowerASCII(first.value)
        }
        return scalar.properties.lowercaseMapping.unicodeScalars.first?.value ?? v
    }

    /// Folds one Latin scalar; nil for marks that carry no letter of their own.
    @inline(__always)
    func foldLatin(_ v: UInt32) -> UInt32? {
        if v < 0x80 { return Scalars.lowerASCII(v) }
        if Self.latinRange.contains(v) { return latinBase[Int(v - 0xC0)] }
        if Self.latinExtendedAdditionalRange.contains(v) { return latinExtendedAdditionalBase[Int(v - 0x1E00)] }
        if v >= 0xFF21 && v <= 0xFF5A { return Scalars.lowerASCII(v - 0xFF21 + 0x41) }
        if v >= 0x300 && v <= 0x36F { return nil }
        return v
    }

    func composeKana(_ base: UInt32, mark: UInt32) -> UInt32? {
        kanaComposition[Self.compositionKey(base: base, mark: mark)]
    }

    /// Appends the folded key of `scalars[range]` to `key`.
    func fold(_ scalars: [UInt32], _ range: Range<Int>, script: ScalarClass, into key: inout [UInt32]) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let v = scalars[i]
            switch script {
            case .latin:
                if let folded = foldLatin(v) { key.append(folded) }
                i += 1
            case .kana:
                if i + 1 < end, scalars[i + 1] == 0x3099 || scalars[i + 1] == 0x309A,
                   let composed = composeKana(v, mark: scalars[i + 1]) {
                    key.append(composed)
                    i += 2
                } else {
                    key.append(v)
                    i += 1
                }
            case .hangul:
                if let (syllable, used) = Self.composeJamo(scalars, at: i, end: end) {
                    key.append(syllable)
                    i += used
                } else {
                    key.append(v)
                    i += 1
                }
            default:
                key.append(v)
                i += 1
            }
        }
    }

    /// Composes a conjoining-jamo syllable (leading + vowel + optional trailing) the way NFC does.
    private static func composeJamo(_ scalars: [UInt32], at i: Int, end: Int) -> (UInt32, Int)? {
        let lead = scalars[i]
        guard lead >= 0x1100 && lead <= 0x1112, i + 1 < end else { return nil }
        let vowel = scalars[i + 1]
        guard vowel >= 0x1161 && vowel <= 0x1175 else { return nil }
        var syllable = 0xAC00 + ((lead - 0x1100) * 21 + (vowel - 0x1161)) * 28
        var used = 2
        if i + 2 < end {
            let trail = scalars[i + 2]
            if trail >= 0x11A8 && trail <= 0x11C2 {
                syllable += trail - 0x11A7
                used = 3
            }
        }
        return (syllable, used)
    }
}
