import FluentKit
import Foundation
import KefuCore
import SQLKit

/// The one place that knows the conversation columns. Plain SQL on both databases: Fluent's
/// model reflection cost more than SQLite's own work on the message path (measured with perf).
struct ConversationRepository: Sendable {
    static let columns = """
        id, workspace_id, number, inbox_id, contact_id, subject, status, priority, category, category_source, language, sentiment, \
        assignee_id, team_id, tag_list, attributes, last_activity_ms, first_response_at, resolved_at, created_ms, updated_at, version
        """

    /// Another writer saved the conversation after it was read: read again and redo.
    struct VersionConflict: Error {}

    func find(_ id: UUID, workspaceID: UUID, on db: any Database) async throws -> ConversationRecord? {
        try await (db as! any SQLDatabase).raw("""
            SELECT \(unsafeRaw: Self.columns) FROM conversations WHERE id = \(bind: id) AND workspace_id = \(bind: workspaceID)
            """).first().map(ConversationRecord.init(row:))
    }

    /// Several conversations by id, for lists that show one beside each of their rows.
    func findMany(_ ids: [UUID], on db: any Database) async throws -> [UUID: ConversationRecord] {
        guard !ids.isEmpty else { return [:] }
        let listed = Set(ids).map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        let records = try await (db as! any SQLDatabase).raw("""
            SELECT \(unsafeRaw: Self.columns) FROM conversations WHERE id IN (\(listed))
            """).all().map(ConversationRecord.init(row:))
        return Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The conversation a customer's next message in this inbox joins: the one not closed.
    func active(contactID: UUID, inboxID: UUID, on db: any Database) async throws -> ConversationRecord? {
        try await (db as! any SQLDatabase).raw("""
            SELECT \(unsafeRaw: Self.columns) FROM conversations
            WHERE contact_id = \(bind: contactID) AND inbox_id = \(bind: inboxID) AND status <> \(bind: ConversationStatus.closed.rawValue)
            ORDER BY created_ms DESC LIMIT 1
            """).first().map(ConversationRecord.init(row:))
    }

    /// Stores a new conversation with the workspace's next number. The counter row is
    /// updated in the same transaction, which both databases serialise; numbers are never reused.
    func insert(_ record: ConversationRecord, on db: any Database) async throws -> ConversationRecord {
        try await insertMany([record], on: db)[0]
    }

    /// Stores new conversations, numbered in the order given: one counter UPDATE per
    /// workspace, one INSERT for all of them.
    func insertMany(_ records: [ConversationRecord], on db: any Database) async throws -> [ConversationRecord] {
        guard !records.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        var stored = records
        for workspace in Set(records.map(\.workspaceID)) {
            let indexes = stored.indices.filter { stored[$0].workspaceID == workspace }
            guard let counter = try await sql.raw("""
                UPDATE workspaces SET conversation_counter = conversation_counter + \(bind: indexes.count)
                WHERE id = \(bind: workspace) RETURNING conversation_counter
                """).first() else { throw Problem.notFound("Workspace") }
            let last = try counter.decode(column: "conversation_counter", as: Int.self)
            for (offset, index) in indexes.enumerated() { stored[index].number = last - indexes.count + 1 + offset }
        }
        var insert = sql.insert(into: "conversations")
            .columns("id", "workspace_id", "number", "inbox_id", "contact_id", "subject", "status", "priority", "category", "category_source",
                     "language", "sentiment", "assignee_id", "team_id", "tag_list", "attributes", "last_activity_ms", "first_response_at",
                     "resolved_at", "created_ms", "created_at", "updated_at", "version")
        for index in stored.indices {
            stored[index].version = 1
            let r = stored[index]
            insert = insert.values(SQLBind(r.id), SQLBind(r.workspaceID), SQLBind(r.number), SQLBind(r.inboxID), SQLBind(r.contactID),
                                   SQLBind(r.subject), SQLBind(r.status.rawValue), SQLBind(r.priority.rawValue), SQLBind(r.category),
                                   SQLBind(r.categorySource?.rawValue), SQLBind(r.language), SQLBind(r.sentiment), SQLBind(r.assigneeID),
                                   SQLBind(r.teamID), SQLBind(r.tagList), SQLBind(r.attributes), SQLBind(r.lastActivityMillis),
                                   SQLBind(r.firstResponseAt), SQLBind(r.resolvedAt), SQLBind(r.createdMillis),
                                   SQLBind(Date(millisSince1970: r.createdMillis)), SQLBind(r.updatedAt), SQLBind(r.version))
        }
        try await insert.run()
        return stored
    }

    /// Saves every column of `record` if the stored version is still the one it was read at;
    /// throws `VersionConflict` otherwise. Returns the record as saved (next version).
    func save(_ record: ConversationRecord, on db: any Database) async throws -> ConversationRecord {
        var saved = record
        saved.version = record.version + 1
        guard try await (db as! any SQLDatabase).raw("""
            UPDATE conversations SET subject = \(bind: saved.subject), status = \(bind: saved.status.rawValue),
                priority = \(bind: saved.priority.rawValue), category = \(bind: saved.category),
                category_source = \(bind: saved.categorySource?.rawValue), language = \(bind: saved.language),
                sentiment = \(bind: saved.sentiment), assignee_id = \(bind: saved.assigneeID), team_id = \(bind: saved.teamID),
                tag_list = \(bind: saved.tagList), attributes = \(bind: saved.attributes), last_activity_ms = \(bind: saved.lastActivityMillis),
                first_response_at = \(bind: saved.firstResponseAt), resolved_at = \(bind: saved.resolvedAt),
                updated_at = \(bind: saved.updatedAt), version = \(bind: saved.version)
            WHERE id = \(bind: saved.id) AND version = \(bind: record.version)
            RETURNING id
            """).first() != nil else { throw VersionConflict() }
        return saved
    }
}

extension ConversationRepository {
    /// Saves many conversations in one statement (SQLite's UPDATE … FROM (VALUES …)), each
    /// only if its stored version is still the one it was read at. Returns the ids saved;
    /// the others lost a race and must be decided again.
    func saveMany(_ records: [ConversationRecord], on db: any Database) async throws -> Set<UUID> {
        guard !records.isEmpty else { return [] }
        let sql = db as! any SQLDatabase
        guard sql.dialect.name == "sqlite" else {
            // PostgreSQL would need a cast for every typed column of VALUES; one UPDATE each.
            var saved = Set<UUID>()
            for record in records {
                do {
                    _ = try await save(record, on: db)
                    saved.insert(record.id)
                } catch is VersionConflict {}
            }
            return saved
        }
        var rows: [SQLQueryString] = []
        for r in records {
            rows.append("""
                (\(bind: r.id), \(bind: r.version), \(bind: r.subject), \(bind: r.status.rawValue), \(bind: r.priority.rawValue), \(bind: r.category), \
                \(bind: r.categorySource?.rawValue), \(bind: r.language), \(bind: r.sentiment), \(bind: r.assigneeID), \(bind: r.teamID), \
                \(bind: r.tagList), \(bind: r.attributes), \(bind: r.lastActivityMillis), \(bind: r.firstResponseAt), \(bind: r.resolvedAt), \
                \(bind: r.updatedAt))
                """)
        }
        // VALUES columns are column1, column2, … on SQLite, in the order written above.
        let returned = try await sql.raw("""
            UPDATE conversations SET subject = v.column3, status = v.column4, priority = v.column5, category = v.column6,
                category_source = v.column7, language = v.column8, sentiment = v.column9, assignee_id = v.column10, team_id = v.column11,
                tag_list = v.column12, attributes = v.column13, last_activity_ms = v.column14, first_response_at = v.column15,
                resolved_at = v.column16, updated_at = v.column17, version = v.column2 + 1
            FROM (VALUES \(rows.joined(separator: ", "))) AS v
            WHERE conversations.id = v.column1 AND conversations.version = v.column2
            RETURNING conversations.id
            """).all()
        return Set(try returned.map { try $0.decode(column: "id", as: UUID.self) })
    }
}

extension ConversationRecord {
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        workspaceID = try row.decode(column: "workspace_id", as: UUID.self)
        number = try row.decode(column: "number", as: Int.self)
        inboxID = try row.decode(column: "inbox_id", as: UUID.self)
        contactID = try row.decode(column: "contact_id", as: UUID.self)
        subject = try row.decode(column: "subject", as: String?.self)
        status = ConversationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        priority = Priority(rawValue: try row.decode(column: "priority", as: String.self)) ?? .normal
        category = try row.decode(column: "category", as: String?.self)
        categorySource = try row.decode(column: "category_source", as: String?.self).flatMap(CategorySource.init(rawValue:))
        language = try row.decode(column: "language", as: String?.self)
        sentiment = try row.decode(column: "sentiment", as: String?.self)
        assigneeID = try row.decode(column: "assignee_id", as: UUID?.self)
        teamID = try row.decode(column: "team_id", as: UUID?.self)
        tagList = try row.decode(column: "tag_list", as: String.self)
        attributes = try row.decode(column: "attributes", as: String.self)
        lastActivityMillis = try row.decode(column: "last_activity_ms", as: Int64.self)
        firstResponseAt = try row.decode(column: "first_response_at", as: Date?.self)
        resolvedAt = try row.decode(column: "resolved_at", as: Date?.self)
        createdMillis = try row.decode(column: "created_ms", as: Int64.self)
        updatedAt = try row.decode(column: "updated_at", as: Date?.self)
        version = try row.decode(column: "version", as: Int.self)
    }
}
