import Foundation
@testable import KefuShield

let shield = Shield()

extension ShieldScan {
    func findings(_ kind: FindingKind) -> [Finding] {
        findings.filter { $0.kind == kind }
    }
}

/// The text a finding covers, sliced by Unicode scalar offsets as the API promises.
func slice(_ text: String, _ finding: Finding) -> String {
    let scalars = Array(text.unicodeScalars)
    return String(String.UnicodeScalarView(scalars[finding.start..<finding.end]))
}

func nfc(_ text: String) -> String {
    text.precomposedStringWithCanonicalMapping
}

func nfkd(_ text: String) -> String {
    text.decomposedStringWithCompatibilityMapping
}

func stripAccents(_ text: String) -> String {
    String(String.UnicodeScalarView(nfkd(text).unicodeScalars.filter { !(0x300...0x36F).contains($0.value) }))
}
