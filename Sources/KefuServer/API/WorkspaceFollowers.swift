import FluentKit
import Foundation

/// Checks that inbox and team ids given in a request (who follows a schedule, whom a policy
/// covers) belong to the caller's workspace, failing each that does not by its field.
struct WorkspaceFollowers {
    let persistence: Persistence

    enum Kind: String {
        case inbox, team
        var chinese: String { self == .inbox ? "收件箱" : "团队" }
    }

    /// One id in a field of its own.
    func check(_ id: UUID?, of kind: Kind, field: String, in workspaceID: UUID, into validation: inout Validation) async throws {
        guard let id else { return }
        var inner = Validation()
        try await check([id], of: kind, field: field, in: workspaceID, into: &inner)
        if !inner.errors.isEmpty { validation.fail(field, "no such \(kind.rawValue) in this workspace / 本工作区没有这个\(kind.chinese)") }
    }

    func check(_ ids: [UUID], of kind: Kind, field: String, in workspaceID: UUID, into validation: inout Validation) async throws {
        guard !ids.isEmpty else { return }
        let db = persistence.reader
        let known: Set<UUID> = switch kind {
        case .inbox: Set(try await InboxRow.query(on: db).filter(\.$workspaceID == workspaceID).all().compactMap(\.id))
        case .team: Set(try await TeamRow.query(on: db).filter(\.$workspaceID == workspaceID).all().compactMap(\.id))
        }
        for (index, id) in ids.enumerated() where !known.contains(id) {
            validation.fail("\(field)[\(index)]", "no such \(kind.rawValue) in this workspace / 本工作区没有这个\(kind.chinese)")
        }
    }
}
