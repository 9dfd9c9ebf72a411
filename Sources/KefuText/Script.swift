/// The writing system a Unicode scalar belongs to, as far as tokenising and
/// language detection need to know.
enum Script: Sendable, Equatable {
    case han, kana, hangul, cyrillic, latin, otherLetter, digit, separator

    /// Han, kana and Hangul are written without spaces between words, so they
    /// are tokenised as character bigrams rather than as words.
    var isCJK: Bool { self == .han || self == .kana || self == .hangul }

    /// Scripts whose runs form word tokens.
    var isWordLike: Bool {
        switch self {
        case .cyrillic, .latin, .otherLetter, .digit: return true
        default: return false
        }
    }

    init(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        if v < 0x80 {
            switch v {
            case 0x30...0x39: self = .digit
            case 0x41...0x5A, 0x61...0x7A: self = .latin
            default: self = .separator
            }
            return
        }
        switch v {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x3005, 0x3007:
            self = .han
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F:
            self = .kana
        case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F:
            self = .hangul
        case 0x0400...0x052F:
            self = scalar.properties.isAlphabetic ? .cyrillic : .separator
        case 0x00C0...0x024F, 0x1E00...0x1EFF:
            self = scalar.properties.isAlphabetic ? .latin : .separator
        default:
            let properties = scalar.properties
            if properties.numericType == .decimal {
                self = .digit
            } else if properties.isAlphabetic || properties.generalCategory == .nonspacingMark {
                self = .otherLetter
            } else {
                self = .separator
            }
        }
    }
}
