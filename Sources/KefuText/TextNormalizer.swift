import Foundation

/// Brings text to one comparable form: NFKC (which also turns full-width
/// letters, digits and the ideographic space into their ASCII forms and splits
/// ligatures), then case folding.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return lowercasedASCII(text)
        }
        let composed = text.precomposedStringWithCompatibilityMapping.lowercased()
        return foldSpecialCases(composed)
    }

    // ASCII-only text is the common case for English tickets; this path avoids
    // Foundation's bridging and ICU entirely.
    private static func lowercasedASCII(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
            bytes[i] |= 0x20
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    // `lowercased()` is a case mapping, not a case fold: these are the folds
    // that differ and appear in the languages we detect.
    private static func foldSpecialCases(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "ß" || $0 == "ς" || $0 == "ſ" }) else {
            return text
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "ß": scalars.append(contentsOf: "ss".unicodeScalars)
            case "ς": scalars.append("σ")
            case "ſ": scalars.append("s")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
