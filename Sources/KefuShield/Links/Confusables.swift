import Foundation

/// Reduces a domain label to a skeleton in which characters that look alike are the
/// same: Cyrillic and Greek letters that pass for Latin ones, accented letters, digits
/// that pass for letters, and letter pairs that pass for one letter (`rn` for `m`).
enum Confusables {
    private static let single: [UInt32: Character] = {
        var map: [UInt32: Character] = [:]
        let pairs: [(String, Character)] = [
            // Cyrillic
            ("аӓ", "a"), ("Ь", "b"), ("сϲ", "c"), ("ԁ", "d"), ("еёэ", "e"), ("һ", "h"), ("іїӏ", "l"), ("ј", "j"),
            ("к", "k"), ("м", "m"), ("п", "n"), ("оӧ", "o"), ("р", "p"), ("ԛ", "q"), ("г", "r"), ("ѕ", "s"),
            ("т", "t"), ("ц", "u"), ("ѵ", "v"), ("ԝ", "w"), ("хҳ", "x"), ("уү", "y"),
            // Greek
            ("αά", "a"), ("β", "b"), ("ε", "e"), ("η", "n"), ("ιί", "l"), ("κ", "k"), ("ν", "v"), ("οό", "o"),
            ("ρ", "p"), ("τ", "t"), ("υ", "u"), ("χ", "x"), ("γ", "y"), ("ω", "w"),
            // Latin look-alikes and digits
            ("ıɩǀ|", "l"), ("ɡ", "g"), ("ɑ", "a"), ("ο0", "o"), ("1i", "l"), ("3", "e"), ("4", "a"), ("5", "s"),
            ("7", "t"), ("8", "b"), ("9", "g"), ("$", "s"), ("@", "a"),
        ]
        for (sources, target) in pairs {
            for scalar in sources.unicodeScalars { map[scalar.value] = target }
        }
        return map
    }()

    private static let sequences: [(String, String)] = [("rn", "m"), ("vv", "w"), ("cl", "d")]

    static func skeleton(_ label: String) -> String {
        var result = ""
        for scalar in label.lowercased().unicodeScalars {
            if let mapped = single[scalar.value] {
                result.append(mapped)
                continue
            }
            if scalar.value >= 0x80 {
                let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
                if let base = decomposed.first, base.isASCII {
                    result.append(Character(base))
                    continue
                }
            }
            if scalar == "-" { continue }
            result.unicodeScalars.append(scalar)
        }
        for (sequence, replacement) in sequences {
            result = result.replacingOccurrences(of: sequence, with: replacement)
        }
        return result
    }

    /// Whether a label uses characters from outside plain ASCII or digits in place of letters.
    static func hasLookalikeCharacters(_ label: String) -> Bool {
        label.unicodeScalars.contains { !$0.isASCII } || label.unicodeScalars.contains { "013457".unicodeScalars.contains($0) }
    }
}
