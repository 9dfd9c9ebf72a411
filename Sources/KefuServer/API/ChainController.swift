import FluentKit
import Foundation
import Hummingbird
import KefuChain
import KefuCore

/// Answers with the endpoint's URL masked: a password in it is for the desk's requests only.
struct ChainEndpointView: ResponseCodable, Sendable {
    let chain: String
    let name: String
    let rpcUrl: String
    let createdAt: Date?
    let updatedAt: Date?
    init(_ row: ChainEndpointRow) {
        chain = row.chain; name = row.name; rpcUrl = ChainEndpoint.masked(row.rpcURL); createdAt = row.createdAt; updatedAt = row.updatedAt
    }
}

struct ChainLookupList: ResponseEncodable, Sendable {
    let items: [ChainLookupView]
}

/// The workspace's blockchain nodes (owners and admins), and the lookups of a conversation.
struct ChainController {
    let services: KefuServices

    struct EndpointInput: Decodable { let name: String?; let rpcUrl: String? }

    func addRoutes(to api: RouterGroup<KefuRequestContext>, auth: AgentAuthenticator) {
        let endpoints = api.group("chain-endpoints").add(middleware: auth)
        endpoints.get(use: listEndpoints)
        endpoints.put(":chain", use: putEndpoint)
        endpoints.delete(":chain", use: deleteEndpoint)
        api.group("conversations").add(middleware: auth).get(":id/lookups", use: lookups)
    }

    @Sendable func listEndpoints(_ request: Request, context: KefuRequestContext) async throws -> Page<ChainEndpointView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let rows = try await ChainEndpointRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).sort(\.$chain).all()
        return Page(items: rows.map(ChainEndpointView.init), nextCursor: nil)
    }

    @Sendable func putEndpoint(_ request: Request, context: KefuRequestContext) async throws -> ChainEndpointView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let chain = try chainParameter(context)
        let input = try await request.decodeJSON(EndpointInput.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        let url = validation.text(input.rpcUrl, field: "rpcUrl", max: Limits.url, required: true)
        if let url {
            do throws(ChainLookupError) {
                _ = try ChainEndpoint(url)
            } catch {
                validation.fail("rpcUrl", error.description)
            }
        }
        try validation.check()
        let db = services.persistence.db
        let row = try await ChainEndpointRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$chain == chain.rawValue).first()
            ?? ChainEndpointRow(workspaceID: agent.workspaceID, chain: chain.rawValue, name: name!, rpcURL: url!)
        row.name = name!
        row.rpcURL = url!
        try await row.save(on: db)
        return ChainEndpointView(row)
    }

    @Sendable func deleteEndpoint(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let chain = try chainParameter(context)
        guard let row = try await ChainEndpointRow.query(on: services.persistence.db)
            .filter(\.$workspaceID == agent.workspaceID).filter(\.$chain == chain.rawValue).first() else {
            throw Problem.notFound("A \(chain.rawValue) node")
        }
        try await row.delete(on: services.persistence.db)
        return .noContent
    }

    @Sendable func lookups(_ request: Request, context: KefuRequestContext) async throws -> ChainLookupList {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        guard try await ConversationRow.query(on: services.persistence.db)
            .filter(\.$id == id).filter(\.$workspaceID == agent.workspaceID).count() == 1 else {
            throw Problem.notFound("Conversation")
        }
        return ChainLookupList(items: try await ChainLookups.latest(conversationID: id, workspaceID: agent.workspaceID, on: services.persistence.db))
    }

    private func chainParameter(_ context: KefuRequestContext) throws -> ChainKind {
        guard let raw = context.parameters.get("chain"), let chain = ChainKind(rawValue: raw) else {
            throw Problem(.notFound, "No such chain; known chains: " + ChainKind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        return chain
    }
}
