import FluentKit
import FluentSQL
import Foundation
import Hummingbird

/// The console's search box: one query matched against conversation numbers, contact
/// names and emails, and the text of messages (notes included: agents wrote them to be found).
struct ConversationSearch {
    let services: KefuServices
    static let maxResults = 50

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("conversations", use: search)
    }

    @Sendable func search(_ request: Request, context: KefuRequestContext) async throws -> Page<ConversationView> {
        let agent = try context.requireAgent()
        guard let raw = try request.queryText("q", max: 100)?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else {
            throw Problem.invalid([.init(field: "q", detail: "what to search for is required")])
        }
        let db = services.persistence.db
        let pattern = "%" + LikePattern.escape(raw.lowercased()) + "%"
        var ids: [UUID] = []
        func add(_ found: [UUID]) { for id in found where !ids.contains(id) { ids.append(id) } }

        let digits = raw.hasPrefix("#") ? String(raw.dropFirst()) : raw
        if let number = Int(digits), number > 0 {
            add(try await ConversationRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$number == number).all().compactMap(\.id))
        }
        let contacts = try await ContactRow.query(on: db).filter(\.$workspaceID == agent.workspaceID)
            .group(.or) { group in
                group.filter(.sql(embed: "LOWER(\(ident: "name")) LIKE \(bind: pattern) ESCAPE '\\'"))
                group.filter(.sql(embed: "LOWER(\(ident: "email")) LIKE \(bind: pattern) ESCAPE '\\'"))
            }
            .limit(Self.maxResults).all().compactMap(\.id)
        if !contacts.isEmpty {
            add(try await ConversationRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$contactID ~~ contacts)
                .limit(Self.maxResults).all().compactMap(\.id))
        }
        let messages = try await MessageRow.query(on: db).filter(\.$workspaceID == agent.workspaceID)
            .filter(.sql(embed: "LOWER(\(ident: "body")) LIKE \(bind: pattern) ESCAPE '\\'"))
            .sort(\.$id, .descending).limit(Self.maxResults * 4).all()
        add(messages.map(\.conversationID))

        guard !ids.isEmpty else { return Page(items: [], nextCursor: nil) }
        let rows = try await ConversationRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$id ~~ Array(ids.prefix(Self.maxResults)))
            .sort(\.$lastActivityMillis, .descending).all()
        return Page(items: rows.map(ConversationView.init), nextCursor: nil)
    }
}
