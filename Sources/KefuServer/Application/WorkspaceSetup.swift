import FluentKit
import Foundation
import KefuCore

/// Creates workspaces with their owner — for `kefu workspace create` and the first start.
public struct WorkspaceSetup: Sendable {
    public struct Created: Sendable {
        public let workspaceID: UUID
        public let ownerID: UUID
        public let widgetPublicToken: String?
    }

    let persistence: Persistence
    let hasher: PasswordHasher

    public init(persistence: Persistence, bcryptCost: UInt8 = 12) {
        self.persistence = persistence
        self.hasher = PasswordHasher(cost: bcryptCost)
    }

    public func create(name: String, ownerEmail: String, ownerPassword: String, ownerName: String? = nil,
                       withStarterInboxes: Bool = true) async throws -> Created {
        var validation = Validation()
        let cleanName = validation.text(name, field: "name", max: Limits.name, required: true)
        let email = validation.email(ownerEmail, field: "owner email", required: true)
        if let problem = Password.problem(with: ownerPassword) { validation.fail("owner password", problem) }
        if !validation.errors.isEmpty {
            throw ConfigurationError(validation.errors.map { "\($0.field) \($0.detail)" }.joined(separator: "; "))
        }
        if try await AgentRow.query(on: persistence.db).filter(\.$email == email!).first() != nil {
            throw ConfigurationError("an account with email \(email!) already exists")
        }
        let passwordHash = try await hasher.hash(ownerPassword)
        let slug = try await uniqueSlug(for: cleanName!)
        return try await persistence.transaction { db in
            let workspace = WorkspaceRow(name: cleanName!, slug: slug)
            try await workspace.create(on: db)
            let owner = AgentRow(workspaceID: workspace.id!, email: email!, name: ownerName ?? email!.split(separator: "@").first.map(String.init) ?? "Owner",
                                 passwordHash: passwordHash, role: AgentRole.owner.rawValue)
            try await owner.create(on: db)
            try await Glossary.seedStandard(workspaceID: workspace.id!, on: db)
            var widgetToken: String?
            if withStarterInboxes {
                let widget = InboxRow(workspaceID: workspace.id!, name: "Website chat", kind: InboxKind.widget.rawValue,
                                      publicToken: Secrets.randomToken(prefix: Secrets.widgetTokenPrefix, bytes: 18),
                                      identitySecret: Secrets.randomToken(prefix: "", bytes: 32))
                try await widget.create(on: db)
                widgetToken = widget.publicToken
                try await InboxRow(workspaceID: workspace.id!, name: "In-app API", kind: InboxKind.api.rawValue, publicToken: nil,
                                   identitySecret: Secrets.randomToken(prefix: "", bytes: 32)).create(on: db)
            }
            return Created(workspaceID: workspace.id!, ownerID: owner.id!, widgetPublicToken: widgetToken)
        }
    }

    private func uniqueSlug(for name: String) async throws -> String {
        let base = Self.slug(from: name)
        var candidate = base
        var suffix = 2
        while try await WorkspaceRow.query(on: persistence.db).filter(\.$slug == candidate).first() != nil {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// ASCII slug for the help-center URL; names in other scripts get a neutral one.
    static func slug(from name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "workspace" : String(slug.prefix(40))
    }
}

/// The first start of a fresh desk: a demo workspace so there is something to try.
struct FirstStart {
    let configuration: KefuConfiguration
    let persistence: Persistence

    /// Returns the lines to show the operator once (a generated password among them).
    func seedIfEmpty() async throws -> [String] {
        guard configuration.seedDemo, try await WorkspaceRow.query(on: persistence.db).count() == 0 else { return [] }
        let email = configuration.adminEmail ?? "admin@kefu.local"
        let generated = configuration.adminPassword == nil
        let password = configuration.adminPassword ?? Secrets.randomPassword()
        let created = try await WorkspaceSetup(persistence: persistence, bcryptCost: configuration.bcryptCost)
            .create(name: "Demo Wallet", ownerEmail: email, ownerPassword: password, ownerName: "Demo Owner")
        try await DemoKnowledgeBase.seed(workspaceID: created.workspaceID, authorID: created.ownerID, persistence: persistence)
        var lines = [
            "Created the demo workspace \"Demo Wallet\".",
            "  Owner sign-in: \(email)",
        ]
        if generated { lines.append("  Password (shown only this once): \(password)") }
        if let token = created.widgetPublicToken { lines.append("  Widget inbox token: \(token)") }
        return lines
    }
}

/// The key that signs visitor tokens, created on first start and shared through the
/// database so that every node accepts every other node's tokens.
enum ServerKeys {
    static func visitorTokenSecret(persistence: Persistence) async throws -> String {
        let name = "visitor_token_hmac"
        if let row = try await ServerSecretRow.query(on: persistence.db).filter(\.$name == name).first() { return row.value }
        do {
            try await ServerSecretRow(name: name, value: Secrets.randomToken(prefix: "", bytes: 48)).create(on: persistence.db)
        } catch {
            // Another node created it first; the unique name makes the read below agree.
        }
        guard let row = try await ServerSecretRow.query(on: persistence.db).filter(\.$name == name).first() else {
            throw ConfigurationError("could not create the visitor token key")
        }
        return row.value
    }
}
