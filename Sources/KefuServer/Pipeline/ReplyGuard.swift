import Foundation
import KefuCore
import KefuShield

/// Agent replies are checked before they are stored: support never asks for a recovery
/// phrase, key, password or PIN, and never sends one. Once a workspace lists its official
/// domains, a reply may link only to them; private notes may link anywhere.
struct ReplyGuardStep: Sendable {
    let officialChannels: OfficialChannelsCache

    func check(_ reply: Reply) async throws -> Reply {
        guard reply.authorKind == .agent else { return reply }
        let domains = try await officialChannels.domains(in: reply.workspaceID)
        let reasons = AgentMessageGuard(officialDomains: domains).review(reply.text).reasons.filter { reason in
            switch reason.kind {
            case .containsSecret: return true
            case .asksForSecret: return !reply.isPrivate
            case .lookalikeLink, .unofficialLink: return !reply.isPrivate && !domains.isEmpty
            }
        }
        guard !reasons.isEmpty else { return reply }
        throw Problem.invalid(reasons.map { .init(field: "text", detail: "\($0.explanation.english) / \($0.explanation.simplifiedChinese)") })
    }
}
