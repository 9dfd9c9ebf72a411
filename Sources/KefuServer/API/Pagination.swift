import Foundation
import Hummingbird

/// `?limit=` (1…100, default 50) and an opaque `cursor`, as every list endpoint takes them.
struct PageRequest {
    let limit: Int
    let cursor: String?

    init(_ request: Request) throws {
        let query = request.uri.formParameters
        if let raw = query["limit"] {
            guard let value = Int(String(raw)), (1...100).contains(value) else {
                throw Problem.badRequest("limit must be a whole number from 1 to 100.")
            }
            limit = value
        } else {
            limit = 50
        }
        cursor = query["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }
}

struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    let items: [Item]
    let nextCursor: String?
}

/// Cursors are base64url text so clients treat them as opaque and cannot tamper usefully.
enum Cursor {
    static func encode(_ parts: [String]) -> String {
        Data(parts.joined(separator: "|").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The row id a one-part cursor points at.
    static func id(_ cursor: String) throws -> UUID {
        guard let id = UUID(uuidString: try decode(cursor, parts: 1)[0]) else { throw Problem.badRequest("cursor is not one this server handed out.") }
        return id
    }

    static func decode(_ cursor: String, parts count: Int) throws -> [String] {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw Problem.badRequest("cursor is not one this server handed out.")
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else { throw Problem.badRequest("cursor is not one this server handed out.") }
        return parts
    }
}
