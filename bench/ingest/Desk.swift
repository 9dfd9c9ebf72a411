import AsyncHTTPClient
import Foundation
import NIOCore

/// One customer as the widget knows them: a signed visitor token.
struct Visitor: Sendable {
    let contactID: String
    /// Built once, so the hot loop does no string work for it.
    let authorization: String
}

/// The few calls of the desk's API that the benchmark needs.
struct DeskClient: Sendable {
    enum Verb { case get, post, patch }

    struct Answer: Sendable {
        let status: UInt
        let body: ByteBuffer
        var text: String { String(buffer: body) }
    }

    let http: HTTPClient
    let base: String
    let timeout: TimeAmount

    func call(_ verb: Verb, _ path: String, json: String? = nil, bearer: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        switch verb {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .patch: request.method = .PATCH
        }
        if let bearer { request.headers.add(name: "Authorization", value: bearer) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await http.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: UInt(response.status.code), body: body)
    }

    func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, expecting status: UInt, what: String) throws -> T {
        guard answer.status == status else {
            throw BenchError("\(what): expected HTTP \(status), got \(answer.status): \(answer.text.prefix(300))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw BenchError("\(what): unreadable answer \(answer.text.prefix(300)): \(error)")
        }
    }

    func waitUntilReady(seconds: Double) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last = "no answer"
        while Date() < deadline {
            do {
                let answer = try await call(.get, "/ready")
                if answer.status == 200 { return }
                last = "HTTP \(answer.status)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("the desk at \(base) was not ready within \(Int(seconds)) s (\(last))")
    }

    struct Login: Decodable {
        struct Agent: Decodable { let id: String }
        let token: String
        let agent: Agent
    }

    func login(email: String, password: String) async throws -> Login {
        let body = try String(decoding: JSONEncoder().encode(["email": email, "password": password]), as: UTF8.self)
        return try decode(Login.self, try await call(.post, "/api/v1/auth/login", json: body), expecting: 200, what: "sign-in")
    }

    struct Inbox: Decodable, Sendable {
        let id: String
        let kind: String
        let publicToken: String?
    }

    func inboxes(agentToken: String) async throws -> [Inbox] {
        struct Inboxes: Decodable { let items: [Inbox] }
        return try decode(Inboxes.self, try await call(.get, "/api/v1/inboxes", bearer: "Bearer \(agentToken)"),
                          expecting: 200, what: "listing inboxes").items
    }

    func widgetInboxToken(agentToken: String) async throws -> String {
        guard let token = try await inboxes(agentToken: agentToken).first(where: { $0.kind == "widget" })?.publicToken else {
            throw BenchError("the workspace has no widget inbox")
        }
        return token
    }

    func apiInboxID(agentToken: String) async throws -> String {
        guard let id = try await inboxes(agentToken: agentToken).first(where: { $0.kind == "api" })?.id else {
            throw BenchError("the workspace has no api inbox")
        }
        return id
    }

    func setAvailability(_ availability: String, agentID: String, agentToken: String) async throws {
        let answer = try await call(.patch, "/api/v1/agents/\(agentID)", json: "{\"availability\":\"\(availability)\"}",
                                    bearer: "Bearer \(agentToken)")
        guard answer.status == 200 else { throw BenchError("setting availability: HTTP \(answer.status): \(answer.text.prefix(300))") }
    }

    func setAnswerBot(enabled: Bool, agentToken: String) async throws {
        let answer = try await call(.patch, "/api/v1/bot", json: "{\"enabled\":\(enabled)}", bearer: "Bearer \(agentToken)")
        guard answer.status == 200 else { throw BenchError("setting the answer bot: HTTP \(answer.status): \(answer.text.prefix(300))") }
    }

    func startSession(inboxToken: String) async throws -> Visitor {
        struct Session: Decodable { let visitorToken: String; let contactId: String }
        let session = try decode(Session.self, try await call(.post, "/widget/v1/sessions", json: "{\"inboxToken\":\"\(inboxToken)\"}"),
                                 expecting: 201, what: "starting a widget session")
        return Visitor(contactID: session.contactId, authorization: "Bearer \(session.visitorToken)")
    }
}

/// What customers of a wallet or an exchange write, so that text handling on the way in
/// (redaction, triage) works on something like real traffic once it exists.
enum CustomerText {
    private static let templates: [(String, String)] = [
        ("Hi, my withdrawal of 0.25 ETH has been pending for two hours now, reference W-", ". Can you check what is going on?"),
        ("I sent USDT on TRC20 instead of ERC20 to my deposit address. Is there any way to get it back? Case ", ""),
        ("Deposit not credited yet, it has 40 confirmations on the explorer. Order ", " please help"),
        ("Why is my account restricted? I only logged in from a new phone. ID ", ""),
        ("hello?? still waiting ", ""),
        ("The app shows my KYC as under review since Monday, I need to withdraw before Friday. Ticket ", ""),
        ("Swap failed but the fee was taken, tx ", ". Will the fee be refunded?"),
        ("thanks, and how long does the refund usually take? ", ""),
    ]

    /// The templates hold nothing that needs escaping in JSON.
    private static func text(_ sequence: Int) -> String {
        let (head, tail) = templates[sequence % templates.count]
        return "\(head)\(sequence)\(tail)"
    }

    /// The JSON body of a widget message.
    static func body(_ sequence: Int) -> String {
        "{\"text\":\"\(text(sequence))\"}"
    }

    /// The JSON body of an API-inbox message from customer `number` of run `run`: an external id
    /// no earlier request used, so the desk creates the contact and opens a conversation, and a
    /// channel message id no earlier request used, so idempotency never answers with a replay.
    /// `run` is a UUID and `number` a whole number, so nothing here needs escaping either.
    static func opening(_ number: Int, run: String) -> String {
        let key = "bench-\(run)-\(number)"
        return "{\"text\":\"\(text(number))\",\"contact\":{\"externalId\":\"\(key)\",\"name\":\"Bench customer \(number)\"},"
            + "\"channelMessageId\":\"\(key)\"}"
    }
}
