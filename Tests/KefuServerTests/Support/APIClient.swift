import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A parsed JSON value that tests can walk without declaring types for every response.
struct JSON: @unchecked Sendable, CustomStringConvertible {
    // `@unchecked`: wraps values produced by JSONSerialization (dictionaries, arrays,
    // strings, numbers), which are immutable once parsed and only read by tests.
    let value: Any?

    subscript(key: String) -> JSON { JSON(value: (value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(value: nil) }
        return JSON(value: array[index])
    }
    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber).map(\.intValue) }
    var bool: Bool? { (value as? NSNumber).map(\.boolValue) }
    var array: [JSON] { (value as? [Any])?.map { JSON(value: $0) } ?? [] }
    var isNull: Bool { value == nil || value is NSNull }
    var description: String {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "\(value ?? "nil")" }
        return String(decoding: data, as: UTF8.self)
    }
}

struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    var json: JSON { JSON(value: try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) }
    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}

func body(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func signIn(_ email: String, password: String = TestDesk.password) async throws -> String {
        let response = try await call(.post, "/api/v1/auth/login", json: body(["email": email, "password": password]))
        guard response.status == .ok, let token = response.json["token"].string else {
            throw TestFailure("sign-in of \(email) failed: \(response.status) \(response.text)")
        }
        return token
    }

    /// A widget visitor's token for the given inbox.
    func visitor(inboxToken: String, locale: String = "en") async throws -> (token: String, contactID: String) {
        let response = try await call(.post, "/widget/v1/sessions", json: body(["inboxToken": inboxToken, "locale": locale]))
        guard response.status == .created, let token = response.json["visitorToken"].string, let contact = response.json["contactId"].string else {
            throw TestFailure("widget session failed: \(response.status) \(response.text)")
        }
        return (token, contact)
    }

    func say(_ text: String, visitorToken: String) async throws -> JSON {
        let response = try await call(.post, "/widget/v1/messages", token: visitorToken, json: body(["text": text]))
        guard response.status == .created else { throw TestFailure("visitor message failed: \(response.status) \(response.text)") }
        return response.json
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls until `condition` holds, for things that happen in the background (jobs, sockets).
func eventually(timeout: Duration = Patience.forEvent, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
