import Foundation
import Hummingbird
import KefuShield

/// The answer to "is this really you?": what the value looks like, and whether it is one
/// of the workspace's official channels, imitates one, or is simply not one of them.
struct ChannelVerification: ResponseEncodable, Sendable {
    struct Matched: Codable, Sendable { let kind: String; let value: String; let label: String? }
    struct Explanation: Codable, Sendable { let en: String; let zhHans: String }

    enum Kind: String, Codable, Sendable { case domain, link, email, telegram, agentId = "agent_id", unknown }
    enum Verdict: String, Codable, Sendable { case official, lookalike, unknown }

    let value: String
    let kind: Kind
    let official: Bool
    let verdict: Verdict
    let matched: Matched?
    let imitates: String?
    let explanation: Explanation

    // `matched` and `imitates` are written as null rather than left out: clients test for them.
    enum CodingKeys: String, CodingKey { case value, kind, official, verdict, matched, imitates, explanation }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(kind, forKey: .kind)
        try container.encode(official, forKey: .official)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(matched, forKey: .matched)
        try container.encode(imitates, forKey: .imitates)
        try container.encode(explanation, forKey: .explanation)
    }
}

/// Checks one value a customer pasted against a workspace's official channels.
struct ChannelVerifier: Sendable {
    let workspaceName: String
    let channels: [OfficialChannel]

    private var domains: [OfficialChannel] { channels.filter { $0.kind == .domain } }

    func verify(_ raw: String) -> ChannelVerification {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if lower.hasPrefix("@") || ["t.me/", "telegram.me/", "https://t.me/", "http://t.me/", "https://telegram.me/"].contains(where: lower.hasPrefix) {
            return telegram(text)
        }
        if !lower.contains("://"), let at = lower.firstIndex(of: "@"), at != lower.startIndex { return email(text) }
        if let host = Self.host(of: text) {
            let isLink = lower.contains("://") || lower.contains("/")
            return site(text, host: host, kind: isLink ? .link : .domain)
        }
        if let code = OfficialChannelValue.agentCode(text), let match = channels.first(where: { $0.kind == .agentId && $0.value == code }) {
            return official(text, kind: .agentId, match)
        }
        if OfficialChannelValue.telegramHandle(text) != nil { return telegram(text) }
        if OfficialChannelValue.agentCode(text) != nil {
            return notOfficial(text, kind: .agentId, english: "No agent of \(workspaceName) signs with \(text).",
                               chinese: "\(workspaceName) 没有使用 \(text) 这个编号的客服。")
        }
        return ChannelVerification(
            value: text, kind: .unknown, official: false, verdict: .unknown, matched: nil, imitates: nil,
            explanation: .init(en: "\(text) is not a website, email address, Telegram account or agent code that \(workspaceName) uses. Treat it as not official.",
                               zhHans: "\(text) 不是 \(workspaceName) 使用的网站、邮箱、Telegram 账号或客服编号，请视为非官方。"))
    }

    /// The host of a domain or link as typed (Unicode kept, so look-alike letters are judged), when it is one.
    static func host(of text: String) -> String? {
        var rest = Substring(text.lowercased())
        if let scheme = rest.range(of: "://") {
            guard ["http", "https"].contains(String(rest[..<scheme.lowerBound])) else { return nil }
            rest = rest[scheme.upperBound...]
        }
        if let end = rest.firstIndex(where: { "/?#".contains($0) }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        while rest.hasSuffix(".") { rest = rest.dropLast() }
        let host = String(rest)
        guard !host.isEmpty, HostName.normalized(host) != nil else { return nil }
        return host
    }

    private func site(_ text: String, host: String, kind: ChannelVerification.Kind) -> ChannelVerification {
        guard !domains.isEmpty else { return noDomains(text, kind: kind) }
        let verdict = LinkCheck(officialDomains: domains.map(\.value)).verdict(forHost: host)
        switch verdict.status {
        case .official:
            let match = domains.first { $0.value == verdict.officialDomain || $0.value == "www." + (verdict.officialDomain ?? "") } ?? domains[0]
            return official(text, kind: kind, match)
        case .lookalike:
            let imitates = HostName.displayed(verdict.officialDomain ?? "")
            return lookalike(text, kind: kind, imitates: imitates, because: verdict.explanation)
        case .unrelated:
            return notOfficial(text, kind: kind, english: "\(HostName.displayed(verdict.host)) is not one of \(workspaceName)'s official websites.",
                               chinese: "\(HostName.displayed(verdict.host)) 不是 \(workspaceName) 的官方网站。")
        }
    }

    private func email(_ text: String) -> ChannelVerification {
        guard let address = OfficialChannelValue.email(text) else {
            return notOfficial(text, kind: .email, english: "\(text) is not a valid email address.", chinese: "\(text) 不是有效的邮箱地址。")
        }
        if let match = channels.first(where: { $0.kind == .email && $0.value == address }) { return official(text, kind: .email, match) }
        let domain = String(address.split(separator: "@")[1])
        if !domains.isEmpty {
            let verdict = LinkCheck(officialDomains: domains.map(\.value)).verdict(forHost: domain)
            if verdict.status == .lookalike {
                return lookalike(text, kind: .email, imitates: HostName.displayed(verdict.officialDomain ?? ""), because: verdict.explanation)
            }
            if verdict.status == .official {
                return notOfficial(text, kind: .email, english: "\(address) uses \(workspaceName)'s domain but is not one of its official support addresses.",
                                   chinese: "\(address) 使用了 \(workspaceName) 的域名，但不是官方客服邮箱。")
            }
        }
        return notOfficial(text, kind: .email, english: "\(address) is not one of \(workspaceName)'s official email addresses.",
                           chinese: "\(address) 不是 \(workspaceName) 的官方邮箱。")
    }

    private func telegram(_ text: String) -> ChannelVerification {
        guard let handle = OfficialChannelValue.telegramHandle(text) else {
            return notOfficial(text, kind: .telegram, english: "\(text) is not a valid Telegram username.", chinese: "\(text) 不是有效的 Telegram 用户名。")
        }
        if let match = channels.first(where: { $0.kind == .telegram && $0.value == handle }) { return official(text, kind: .telegram, match) }
        // Handles are judged like domain names under a made-up ending, so the same signals
        // (a letter or two off, look-alike characters, extra words) apply.
        let ending = ".telegram"
        var names: [String: String] = [:]
        for channel in channels where channel.kind == .telegram { names[channel.value + ending] = "@" + channel.value }
        for channel in domains { names[HostName.registrableName(channel.value) + ending] = HostName.displayed(channel.value) }
        if !names.isEmpty {
            let verdict = LinkCheck(officialDomains: Array(names.keys).sorted()).verdict(forHost: handle + ending)
            if verdict.status == .lookalike, let official = verdict.officialDomain, let imitates = names[official] {
                let because = LocalizedText(english: "@\(handle) is a different account that imitates \(imitates).",
                                            simplifiedChinese: "@\(handle) 是另一个账号，冒充 \(imitates)。")
                return lookalike(text, kind: .telegram, imitates: imitates, because: because)
            }
        }
        return notOfficial(text, kind: .telegram, english: "@\(handle) is not one of \(workspaceName)'s official Telegram accounts.",
                           chinese: "@\(handle) 不是 \(workspaceName) 的官方 Telegram 账号。")
    }

    private func official(_ text: String, kind: ChannelVerification.Kind, _ channel: OfficialChannel) -> ChannelVerification {
        let label = channel.label.map { " (\($0))" } ?? ""
        let labelZh = channel.label.map { "（\($0)）" } ?? ""
        return ChannelVerification(
            value: text, kind: kind, official: true, verdict: .official,
            matched: .init(kind: channel.kind.rawValue, value: channel.value, label: channel.label), imitates: nil,
            explanation: .init(en: "\(text) is an official channel of \(workspaceName)\(label).",
                               zhHans: "\(text) 是 \(workspaceName) 的官方渠道\(labelZh)。"))
    }

    private func lookalike(_ text: String, kind: ChannelVerification.Kind, imitates: String, because: LocalizedText) -> ChannelVerification {
        ChannelVerification(
            value: text, kind: kind, official: false, verdict: .lookalike, matched: nil, imitates: imitates,
            explanation: .init(
                en: "\(text) is NOT official: it imitates \(imitates). \(because.english) Do not enter your recovery phrase or connect your wallet there.",
                zhHans: "\(text) 不是官方渠道：它在冒充 \(imitates)。\(because.simplifiedChinese)请不要在那里输入助记词，也不要连接钱包。"))
    }

    private func notOfficial(_ text: String, kind: ChannelVerification.Kind, english: String, chinese: String) -> ChannelVerification {
        ChannelVerification(
            value: text, kind: kind, official: false, verdict: .unknown, matched: nil, imitates: nil,
            explanation: .init(en: english + " Treat it as not official and never share your recovery phrase with it.",
                               zhHans: chinese + "请视为非官方，切勿向其透露助记词。"))
    }

    private func noDomains(_ text: String, kind: ChannelVerification.Kind) -> ChannelVerification {
        notOfficial(text, kind: kind, english: "\(workspaceName) has not listed any official websites yet, so \(text) cannot be confirmed.",
                    chinese: "\(workspaceName) 尚未登记官方网站，因此无法确认 \(text)。")
    }
}
