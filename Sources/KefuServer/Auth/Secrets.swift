import Crypto
import Foundation

/// Random credentials and their stored form. Only hashes are stored, so a leaked
/// database does not hand out working tokens.
enum Secrets {
    static let sessionPrefix = "kfs_"
    static let apiTokenPrefix = "kfa_"
    static let widgetTokenPrefix = "kwi_"

    static func randomToken(prefix: String, bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + base64URL(Data(raw))
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func hmacSHA256Hex(key: String, message: some DataProtocol) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(key.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without an early exit, so timing does not reveal how much of a MAC matched.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func randomPassword() -> String { randomToken(prefix: "", bytes: 12) }
}
