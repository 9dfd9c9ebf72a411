import Foundation

/// Checks a hash's shape before any request, so a typo costs no round trip and a node
/// never sees arbitrary text.
public enum TransactionHash {
    /// The hash in the form the chain's node expects: lower-case hex, `0x`-prefixed for EVM.
    public static func normalized(_ raw: String, for chain: ChainKind) throws(ChainLookupError) -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch chain {
        case .evm:
            guard text.hasPrefix("0x") || text.hasPrefix("0X"), isHex64(text.dropFirst(2)) else {
                throw .invalidHash(chain: chain, reason: "expected 0x followed by 64 hexadecimal digits")
            }
            return "0x" + text.dropFirst(2).lowercased()
        case .bitcoin, .tron:
            guard isHex64(Substring(text)) else {
                throw .invalidHash(chain: chain, reason: "expected 64 hexadecimal digits without 0x")
            }
            return text.lowercased()
        }
    }

    private static func isHex64(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
    }
}
