import Foundation
import Hummingbird
import KefuCore

/// What browsers may say over their sockets, and what the desk makes of it. Every frame is
/// checked: unknown types, bad ids and oversized frames are dropped without an answer, and
/// whatever is published stays inside the sender's own workspace (or own conversations).
enum ClientFrames {
    static let maxFrameBytes = 1_024

    struct Frame: Decodable {
        let type: String
        let conversationId: String?
        let contactId: String?
        let `private`: Bool?
        let availability: String?
    }

    static func decode(_ text: String) -> Frame? {
        try? JSONDecoder().decode(Frame.self, from: Data(text.utf8))
    }

    static func uuid(_ raw: String?) -> UUID? { raw.flatMap(UUID.init(uuidString:)) }

    /// Compares the handshake's Origin host with its Host. Ports are not compared: cookies
    /// are shared across the ports of one host anyway. A handshake without Origin is not from
    /// a browser page, so there is no other site to guard against.
    static func isSameOrigin(_ request: Request) -> Bool {
        let origins = request.headers[values: .origin]
        guard !origins.isEmpty else { return true }
        guard let authority = request.head.authority, let host = URL(string: "http://\(authority)")?.host?.lowercased() else { return false }
        return origins.allSatisfy { URL(string: $0)?.host?.lowercased() == host }
    }

    /// A few frames a second is plenty for typing and viewing; more is dropped.
    struct RateLimiter {
        private var tokens: Double = 10
        private var last = ContinuousClock.now
        let perSecond: Double = 5
        let burst: Double = 10

        mutating func admit() -> Bool {
            let now = ContinuousClock.now
            let elapsed = now - last
            last = now
            tokens = min(burst, tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * perSecond)
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }

    struct AgentPayload: Encodable {
        let actor = "agent"
        let agentId: UUID
        let conversationId: UUID?
        let viewing: Bool?
        let availability: String?
    }

    struct TypingToContact: Encodable { let actor = "agent" }

    struct ContactPayload: Encodable {
        let actor = "contact"
        let contactId: UUID
    }

    /// One agent's socket: typing, which conversation they have open, and their availability.
    actor AgentPeer {
        let agent: AgentPrincipal
        let hub: any RealtimeHub
        private var viewing: UUID?

        init(agent: AgentPrincipal, hub: any RealtimeHub) {
            self.agent = agent
            self.hub = hub
        }

        func handle(_ text: String) async {
            guard let frame = decode(text) else { return }
            switch frame.type {
            case "typing":
                guard let conversation = uuid(frame.conversationId) else { return }
                await hub.publish(RealtimeEvent(type: "typing", workspaceID: agent.workspaceID, conversationID: conversation, contactID: nil,
                                                visibleToContact: false,
                                                payload: AgentPayload(agentId: agent.agentID, conversationId: conversation, viewing: nil, availability: nil)))
                // The customer hears that someone is answering, never who, and never about a note.
                if frame.private != true, let contact = uuid(frame.contactId) {
                    await hub.publish(RealtimeEvent(type: "typing", workspaceID: agent.workspaceID, conversationID: conversation, contactID: contact,
                                                    visibleToContact: true, payload: TypingToContact()))
                }
            case "viewing":
                let conversation = uuid(frame.conversationId)
                if frame.conversationId != nil && conversation == nil { return }
                if let previous = viewing, previous != conversation { await announce(previous, viewing: false) }
                viewing = conversation
                if let conversation { await announce(conversation, viewing: true) }
            case "availability":
                guard let availability = frame.availability.flatMap(Availability.init(rawValue:)) else { return }
                await hub.publish(RealtimeEvent(type: "presence", workspaceID: agent.workspaceID, conversationID: nil, contactID: nil,
                                                visibleToContact: false,
                                                payload: AgentPayload(agentId: agent.agentID, conversationId: nil, viewing: nil,
                                                                      availability: availability.rawValue)))
            default:
                return
            }
        }

        /// The socket closed: whoever saw this agent in a conversation should stop seeing them.
        func leave() async {
            if let previous = viewing { await announce(previous, viewing: false) }
            viewing = nil
        }

        private func announce(_ conversation: UUID, viewing: Bool) async {
            await hub.publish(RealtimeEvent(type: "presence", workspaceID: agent.workspaceID, conversationID: conversation, contactID: nil,
                                            visibleToContact: false,
                                            payload: AgentPayload(agentId: agent.agentID, conversationId: conversation, viewing: viewing, availability: nil)))
        }
    }

    /// One visitor's socket: only "the customer is typing", told to their own workspace's agents.
    struct VisitorPeer: Sendable {
        let visitor: VisitorPrincipal
        let hub: any RealtimeHub

        func handle(_ text: String) async {
            guard let frame = decode(text), frame.type == "typing" else { return }
            // The contact id in the payload comes from the token, not the frame, so a visitor
            // cannot make another customer appear to type.
            await hub.publish(RealtimeEvent(type: "typing", workspaceID: visitor.workspaceID, conversationID: uuid(frame.conversationId),
                                            contactID: visitor.contactID, visibleToContact: false,
                                            payload: ContactPayload(contactId: visitor.contactID)))
        }
    }
}
