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
        let problems = try await problems(in: reply.text, workspaceID: reply.workspaceID, isPrivate: reply.isPrivate)
        guard !problems.isEmpty else { return reply }
        throw Problem.invalid(problems.map { .init(field: "text", detail: $0) })
    }

    /// Why an agent may not send `text`, in both languages; empty when it may. Canned
    /// replies are read by the same rules when they are saved.
    func problems(in text: String, workspaceID: UUID, isPrivate: Bool) async throws -> [String] {
        let domains = try await officialChannels.domains(in: workspaceID)
        return AgentMessageGuard(officialDomains: domains).review(text).reasons.filter { reason in
            switch reason.kind {
            case .containsSecret: return true
            case .asksForSecret: return !isPrivate
            case .lookalikeLink, .unofficialLink: return !isPrivate && !domains.isEmpty
            }
        }.map { "\($0.explanation.english) / \($0.explanation.simplifiedChinese)" }
    }
}
