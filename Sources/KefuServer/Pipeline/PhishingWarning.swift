import FluentKit
import Foundation
import KefuCore
import KefuShield

extension ShieldStep {
    /// Judges every link in a customer message against the workspace's official domains.
    /// Without official domains there is nothing to imitate, and links pass as they are.
    func judgeLinks(_ shielded: Shielded) async -> Shielded {
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

extension Shielded {
    /// Look-alike hosts, each once, with the official domain it imitates.
    var lookalikeHosts: [(host: String, imitates: String)] {
        var seen = Set<String>()
        return links.compactMap { link in
            guard link.status == .lookalike, let imitates = link.imitates, seen.insert(link.host).inserted else { return nil }
            return (link.host, imitates)
        }
    }
}

extension ActStep {
    static let phishingLinkEvent = "phishing_link"

    /// A customer who sends a look-alike of our site has usually been sent there by a
    /// scammer: the timeline says which host, and the conversation is at least high priority.
    func recordPhishingLinks(_ shielded: Shielded, in delivered: Delivered) async throws -> Delivered {
        let hosts = shielded.lookalikeHosts
        guard !hosts.isEmpty else { return delivered }
        let conversation = delivered.conversation
        let updated = try await persistence.db.transaction { db -> ConversationView? in
            guard let row = try await ConversationRow.find(conversation.id, on: db), row.workspaceID == conversation.workspaceId else { return nil }
            for found in hosts {
                try await ConversationEventRow(workspaceID: row.workspaceID, conversationID: conversation.id, kind: Self.phishingLinkEvent,
                                               actorKind: AuthorKind.system.rawValue, actorID: nil,
                                               data: StoredJSON.encode(["host": found.host])).create(on: db)
            }
            let current = Priority(rawValue: row.priority) ?? .normal
            guard current < .high else { return nil }
            try await ConversationEventRow(workspaceID: row.workspaceID, conversationID: conversation.id, kind: ConversationEventKind.priorityChanged.rawValue,
                                           actorKind: AuthorKind.system.rawValue, actorID: nil,
                                           data: StoredJSON.encode(["from": row.priority, "to": Priority.high.rawValue, "reason": Self.phishingLinkEvent])).create(on: db)
            row.priority = Priority.high.rawValue
            try await row.update(on: db)
            return ConversationView(row)
        }
        return updated.map { delivered.with(conversation: $0) } ?? delivered
    }

    /// The message the customer gets at once, in their language, before they act on the link.
    func phishingWarning(_ shielded: Shielded, for delivered: Delivered) async throws -> Reply? {
        let hosts = shielded.lookalikeHosts
        guard !hosts.isEmpty else { return nil }
        let chinese = try await warnsInChinese(delivered)
        return Reply(workspaceID: delivered.conversation.workspaceId, conversationID: delivered.conversation.id, authorKind: .system,
                     authorID: nil, text: PhishingWarning.text(chinese: chinese, hosts: hosts, officialDomains: shielded.officialDomains),
                     isPrivate: false)
    }
}

enum PhishingWarning {
    static func text(chinese: Bool, hosts: [(host: String, imitates: String)], officialDomains: [String]) -> String {
        let official = officialDomains.map(HostName.displayed)
        let lines = hosts.map { found -> String in
            let host = HostName.displayed(found.host)
            let imitates = HostName.displayed(found.imitates)
            return chinese
                ? "⚠️ 您发送的链接（\(host)）不是我们的官方网站，它在冒充 \(imitates)。请不要在那里输入助记词，也不要连接您的钱包。"
                : "⚠️ The link you sent (\(host)) is NOT our official site; it imitates \(imitates). Do not enter your recovery phrase or connect your wallet there."
        }
        let list = chinese ? "我们的官方网站：" + official.joined(separator: "、") + "。" : "Our official sites: " + official.joined(separator: ", ") + "."
        return (lines + [list]).joined(separator: " ")
    }
}
