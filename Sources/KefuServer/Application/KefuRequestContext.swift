import Foundation
import Hummingbird
import HummingbirdWebSocket
import KefuCore

/// Who is calling: an agent (person or API token acting for one) of one workspace.
public struct AgentPrincipal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable { case session, sessionCookie, apiToken }
    public let agentID: UUID
    public let workspaceID: UUID
    public let role: AgentRole
    public let credential: Credential
    /// Set for session credentials so logout can end exactly this session.
    public let sessionTokenHash: String?

    func requireAdmin() throws {
        guard role.canAdminister else { throw Problem.forbidden("Only owners and admins of this workspace may do this.") }
    }
}

/// A customer talking through the widget: they see only their own conversations.
public struct VisitorPrincipal: Sendable, Equatable {
    public let contactID: UUID
    public let workspaceID: UUID
    public let inboxID: UUID
}

public struct KefuRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<KefuRequestContext>
    public var agent: AgentPrincipal?
    public var visitor: VisitorPrincipal?
    /// The peer's IP address; absent for in-process test requests.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// No endpoint takes more than a long message with its metadata.
    public var maxUploadSize: Int { 256 * 1024 }

    func requireAgent() throws -> AgentPrincipal {
        guard let agent else { throw Problem.unauthorized() }
        return agent
    }

    func requireVisitor() throws -> VisitorPrincipal {
        guard let visitor else { throw Problem.unauthorized("Start a widget session first and send its visitorToken as a bearer token.") }
        return visitor
    }
}
