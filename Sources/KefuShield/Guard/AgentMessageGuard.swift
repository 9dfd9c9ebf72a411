/// Why a draft reply is held back.
public struct GuardReason: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The draft asks the customer for a recovery phrase, private key, password or PIN.
        case asksForSecret = "asks_for_secret"
        /// The draft itself holds a recovery phrase or private key.
        case containsSecret = "contains_secret"
        /// The draft links to a domain that imitates an official one.
        case lookalikeLink = "lookalike_link"
        /// The draft links outside the official domains.
        case unofficialLink = "unofficial_link"
    }

    public var kind: Kind
    public var secret: RequestedSecret?
    public var host: String?
    /// The official domain a look-alike link imitates.
    public var officialDomain: String?
    /// Where in the draft (Unicode scalar offsets, end exclusive) the reason lies.
    public var start: Int
    public var end: Int
    public var explanation: LocalizedText
}

public struct GuardVerdict: Sendable, Hashable, Codable {
    public var reasons: [GuardReason]

    public var isBlocked: Bool { !reasons.isEmpty }
}

/// Reviews an agent's draft before it reaches a customer: the desk never asks for
/// secrets and never links outside the workspace's official domains, so a draft that
/// does is blocked, whoever wrote it.
public struct AgentMessageGuard: Sendable {
    public let linkCheck: LinkCheck
    private let shield = Shield()

    public init(officialDomains: [String]) {
        linkCheck = LinkCheck(officialDomains: officialDomains)
    }

    public func review(_ draft: String) -> GuardVerdict {
        var reasons: [GuardReason] = []
        let scan = shield.scan(draft)
        var pointsElsewhere = false
        for finding in scan.findings {
            switch finding.kind {
            case .mnemonic, .privateKey:
                reasons.append(GuardReason(
                    kind: .containsSecret, secret: finding.kind == .mnemonic ? .recoveryPhrase : .privateKey,
                    start: finding.start, end: finding.end,
                    explanation: LocalizedText(
                        english: "The reply contains a \(finding.kind == .mnemonic ? "recovery phrase" : "private key"); secrets must never be sent in a conversation.",
                        simplifiedChinese: "回复中包含\(finding.kind == .mnemonic ? "助记词" : "私钥")；任何秘密信息都不得在对话中发送。"
                    )
                ))
            case .link:
                guard let host = finding.host else { continue }
                let verdict = linkCheck.verdict(forHost: host)
                switch verdict.status {
                case .official:
                    continue
                case .lookalike:
                    pointsElsewhere = true
                    reasons.append(GuardReason(
                        kind: .lookalikeLink, host: verdict.host, officialDomain: verdict.officialDomain,
                        start: finding.start, end: finding.end,
                        explanation: LocalizedText(
                            english: "The reply links to \(verdict.host), which imitates an official domain. " + verdict.explanation.english,
                            simplifiedChinese: "回复中的链接 \(verdict.host) 冒充官方域名。" + verdict.explanation.simplifiedChinese
                        )
                    ))
                case .unrelated:
                    pointsElsewhere = true
                    reasons.append(GuardReason(
                        kind: .unofficialLink, host: verdict.host, start: finding.start, end: finding.end,
                        explanation: LocalizedText(
                            english: "The reply links to \(verdict.host), which is not one of the workspace's official domains.",
                            simplifiedChinese: "回复中的链接 \(verdict.host) 不属于本工作区的官方域名。"
                        )
                    ))
                }
            case .address, .txHash:
                continue
            }
        }
        for request in SecretRequestDetector().requests(in: draft, pointsElsewhere: pointsElsewhere) {
            let name = request.secret.name
            reasons.append(GuardReason(
                kind: .asksForSecret, secret: request.secret,
                start: request.sentence.lowerBound, end: request.sentence.upperBound,
                explanation: LocalizedText(
                    english: "The reply asks the customer for their \(name.english). Support never asks for it: anyone who has it can take the customer's funds or account.",
                    simplifiedChinese: "回复向客户索要\(name.simplifiedChinese)。客服从不索要此信息：任何人拿到它都能盗走客户的资产或账户。"
                )
            ))
        }
        reasons.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        return GuardVerdict(reasons: reasons)
    }
}
