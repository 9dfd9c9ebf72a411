/// What a Unicode scalar is to the word tokenizer.
enum ScalarClass: UInt8 {
    case separator
    case latin
    case combiningMark
    case han
    case kana
    case kanaMark
    case hangul
    case hangulJamo
    case otherLetter
}

enum Scalars {
    static let ideographicSpace: UInt32 = 0x3000

    @inline(__always)
    static func isASCIILetter(_ v: UInt32) -> Bool {
        (v | 0x20) &- 0x61 < 26
    }

    @inline(__always)
    static func isASCIIDigit(_ v: UInt32) -> Bool {
        v &- 0x30 < 10
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ v: UInt32) -> Bool {
        isASCIILetter(v) || isASCIIDigit(v)
    }

    @inline(__always)
    static func isHexDigit(_ v: UInt32) -> Bool {
        isASCIIDigit(v) || (v | 0x20) &- 0x61 < 6
    }

    @inline(__always)
    static func lowerASCII(_ v: UInt32) -> UInt32 {
        v &- 0x41 < 26 ? v | 0x20 : v
    }

    @inline(__always)
    static func isHan(_ v: UInt32) -> Bool {
        (v &- 0x4E00 < 0x5200) || (v &- 0x3400 < 0x1A00) || (v &- 0xF900 < 0x200)
    }

    static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    static func classify(_ v: UInt32) -> ScalarClass {
        if v < 0x80 {
            return isASCIILetter(v) ? .latin : .separator
        }
        switch v {
        case 0xC0...0x24F where v != 0xD7 && v != 0xF7: return .latin
        case 0x1E00...0x1EFF: return .latin
        case 0xFF21...0xFF3A, 0xFF41...0xFF5A: return .latin
        case 0x300...0x36F: return .combiningMark
        case 0x3099, 0x309A: return .kanaMark
        case 0x3041...0x3096, 0x309D...0x309F: return .kana
        case 0x30A1...0x30FA, 0x30FC...0x30FF: return .otherLetter
        case 0xAC00...0xD7A3: return .hangul
        case 0x1100...0x11FF: return .hangulJamo
        case 0x3131...0x318E: return .otherLetter
        default:
            if isHan(v) { return .han }
            if let scalar = Unicode.Scalar(v), scalar.properties.isAlphabetic { return .otherLetter }
            return .separator
        }
    }
}
