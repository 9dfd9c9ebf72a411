import Synchronization
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import KefuCore

enum Cookies {
    static let session = "kefu_session"
    /// Readable by the console's script, which echoes it in `X-CSRF-Token` (double submit).
    static let csrf = "kefu_csrf"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
}

extension Request {
    var bearerToken: String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Browsers cannot set headers on a WebSocket, so sockets may pass `?token=`.
    var queryToken: String? { uri.formParameters["token"].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
}

/// Resolves an agent's credential — bearer session token, API token or session cookie.
struct AgentCredentials: Sendable {
    let persistence: Persistence

    func principal(forToken token: String, viaCookie: Bool = false) async throws -> AgentPrincipal {
        if token.hasPrefix(Secrets.sessionPrefix) {
            guard let session = try await SessionRow.query(on: persistence.reader).filter(\.$tokenHash == Secrets.hash(token)).first(),
                  session.expiresMillis > Date().millisSince1970 else {
                throw Problem.unauthorized("The session has expired or was signed out; sign in again.")
            }
            let agent = try await requireAgent(session.agentID)
            return AgentPrincipal(agentID: session.agentID, workspaceID: agent.workspaceID, role: AgentRole(rawValue: agent.role) ?? .agent,
                                  credential: viaCookie ? .sessionCookie : .session, sessionTokenHash: session.tokenHash)
        }
        if token.hasPrefix(Secrets.apiTokenPrefix) {
            guard let row = try await APITokenRow.query(on: persistence.reader).filter(\.$tokenHash == Secrets.hash(token)).first() else {
                throw Problem.unauthorized("This API token is not valid or was revoked.")
            }
            let agent = try await requireAgent(row.agentID)
            // Recorded at most once a minute: a busy integration would otherwise write on every call.
            if (row.lastUsedAt.map { Date().timeIntervalSince($0) > 60 } ?? true) {
                row.lastUsedAt = Date()
                try? await row.update(on: persistence.db)
            }
            return AgentPrincipal(agentID: row.agentID, workspaceID: agent.workspaceID, role: AgentRole(rawValue: agent.role) ?? .agent,
                                  credential: .apiToken, sessionTokenHash: nil)
        }
        throw Problem.unauthorized("The bearer token is not a Kefu agent token.")
    }

    private func requireAgent(_ id: UUID) async throws -> AgentRow {
        guard let agent = try await AgentRow.find(id, on: persistence.reader) else {
            throw Problem.unauthorized("The account behind this credential no longer exists.")
        }
        return agent
    }
}

/// Requires an agent on every route it guards.
struct AgentAuthenticator: RouterMiddleware {
    typealias Context = KefuRequestContext
    let credentials: AgentCredentials
    var acceptsQueryToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.bearerToken ?? (acceptsQueryToken ? request.queryToken : nil) {
            context.agent = try await credentials.principal(forToken: token)
        } else if let cookie = request.cookies[Cookies.session]?.value, !cookie.isEmpty {
            let principal = try await credentials.principal(forToken: cookie, viaCookie: true)
            if ![.get, .head, .options].contains(request.method) {
                let expected = request.cookies[Cookies.csrf]?.value ?? ""
                let sent = request.headers[Cookies.csrfHeader] ?? ""
                guard !expected.isEmpty, Secrets.constantTimeEquals(expected, sent) else {
                    throw Problem.forbidden("Requests signed in by cookie must echo the kefu_csrf cookie in an X-CSRF-Token header.")
                }
            }
            context.agent = principal
        } else {
            throw Problem.unauthorized()
        }
        return try await next(request, context)
    }
}

/// Requires a visitor token on the widget's routes.
struct VisitorAuthenticator: RouterMiddleware {
    typealias Context = KefuRequestContext
    let tokens: VisitorTokens
    var acceptsQueryToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.bearerToken ?? (acceptsQueryToken ? request.queryToken : nil) else {
            throw Problem.unauthorized("Start a widget session first and send its visitorToken as a bearer token.")
        }
        guard let visitor = await tokens.verify(token) else {
            throw Problem.unauthorized("The visitor token is invalid or has expired; start a new widget session.")
        }
        var context = context
        context.visitor = visitor
        return try await next(request, context)
    }
}

/// Slows down password guessing: after a few failures an email is locked out for a while.
final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit = 10
    let window: TimeInterval = 15 * 60

    func isLocked(_ key: String, now: Date = Date()) -> Bool {
        failures.withLock { state in
            let recent = (state[key] ?? []).filter { now.timeIntervalSince($0) < window }
            state[key] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    func recordFailure(_ key: String, now: Date = Date()) {
        failures.withLock { state in
            if state.count > 100_000 { state.removeAll() }
            state[key, default: []].append(now)
        }
    }

    func reset(_ key: String) { _ = failures.withLock { $0.removeValue(forKey: key) } }
}
