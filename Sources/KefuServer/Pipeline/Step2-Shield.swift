import Foundation
import KefuCore
import KefuShield

/// A customer message after the shield: the text is redacted, the findings hold no secret.
struct Shielded: Sendable {
    let inbound: Inbound
    let findings: [Finding]
    /// Links judged against the workspace's official domains (empty when it lists none).
    var links: [LinkJudgement] = []
    var officialDomains: [String] = []
    var redactedSecrets: [String] { Array(Set(findings.filter(\.kind.isSecret).map(\.kind.rawValue))).sorted() }
    var metadata: String { StoredFindings(findings: findings, links: links.isEmpty ? nil : links).json }

    /// Look-alike hosts, each once, with the official domain it imitates.
    var lookalikeHosts: [(host: String, imitates: String)] {
        var seen = Set<String>()
        return links.compactMap { link in
            guard link.status == .lookalike, let imitates = link.imitates, seen.insert(link.host).inserted else { return nil }
            return (link.host, imitates)
        }
    }
}

/// 2. shield: recovery phrases and private keys are replaced before the text goes any
/// further — storage, logs, sockets, webhooks and models only ever see the redacted text —
/// and links are judged against the workspace's official domains.
struct ShieldStep: Sendable {
    let shield = Shield()
    let officialChannels: OfficialChannelsCache

    func apply(to inbound: Inbound) async -> Shielded {
        let scan = shield.scan(inbound.text)
        // Secrets the widget already hid in the browser count as exposed all the same.
        let hiddenBefore = SecretPlaceholder.findings(in: inbound.text)
        let shielded = Shielded(inbound: inbound.with(text: scan.text), findings: (scan.findings + hiddenBefore).sorted { $0.start < $1.start })
        return await judgeLinks(shielded)
    }

    /// Without official domains there is nothing to imitate, and links pass as they are.
    private func judgeLinks(_ shielded: Shielded) async -> Shielded {
        let links = shielded.findings.filter { $0.kind == .link && $0.host != nil }
        guard !links.isEmpty else { return shielded }
        let domains: [String]
        do {
            domains = try await officialChannels.domains(in: shielded.inbound.workspaceID)
        } catch {
            // The message matters more than the check: it goes on unjudged.
            return shielded
        }
        guard !domains.isEmpty else { return shielded }
        let check = LinkCheck(officialDomains: domains)
        var judged = shielded
        judged.officialDomains = domains
        judged.links = links.map { link in
            let verdict = check.verdict(forHost: link.host!)
            return LinkJudgement(start: link.start, end: link.end, host: verdict.host, status: verdict.status,
                                 signals: verdict.signals, imitates: verdict.status == .lookalike ? verdict.officialDomain : nil)
        }
        return judged
    }
}
