import FluentKit
import Foundation
import Hummingbird

struct OfficialChannelView: ResponseCodable, Sendable {
    let id: UUID
    let kind: String
    let value: String
    let label: String?
    let createdAt: Date
    init(_ channel: OfficialChannel) {
        id = channel.id; kind = channel.kind.rawValue; value = channel.value; label = channel.label; createdAt = channel.createdAt
    }
}

/// Admins list the workspace's official channels; every agent may read them (to quote
/// them to customers), and the public verify page checks against them.
struct OfficialChannelsController {
    let services: KefuServices
    let cache: OfficialChannelsCache

    struct Input: Decodable { let kind: String; let value: String; let label: String? }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<OfficialChannelView> {
        let agent = try context.requireAgent()
        let rows = try await OfficialChannelRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).sort(\.$id).all()
        return Page(items: rows.compactMap(OfficialChannel.init).map(OfficialChannelView.init), nextCursor: nil)
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<OfficialChannelView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let kind = validation.enumValue(input.kind, as: OfficialChannelKind.self, field: "kind")
        let raw = validation.text(input.value, field: "value", max: 320, required: true)
        let label = validation.text(input.label, field: "label", max: 80)
        var value: String?
        if let kind, let raw {
            switch OfficialChannelValue.normalized(raw, as: kind) {
            case .success(let normalized): value = normalized
            case .failure(let refusal): validation.fail("value", refusal.detail)
            }
        }
        try validation.check()
        let db = services.persistence.db
        if try await OfficialChannelRow.query(on: db).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$kind == kind!.rawValue).filter(\.$value == value!).first() != nil {
            throw Problem.conflict("\(value!) is already an official \(kind!.rawValue) of this workspace.")
        }
        let row = OfficialChannelRow(workspaceID: agent.workspaceID, kind: kind!.rawValue, value: value!, label: label)
        try await row.create(on: db)
        cache.invalidate(agent.workspaceID)
        return EditedResponse(status: .created, response: OfficialChannelView(OfficialChannel(row)!))
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let id = try context.uuidParameter("id", what: "Official channel")
        guard let row = try await OfficialChannelRow.find(id, on: services.persistence.db), row.workspaceID == agent.workspaceID else {
            throw Problem.notFound("Official channel")
        }
        try await row.delete(on: services.persistence.db)
        cache.invalidate(agent.workspaceID)
        return .noContent
    }
}
