import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct ContactsController {
    let services: KefuServices

    struct Input: Decodable {
        let name: String?
        let email: String?
        let phone: String?
        let locale: String?
        let externalId: String?
        let walletAddresses: [String]?
        let tier: String?
        let attributes: [String: JSONValue]?
        /// When the product last saw the customer active; a time earlier than the one kept changes nothing.
        let lastSeenAt: String?
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
    }

    /// Newest first; `email` and `externalId` find one customer, `q` searches names and emails.
    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<ContactView> {
        let agent = try context.requireAgent()
        let page = try PageRequest(request)
        var query = ContactRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID)
        if let email = try request.queryText("email", max: Limits.email) { query = query.filter(\.$email == email.lowercased()) }
        if let external = try request.queryText("externalId", max: 200) { query = query.filter(\.$externalID == external) }
        if let q = try request.queryText("q", max: 100) {
            let pattern = "%" + LikePattern.escape(q.lowercased()) + "%"
            query = query.group(.or) { group in
                group.filter(.sql(embed: "LOWER(\(ident: "name")) LIKE \(bind: pattern) ESCAPE '\\'"))
                group.filter(.sql(embed: "\(ident: "email") LIKE \(bind: pattern) ESCAPE '\\'"))
            }
        }
        if let cursor = page.cursor {
            query = query.filter(\.$id < (try Cursor.id(cursor)))
        }
        let rows = try await query.sort(\.$id, .descending).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map(ContactView.init)
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ContactView {
        let agent = try context.requireAgent()
        return ContactView(try await find(context: context, in: agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<ContactView> {
        let agent = try context.requireAgent()
        let input = try await request.decodeJSON(Input.self, context: context)
        let row = ContactRow(workspaceID: agent.workspaceID)
        try apply(input, to: row, creating: true)
        try await ensureExternalIDFree(row.externalID, in: agent.workspaceID, except: nil)
        try await row.create(on: services.persistence.db)
        return EditedResponse(status: .created, response: ContactView(row))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> ContactView {
        let agent = try context.requireAgent()
        let row = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        try apply(input, to: row, creating: false)
        try await ensureExternalIDFree(row.externalID, in: agent.workspaceID, except: row.id)
        try await row.update(on: services.persistence.db)
        return ContactView(row)
    }

    /// Used by channels that know the customer by the product's own user id.
    func findOrCreate(_ input: Input, in workspaceID: UUID) async throws -> ContactRow {
        if let external = input.externalId?.trimmingCharacters(in: .whitespacesAndNewlines), !external.isEmpty,
           let existing = try await ContactRow.query(on: services.persistence.reader).filter(\.$workspaceID == workspaceID).filter(\.$externalID == external).first() {
            return existing
        }
        let row = ContactRow(workspaceID: workspaceID)
        try apply(input, to: row, creating: true)
        try await row.create(on: services.persistence.db)
        return row
    }

    func apply(_ input: Input, to row: ContactRow, creating: Bool) throws {
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        let email = validation.email(input.email, field: "email")
        let phone = validation.text(input.phone, field: "phone", max: Limits.phone)
        let locale = validation.text(input.locale, field: "locale", max: 20)
        let external = validation.text(input.externalId, field: "externalId", max: 200)
        let tier = validation.enumValue(input.tier, as: ContactTier.self, field: "tier")
        var wallets: [String]?
        if let addresses = input.walletAddresses {
            if addresses.count > Limits.walletAddresses { validation.fail("walletAddresses", "at most \(Limits.walletAddresses) addresses") }
            var cleaned: [String] = []
            for (index, address) in addresses.enumerated() {
                let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty || trimmed.count > Limits.walletAddress || trimmed.contains(where: { $0.isWhitespace || $0 == "\u{0}" }) {
                    validation.fail("walletAddresses[\(index)]", "must be a single address of at most \(Limits.walletAddress) characters")
                } else if !cleaned.contains(trimmed) {
                    cleaned.append(trimmed)
                }
            }
            wallets = cleaned
        }
        if let attributes = input.attributes { validateAttributes(attributes, into: &validation) }
        var seen: Date?
        if let raw = input.lastSeenAt {
            seen = ISO8601Timestamp.parse(raw)
            if seen == nil { validation.fail("lastSeenAt", "must be an ISO-8601 time (2026-01-31T12:00:00Z)") }
            // A clock a little ahead is forgiven; a time in the future is not a sighting.
            else if let at = seen, at > services.configuration.clock.now().addingTimeInterval(300) { validation.fail("lastSeenAt", "must not be in the future") }
        }
        try validation.check()
        if let seen { row.lastSeenMillis = max(row.lastSeenMillis ?? 0, seen.millisSince1970) }
        if let name { row.name = name } else if input.name != nil { row.name = nil }
        if let email { row.email = email } else if input.email != nil { row.email = nil }
        if let phone { row.phone = phone } else if input.phone != nil { row.phone = nil }
        if let locale { row.locale = locale }
        if let external { row.externalID = external }
        if let tier { row.tier = tier.rawValue }
        if let wallets { row.walletAddresses = StoredJSON.encode(wallets) }
        if let attributes = input.attributes {
            var merged = creating ? [:] : StoredJSON.decode([String: JSONValue].self, from: row.attributes, default: [:])
            // A null removes an attribute; anything else sets it.
            for (key, value) in attributes { if value == .null { merged.removeValue(forKey: key) } else { merged[key] = value } }
            guard merged.count <= Limits.attributes else { throw Problem.invalid([.init(field: "attributes", detail: "at most \(Limits.attributes) attributes")]) }
            row.attributes = StoredJSON.encode(merged)
        }
    }

    private func ensureExternalIDFree(_ externalID: String?, in workspaceID: UUID, except id: UUID?) async throws {
        guard let externalID else { return }
        var query = ContactRow.query(on: services.persistence.db).filter(\.$workspaceID == workspaceID).filter(\.$externalID == externalID)
        if let id { query = query.filter(\.$id != id) }
        if try await query.first() != nil { throw Problem.conflict("Another contact already has this externalId.") }
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> ContactRow {
        let id = try context.uuidParameter("id", what: "Contact")
        guard let row = try await ContactRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else { throw Problem.notFound("Contact") }
        return row
    }
}

func validateAttributes(_ attributes: [String: JSONValue], into validation: inout Validation) {
    if attributes.count > Limits.attributes { validation.fail("attributes", "at most \(Limits.attributes) attributes") }
    for (key, value) in attributes {
        if key.isEmpty || key.count > Limits.attributeKey { validation.fail("attributes", "keys must be 1 to \(Limits.attributeKey) characters") ; break }
        if value.encodedLength > Limits.attributeValue { validation.fail("attributes.\(key.prefix(64))", "must be at most \(Limits.attributeValue) bytes of JSON") }
    }
}

enum LikePattern {
    /// Escapes LIKE's wildcards so user text matches literally (with `ESCAPE '\'`).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
