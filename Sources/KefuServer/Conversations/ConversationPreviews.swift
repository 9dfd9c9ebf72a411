import FluentKit
import Foundation
import KefuCore
import SQLKit

/// The first line of the last thing a person said in each conversation, for lists: the
/// bot's and the desk's automatic messages and private notes would hide the customer's words.
struct ConversationPreviews: Sendable {
    static let maxLength = 140

    let persistence: Persistence

    func lastWords(_ ids: [UUID]) async throws -> [UUID: ConversationPreview] {
        guard !ids.isEmpty else { return [:] }
        let listed = ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let people = [AuthorKind.contact, .agent].map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ")
        let rows = try await (persistence.reader as! any SQLDatabase).raw("""
            SELECT conversation_id, body, author_kind, created_at FROM (
                SELECT conversation_id, body, author_kind, created_at,
                       ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id DESC) AS place
                FROM messages WHERE conversation_id IN (\(listed)) AND \(ident: "private") = \(bind: false) AND author_kind IN (\(people))
            ) latest WHERE place = 1
            """).all()
        var previews: [UUID: ConversationPreview] = [:]
        for row in rows {
            let body = try row.decode(column: "body", as: String.self)
            previews[try row.decode(column: "conversation_id", as: UUID.self)] = ConversationPreview(
                text: Self.firstLine(body), authorKind: try row.decode(column: "author_kind", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date?.self))
        }
        return previews
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > maxLength ? String(trimmed.prefix(maxLength - 1)) + "…" : trimmed
    }
}

struct ConversationPreview: Codable, Sendable, Equatable {
    let text: String
    /// contact or agent.
    let authorKind: String
    let createdAt: Date?
}
