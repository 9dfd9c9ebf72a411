import Foundation
import KefuShield

/// A link's verdict against the workspace's official domains at the time it was written,
/// kept beside the finding it judges (matched by position).
struct LinkJudgement: Codable, Sendable, Hashable {
    let start: Int
    let end: Int
    let host: String
    let status: LinkVerdict.Status
    let signals: [LookalikeSignal]
    /// The official domain a look-alike imitates.
    let imitates: String?
}

/// The `metadata` column of a message: what the shield found, never a secret.
struct StoredFindings: Codable, Sendable {
    var findings: [Finding]
    var links: [LinkJudgement]?

    var json: String {
        guard !findings.isEmpty else { return "{}" }
        return StoredJSON.encode(self)
    }

    static func decode(_ metadata: String) -> StoredFindings {
        guard metadata.count > 2 else { return StoredFindings(findings: []) }
        return StoredJSON.decode(StoredFindings.self, from: metadata, default: StoredFindings(findings: []))
    }

    /// What agents are shown: one entry per finding, a link with its verdict when there is one.
    var views: [MessageFinding] {
        let judged = Dictionary((links ?? []).map { ("\($0.start):\($0.end)", $0) }, uniquingKeysWith: { first, _ in first })
        return findings.map { MessageFinding($0, judgement: $0.kind == .link ? judged["\($0.start):\($0.end)"] : nil) }
    }
}

/// One finding as agents see it in JSON. Secrets carry their kind and place, never a value.
struct MessageFinding: Codable, Sendable, Hashable {
    let kind: String
    let chain: String?
    let value: String?
    let valid: Bool
    let start: Int
    let end: Int
    let format: String?
    let host: String?
    let wordCount: Int?
    let checksumValid: Bool?
    /// For links judged against the official domains: official, lookalike or unrelated.
    let status: String?
    let imitates: String?
    let signals: [String]?

    init(_ finding: Finding, judgement: LinkJudgement?) {
        kind = finding.kind.rawValue
        chain = finding.chain?.rawValue
        value = finding.kind.isSecret ? nil : finding.value
        valid = finding.valid
        start = finding.start
        end = finding.end
        format = finding.format?.rawValue
        host = finding.kind.isSecret ? nil : finding.host
        wordCount = finding.wordCount
        checksumValid = finding.checksumValid
        status = judgement?.status.rawValue
        imitates = judgement?.imitates
        signals = judgement.map { $0.signals.map(\.rawValue) }
    }
}

/// Payloads that agents and visitors see differently: visitors get the customer-facing part only.
protocol VisitorFacing: Encodable {
    associatedtype VisitorPayload: Encodable
    var visitorPayload: VisitorPayload { get }
}

extension MessageView: VisitorFacing {
    /// What the shield found is for the desk only: a visitor sees the message without it.
    var forVisitor: MessageView {
        var copy = self
        copy.findings = nil
        return copy
    }

    var visitorPayload: MessageView { forVisitor }
}
