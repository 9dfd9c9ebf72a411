import Foundation

/// What makes a host look like an official one without being it.
public enum LookalikeSignal: String, Sendable, Codable, CaseIterable {
    /// The name is a letter or two away from the official one (`metamsk`, `metamaks`).
    case editDistance = "edit_distance"
    /// The name reads the same once look-alike characters are made plain (Cyrillic `а`, `0` for `o`, `rn` for `m`).
    case confusableCharacters = "confusable_characters"
    /// The host is written in punycode (`xn--`), which browsers may show as look-alike letters.
    case punycode
    /// The official name with words around it (`metamask-support`, `secure-metamask`).
    case extraWords = "extra_words"
    /// The official name under another top-level domain (`metamask.com` for `metamask.io`).
    case differentTopLevelDomain = "different_top_level_domain"
    /// The official name used as a subdomain of someone else's domain (`metamask.io.verify-wallet.com`).
    case officialNameInSubdomain = "official_name_in_subdomain"

    var explanation: LocalizedText {
        switch self {
        case .editDistance:
            LocalizedText(english: "its name differs from the official one by only a letter or two",
                          simplifiedChinese: "其名称与官方域名仅相差一两个字母")
        case .confusableCharacters:
            LocalizedText(english: "it uses look-alike characters in place of the official name's letters",
                          simplifiedChinese: "它用形似的字符冒充官方名称中的字母")
        case .punycode:
            LocalizedText(english: "it is an internationalised (xn--) name that can display as look-alike letters",
                          simplifiedChinese: "它是国际化域名（xn--），可能显示为形似的字母")
        case .extraWords:
            LocalizedText(english: "it adds words to the official name",
                          simplifiedChinese: "它在官方名称上附加了其他词语")
        case .differentTopLevelDomain:
            LocalizedText(english: "it uses the official name under a different ending",
                          simplifiedChinese: "它使用官方名称，但域名后缀不同")
        case .officialNameInSubdomain:
            LocalizedText(english: "the official name is only a prefix of someone else's domain",
                          simplifiedChinese: "官方名称只是他人域名的前缀")
        }
    }
}

/// The verdict on one host against a workspace's official domains.
public struct LinkVerdict: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case official
        case lookalike
        case unrelated
    }

    public var host: String
    public var status: Status
    /// The official domain the host is, or imitates.
    public var officialDomain: String?
    public var signals: [LookalikeSignal]
    public var explanation: LocalizedText
}

/// Says whether a host belongs to a workspace's official domains, imitates one of them, or is unrelated.
public struct LinkCheck: Sendable {
    public let officialDomains: [String]

    /// Words that phishing domains wrap around an official name.
    static let lureWords: Set<String> = [
        "support", "help", "helpdesk", "service", "services", "care", "desk", "team", "official", "wallet",
        "secure", "security", "login", "signin", "verify", "verification", "validate", "auth", "account",
        "app", "apps", "web", "online", "connect", "sync", "restore", "recovery", "recover", "claim",
        "airdrop", "bonus", "reward", "rewards", "gift", "update", "upgrade", "unlock", "kyc", "dapp",
        "defi", "chat", "live", "customer", "contact", "io", "pro", "portal", "center", "hub", "network",
    ]

    private static let lureSkeletons = Set(lureWords.map(Confusables.skeleton))

    public init(officialDomains: [String]) {
        self.officialDomains = officialDomains.map { DomainName($0).comparable }.filter { !$0.isEmpty }
    }

    public func verdict(forHost rawHost: String) -> LinkVerdict {
        let domain = DomainName(rawHost)
        for official in officialDomains where domain.isSameOrSubdomain(of: official) {
            return LinkVerdict(
                host: domain.host, status: .official, officialDomain: official, signals: [],
                explanation: LocalizedText(english: "\(domain.host) is an official domain.",
                                           simplifiedChinese: "\(domain.host) 是官方域名。")
            )
        }
        var best: (official: String, signals: [LookalikeSignal])?
        for official in officialDomains {
            let signals = lookalikeSignals(domain, official: DomainName(official))
            if !signals.isEmpty, signals.count > (best?.signals.count ?? 0) {
                best = (official, signals)
            }
        }
        if let best {
            let reasons = best.signals.map(\.explanation)
            return LinkVerdict(
                host: domain.host, status: .lookalike, officialDomain: best.official, signals: best.signals,
                explanation: LocalizedText(
                    english: "\(domain.host) imitates the official domain \(best.official): "
                        + reasons.map(\.english).joined(separator: "; ") + ".",
                    simplifiedChinese: "\(domain.host) 冒充官方域名 \(best.official)："
                        + reasons.map(\.simplifiedChinese).joined(separator: "；") + "。"
                )
            )
        }
        return LinkVerdict(
            host: domain.host, status: .unrelated, officialDomain: nil,
            signals: domain.usesPunycode ? [.punycode] : [],
            explanation: LocalizedText(english: "\(domain.host) is not one of the official domains.",
                                       simplifiedChinese: "\(domain.host) 不是官方域名。")
        )
    }

    /// The verdict on a link's host; nil when no host can be read from it.
    public func verdict(forLink link: String) -> LinkVerdict? {
        guard let host = LinkDetector().findings(link.scalarValues).first?.host else { return nil }
        return verdict(forHost: host)
    }

    private func lookalikeSignals(_ domain: DomainName, official: DomainName) -> [LookalikeSignal] {
        var signals: [LookalikeSignal] = []
        let name = domain.name
        let officialName = official.name
        guard !officialName.isEmpty, !name.isEmpty else { return [] }

        if name == officialName {
            if domain.suffix != official.suffix { signals.append(.differentTopLevelDomain) }
        } else {
            let skeleton = Confusables.skeleton(name)
            let officialSkeleton = Confusables.skeleton(officialName)
            let allowed = Self.allowedEdits(forLength: officialName.unicodeScalars.count)
            if skeleton == officialSkeleton {
                signals.append(.confusableCharacters)
            } else if EditDistance.between(name, officialName) <= allowed {
                signals.append(.editDistance)
            } else if EditDistance.between(skeleton, officialSkeleton) <= allowed {
                signals.append(.confusableCharacters)
                signals.append(.editDistance)
            } else if wrapsOfficialName(name, officialName: officialName, officialSkeleton: officialSkeleton) {
                signals.append(.extraWords)
            }
            if !signals.isEmpty, domain.suffix != official.suffix { signals.append(.differentTopLevelDomain) }
        }
        if domain.subdomainLabels.contains(where: { label in
            label == officialName || Confusables.skeleton(label) == Confusables.skeleton(officialName)
        }) || domain.host.hasPrefix(official.host + ".") {
            signals.append(.officialNameInSubdomain)
        }
        if domain.usesPunycode, !signals.isEmpty { signals.append(.punycode) }
        return signals
    }

    /// Short names would match half the internet at two edits.
    static func allowedEdits(forLength length: Int) -> Int {
        switch length {
        case ..<4: 0
        case 4...5: 1
        default: 2
        }
    }

    private func wrapsOfficialName(_ name: String, officialName: String, officialSkeleton: String) -> Bool {
        guard officialName.unicodeScalars.count >= 3 else { return false }
        let parts = name.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        if parts.count > 1, parts.contains(where: { $0 == officialName || Confusables.skeleton($0) == officialSkeleton }) {
            return true
        }
        // Words run together: "metamasksupport", "securemetamask".
        let skeleton = Confusables.skeleton(name)
        guard skeleton.contains(officialSkeleton) else { return false }
        let rest = skeleton.replacingOccurrences(of: officialSkeleton, with: " ")
            .split(separator: " ").map(String.init)
        return officialName.unicodeScalars.count >= 5 || rest.allSatisfy { Self.lureSkeletons.contains($0) }
    }
}
