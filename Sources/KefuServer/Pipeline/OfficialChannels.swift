import FluentKit
import Foundation
import KefuShield
import Synchronization

/// The ways a workspace reaches its customers that customers can check.
enum OfficialChannelKind: String, CaseIterable, Sendable, Codable {
    case domain
    case email
    case telegram
    /// A code agents sign with (e.g. "KF-1024"): agents have no public id of their own.
    case agentId = "agent_id"
}

/// One official channel as stored: the value already normalised.
struct OfficialChannel: Sendable, Hashable {
    let id: UUID
    let kind: OfficialChannelKind
    let value: String
    let label: String?
    let createdAt: Date

    init?(_ row: OfficialChannelRow) {
        guard let id = row.id, let kind = OfficialChannelKind(rawValue: row.kind) else { return nil }
        self.id = id; self.kind = kind; value = row.value; label = row.label
        createdAt = Date(millisSince1970: row.createdMillis)
    }
}

/// Turns what an administrator typed into the one form stored and compared, or says why it
/// cannot be that kind of channel. Strict, because customers trust this list.
enum OfficialChannelValue {
    struct Refusal: Error { let detail: String }

    static func normalized(_ raw: String, as kind: OfficialChannelKind) -> Result<String, Refusal> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .domain:
            guard let host = HostName.normalized(text) else {
                return .failure(Refusal(detail: "must be a domain name such as example.com, without spaces, port or path"))
            }
            return .success(host)
        case .email:
            return email(text).map { .success($0) }
                ?? .failure(Refusal(detail: "must be an email address such as support@example.com"))
        case .telegram:
            return telegramHandle(text).map { .success($0) }
                ?? .failure(Refusal(detail: "must be a Telegram handle of 5 to 32 letters, digits or underscores, such as @example_support"))
        case .agentId:
            return agentCode(text).map { .success($0) }
                ?? .failure(Refusal(detail: "must be a code of 2 to 32 letters, digits or hyphens, such as KF-1024"))
        }
    }

    static func email(_ text: String) -> String? {
        let lower = text.lowercased()
        let parts = lower.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, lower.count <= 254, !parts[0].isEmpty, parts[0].count <= 64,
              parts[0].unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._%+-".unicodeScalars.contains($0)) }),
              !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains(".."),
              let host = HostName.normalized(String(parts[1])), !parts[1].contains("/"), !parts[1].contains(":")
        else { return nil }
        return parts[0] + "@" + host
    }

    /// `@name`, `name`, `t.me/name` and `https://t.me/name` are the same handle.
    static func telegramHandle(_ text: String) -> String? {
        var handle = Substring(text.lowercased())
        for prefix in ["https://", "http://"] where handle.hasPrefix(prefix) { handle = handle.dropFirst(prefix.count) }
        for prefix in ["t.me/", "telegram.me/", "www.t.me/"] where handle.hasPrefix(prefix) {
            handle = handle.dropFirst(prefix.count)
            while handle.hasSuffix("/") { handle = handle.dropLast() }
        }
        if handle.hasPrefix("@") { handle = handle.dropFirst() }
        guard (5...32).contains(handle.count),
              handle.unicodeScalars.allSatisfy({ ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "_" })
        else { return nil }
        return String(handle)
    }

    static func agentCode(_ text: String) -> String? {
        let code = text.uppercased()
        guard (2...32).contains(code.count), code.first != "-", code.last != "-",
              code.unicodeScalars.allSatisfy({ ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" })
        else { return nil }
        return code
    }
}

/// Each workspace's official channels, kept in memory because every customer message and
/// every agent reply consults them. A change on this node clears its entry at once; other
/// nodes sharing the database pick the change up when their entry is older than `maxAge`
/// (about a minute), which is why entries expire rather than live until cleared.
final class OfficialChannelsCache: Sendable {
    private struct Entry { let channels: [OfficialChannel]; let loaded: ContinuousClock.Instant }

    let persistence: Persistence
    let maxAge: Duration
    private let entries = Mutex<[UUID: Entry]>([:])

    init(persistence: Persistence, maxAge: Duration = .seconds(60)) {
        self.persistence = persistence
        self.maxAge = maxAge
    }

    func channels(in workspaceID: UUID) async throws -> [OfficialChannel] {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[workspaceID] }), now - entry.loaded < maxAge { return entry.channels }
        let rows = try await OfficialChannelRow.query(on: persistence.db).filter(\.$workspaceID == workspaceID).sort(\.$id).all()
        let channels = rows.compactMap(OfficialChannel.init)
        entries.withLock { all in
            // Bounded: a desk with very many workspaces reloads rather than grows without end.
            if all.count > 10_000 { all.removeAll() }
            all[workspaceID] = Entry(channels: channels, loaded: now)
        }
        return channels
    }

    func domains(in workspaceID: UUID) async throws -> [String] {
        try await channels(in: workspaceID).filter { $0.kind == .domain }.map(\.value)
    }

    func invalidate(_ workspaceID: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: workspaceID) }
    }
}
