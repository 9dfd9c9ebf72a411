import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct AuthController {
    let services: KefuServices

    struct LoginInput: Decodable { let email: String; let password: String }
    struct LoginResult: ResponseEncodable { let token: String; let agent: AgentView; let expiresAt: Date }

    func addPublicRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.post("login", use: login)
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.post("logout", use: logout)
        group.get("me", use: me)
    }

    @Sendable func login(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(LoginInput.self, context: context)
        let email = input.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, !input.password.isEmpty else {
            throw Problem.invalid([.init(field: "email", detail: "email and password are required")])
        }
        guard email.count <= Limits.email, !email.contains("\u{0}"), input.password.utf8.count <= 1_024 else {
            throw Problem.unauthorized("The email or password is not right.")
        }
        // Keyed by email and address, so a stranger cannot lock an agent out from elsewhere.
        let throttleKey = email + "|" + (context.clientAddress ?? "")
        guard !services.loginThrottle.isLocked(throttleKey) else {
            throw Problem(.tooManyRequests, "Too many failed sign-ins for this account; wait 15 minutes and try again.")
        }
        let agent = try await AgentRow.query(on: services.persistence.db).filter(\.$email == email).first()
        let matches = try await services.hasher.verify(input.password, hash: agent?.passwordHash ?? PasswordHasher.decoy)
        guard let agent, matches else {
            services.loginThrottle.recordFailure(throttleKey)
            throw Problem.unauthorized("The email or password is not right.")
        }
        services.loginThrottle.reset(throttleKey)
        let token = Secrets.randomToken(prefix: Secrets.sessionPrefix)
        let expires = Date().addingTimeInterval(TimeInterval(services.configuration.sessionLifetimeHours * 3600))
        try await SessionRow(workspaceID: agent.workspaceID, agentID: agent.id!, tokenHash: Secrets.hash(token),
                             expiresMillis: expires.millisSince1970).create(on: services.persistence.db)
        var response = try LoginResult(token: token, agent: AgentView(agent), expiresAt: expires).response(from: request, context: context)
        let maxAge = services.configuration.sessionLifetimeHours * 3600
        response.setCookie(Cookie(name: Cookies.session, value: token, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: Cookies.csrf, value: Secrets.randomToken(prefix: "", bytes: 18), maxAge: maxAge, path: "/", httpOnly: false, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: KefuRequestContext) async throws -> Response {
        let agent = try context.requireAgent()
        guard let hash = agent.sessionTokenHash else {
            throw Problem.badRequest("API tokens are not signed out; revoke them with DELETE /api/v1/tokens/{id}.")
        }
        try await SessionRow.query(on: services.persistence.db).filter(\.$tokenHash == hash).delete()
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: Cookies.session, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: Cookies.csrf, value: "", maxAge: 0, path: "/", httpOnly: false, sameSite: .strict))
        return response
    }

    @Sendable func me(_ request: Request, context: KefuRequestContext) async throws -> AgentView {
        let principal = try context.requireAgent()
        guard let agent = try await AgentRow.find(principal.agentID, on: services.persistence.db) else { throw Problem.unauthorized() }
        return AgentView(agent)
    }
}

struct TokensController {
    let services: KefuServices

    struct CreateInput: Decodable { let name: String }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<APITokenView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let rows = try await APITokenRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID).sort(\.$id).all()
        return Page(items: rows.map { APITokenView($0) }, nextCursor: nil)
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<APITokenView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(CreateInput.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        try validation.check()
        let token = Secrets.randomToken(prefix: Secrets.apiTokenPrefix)
        let row = APITokenRow(workspaceID: agent.workspaceID, agentID: agent.agentID, name: name!, tokenHash: Secrets.hash(token),
                              hint: String(token.prefix(Secrets.apiTokenPrefix.count + 4)))
        try await row.create(on: services.persistence.db)
        return EditedResponse(status: .created, response: APITokenView(row, token: token))
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let id = try context.uuidParameter("id", what: "API token")
        guard let row = try await APITokenRow.find(id, on: services.persistence.db), row.workspaceID == agent.workspaceID else {
            throw Problem.notFound("API token")
        }
        try await row.delete(on: services.persistence.db)
        return .noContent
    }
}
