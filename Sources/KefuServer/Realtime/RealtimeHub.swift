import Foundation
import Synchronization

/// One realtime event, as every socket receives it:
/// `{ "id", "type", "conversationId", "payload" }`.
public struct RealtimeEvent: Codable, Sendable, Equatable {
    public let id: String
    public let type: String
    public let workspaceID: UUID
    public let conversationID: UUID?
    /// The customer the event concerns, so visitor sockets can be filtered.
    public let contactID: UUID?
    /// Private notes and internal changes never reach a visitor's socket.
    public let visibleToContact: Bool
    /// The payload as already-encoded JSON, encoded once however many sockets receive it.
    public let payloadJSON: String
    /// What visitor sockets receive instead, when agents are shown more (a message's findings).
    public var visitorPayloadJSON: String? = nil

    init(id: String = TimeOrderedID.make().uuidString, type: String, workspaceID: UUID, conversationID: UUID?, contactID: UUID?,
         visibleToContact: Bool, payloadJSON: String) {
        self.id = id
        self.type = type
        self.workspaceID = workspaceID
        self.conversationID = conversationID
        self.contactID = contactID
        self.visibleToContact = visibleToContact
        self.payloadJSON = payloadJSON
    }

    init<Payload: Encodable>(type: String, workspaceID: UUID, conversationID: UUID?, contactID: UUID?, visibleToContact: Bool, payload: Payload) {
        self.init(type: type, workspaceID: workspaceID, conversationID: conversationID, contactID: contactID,
                  visibleToContact: visibleToContact, payloadJSON: RealtimeEvent.encode(payload))
        if visibleToContact, let facing = payload as? any VisitorFacing { visitorPayloadJSON = RealtimeEvent.encode(facing.visitorPayload) }
    }

    /// The text sent over the socket.
    public var envelope: String { envelope(payloadJSON) }

    /// The text sent over a visitor's socket.
    public var visitorEnvelope: String { envelope(visitorPayloadJSON ?? payloadJSON) }

    private func envelope(_ payload: String) -> String {
        let conversation = conversationID.map { "\"\($0.uuidString)\"" } ?? "null"
        return "{\"id\":\"\(id)\",\"type\":\"\(type)\",\"conversationId\":\(conversation),\"payload\":\(payload)}"
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func encode<Payload: Encodable>(_ payload: Payload) -> String {
        String(decoding: (try? encoder.encode(payload)) ?? Data("null".utf8), as: UTF8.self)
    }
}

/// Who a socket listens for: an agent hears their whole workspace, a visitor only their
/// own conversations' public events.
public enum RealtimeAudience: Sendable, Equatable {
    case workspace(UUID)
    case contact(workspaceID: UUID, contactID: UUID)

    func admits(_ event: RealtimeEvent) -> Bool {
        switch self {
        case .workspace(let workspaceID):
            return event.workspaceID == workspaceID
        case .contact(let workspaceID, let contactID):
            return event.workspaceID == workspaceID && event.contactID == contactID && event.visibleToContact
        }
    }
}

public protocol RealtimeHub: Sendable {
    func publish(_ event: RealtimeEvent) async
    func subscribe(_ audience: RealtimeAudience) -> RealtimeSubscription
}

public struct RealtimeSubscription: Sendable {
    public let events: AsyncStream<RealtimeEvent>
    let cancel: @Sendable () -> Void
    public func close() { cancel() }
}

/// The sockets connected to this node and what each wants to hear.
final class LocalFanout: Sendable {
    private struct Subscriber {
        let audience: RealtimeAudience
        let continuation: AsyncStream<RealtimeEvent>.Continuation
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])

    func subscribe(_ audience: RealtimeAudience) -> RealtimeSubscription {
        let id = UUID()
        // A slow socket loses its oldest events rather than holding the server's memory.
        let (stream, continuation) = AsyncStream.makeStream(of: RealtimeEvent.self, bufferingPolicy: .bufferingNewest(1_000))
        subscribers.withLock { $0[id] = Subscriber(audience: audience, continuation: continuation) }
        let cancel: @Sendable () -> Void = { [weak self] in
            let removed = self?.subscribers.withLock { $0.removeValue(forKey: id) }
            removed?.continuation.finish()
        }
        continuation.onTermination = { _ in cancel() }
        return RealtimeSubscription(events: stream, cancel: cancel)
    }

    func deliver(_ event: RealtimeEvent) {
        let targets = subscribers.withLock { all in all.values.filter { $0.audience.admits(event) }.map(\.continuation) }
        for continuation in targets { continuation.yield(event) }
    }

    var count: Int { subscribers.withLock { $0.count } }
}

/// A single node: events go straight to the sockets connected here.
public struct InProcessHub: RealtimeHub {
    let fanout = LocalFanout()
    public init() {}
    public func publish(_ event: RealtimeEvent) async { fanout.deliver(event) }
    public func subscribe(_ audience: RealtimeAudience) -> RealtimeSubscription { fanout.subscribe(audience) }
}
