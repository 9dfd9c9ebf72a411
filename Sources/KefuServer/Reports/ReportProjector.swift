import FluentKit
import Foundation
import KefuCore
import Logging
import SQLKit
import Synchronization

/// Keeps the report rollups in step with conversations. A conversation that changed (a new
/// event or message) is read again whole; what it now contributes is compared with what it
/// contributed before, and only the difference is added — in one transaction with the new
/// contribution. Reading a conversation twice therefore changes nothing, a projection cut
/// short is redone from the start, and the rollups can always be rebuilt from scratch.
struct ReportProjector: Sendable {
    let persistence: Persistence
    let clock: DeskClock

    /// What this node projected lately, so a scan reads again only what changed since.
    let memory = ProjectionMemory()

    /// How far back each scan looks again, and how long a transaction may take to commit
    /// after its ids were made: a late commit is still seen, and a conversation projected
    /// within this long of its latest change is projected once more.
    static let overlap: TimeInterval = 15
    static let commitDelay: TimeInterval = 10
    static let cursorKey = "projection_cursor_ms"

    // MARK: one conversation

    /// Reads the conversation again and adds the difference to the rollups.
    func project(_ conversationID: UUID, rules: ServiceLevelRulesCache) async throws {
        try await DatabaseOutage.redoneWhenBusy { try await projectOnce(conversationID, rules: rules) }
    }

    private func projectOnce(_ conversationID: UUID, rules: ServiceLevelRulesCache) async throws {
        // Read outside the transaction: on PostgreSQL it holds a connection the rules would wait for.
        let workspace = try await (persistence.reader as! any SQLDatabase).raw("SELECT workspace_id FROM conversations WHERE id = \(bind: conversationID)")
            .first().flatMap { try $0.decode(column: "workspace_id", as: UUID?.self) }
        var known: ServiceLevelRules?
        if let workspace { known = try await rules.rules(workspaceID: workspace) }
        let loaded = known
        try await persistence.transaction { db in
            let sql = db as! any SQLDatabase
            // On PostgreSQL two nodes may project one conversation at once: the contribution
            // row is made first and locked, so the second waits and finds the first's result.
            if persistence.location.isPostgres {
                try await sql.raw("""
                    INSERT INTO report_contributions (conversation_id, workspace_id, dims, facts, updated_ms)
                    SELECT id, workspace_id, '', '[]', 0 FROM conversations WHERE id = \(bind: conversationID)
                    ON CONFLICT (conversation_id) DO NOTHING
                    """).run()
            }
            let lock: SQLQueryString = persistence.location.isPostgres ? " FOR UPDATE" : ""
            let stored = try await sql.raw("SELECT dims, facts FROM report_contributions WHERE conversation_id = \(bind: conversationID)\(lock)").first()
            let oldDims = try stored.flatMap { try JSONDecoder().decodeIfValid(ReportDims.self, from: $0.decode(column: "dims", as: String.self)) }
            let oldFacts = try stored.map { StoredJSON.decode([ReportFact].self, from: try $0.decode(column: "facts", as: String.self), default: []) } ?? []
            let old = oldDims.map { ReportCells.cells(oldFacts, dims: $0) } ?? [:]

            guard let source = try await ReportSource.read(conversationID, on: db, rules: loaded) else {
                // Gone (deleted with its workspace): take back what it added.
                try await Self.add(ReportCells.difference(from: old, to: [:]), workspaceID: nil, conversationID: conversationID, on: sql)
                try await sql.delete(from: "report_contributions").where("conversation_id", .equal, SQLBind(conversationID)).run()
                try await Self.replaceReturns(of: nil, conversationID: conversationID, on: sql)
                return
            }
            let facts = source.facts
            let delta = ReportCells.difference(from: old, to: ReportCells.cells(facts, dims: source.dims))
            try await Self.add(delta, workspaceID: source.conversation.workspaceID, conversationID: conversationID, on: sql)
            try await sql.delete(from: "report_contributions").where("conversation_id", .equal, SQLBind(conversationID)).run()
            try await sql.insert(into: "report_contributions").columns("conversation_id", "workspace_id", "dims", "facts", "updated_ms")
                .values(SQLBind(conversationID), SQLBind(source.conversation.workspaceID), SQLBind(StoredJSON.encode(source.dims)),
                        SQLBind(StoredJSON.encode(facts)), SQLBind(clock.now().millisSince1970)).run()
            try await Self.replaceReturns(of: source, conversationID: conversationID, on: sql)
        }
    }

    /// The conversation's resolutions and the days its customer wrote on, as they now are.
    /// Most passes find them as they were (a new message changes neither): then nothing is
    /// written, which on SQLite keeps the writer free for the message path. When either
    /// changed, every resolution of the customer learns again when they first wrote after it,
    /// so the value report reads that from the resolution itself.
    private static func replaceReturns(of source: ReportSource?, conversationID: UUID, on sql: any SQLDatabase) async throws {
        let storedResolutions = try await sql.raw("""
            SELECT cycle, contact_id, resolved_ms, rating, first_response_s FROM report_resolutions WHERE conversation_id = \(bind: conversationID)
            """).all().map { row in
                ReturnKey.resolution(cycle: try row.decode(column: "cycle", as: Int.self), contact: try row.decode(column: "contact_id", as: UUID.self),
                                     resolved: try row.decode(column: "resolved_ms", as: Int64.self), rating: try row.decode(column: "rating", as: Int?.self),
                                     firstResponse: try row.decode(column: "first_response_s", as: Double?.self))
            }
        let storedVisits = try await sql.raw("SELECT contact_id, day, last_ms FROM report_visits WHERE conversation_id = \(bind: conversationID)").all().map { row in
            ReturnKey.visit(contact: try row.decode(column: "contact_id", as: UUID.self), day: try row.decode(column: "day", as: Int64.self),
                            last: try row.decode(column: "last_ms", as: Int64.self))
        }
        // Gone (deleted with its workspace): nothing is wanted.
        let resolutions = source.map { RetentionFacts.resolutions($0.moments, ratings: $0.signals.ratings) } ?? []
        let visits = source.map { RetentionFacts.visits($0.moments) } ?? []
        let wantedResolutions = source.map { source in resolutions.map { r in
            ReturnKey.resolution(cycle: r.cycle, contact: source.conversation.contactID, resolved: r.resolved.millisSince1970, rating: r.rating, firstResponse: r.firstResponse)
        } } ?? []
        let wantedVisits = source.map { source in visits.map { ReturnKey.visit(contact: source.conversation.contactID, day: $0.day, last: $0.last.millisSince1970) } } ?? []
        let resolutionsChanged = Set(storedResolutions) != Set(wantedResolutions) || storedResolutions.count != wantedResolutions.count
        let visitsChanged = Set(storedVisits) != Set(wantedVisits) || storedVisits.count != wantedVisits.count
        guard resolutionsChanged || visitsChanged else { return }

        // The customers whose returns were and are kept here.
        let contacts = Set((storedResolutions + storedVisits + wantedResolutions + wantedVisits).map(\.contact))
        try await lockReturns(of: contacts, on: sql)
        if resolutionsChanged {
            try await sql.delete(from: "report_resolutions").where("conversation_id", .equal, SQLBind(conversationID)).run()
            if let conversation = source?.conversation, !resolutions.isEmpty {
                let values = resolutions.map { r in
                    "(\(bind: conversationID), \(bind: r.cycle), \(bind: conversation.workspaceID), \(bind: conversation.contactID), \(bind: r.resolved.millisSince1970), \(bind: r.rating), \(bind: r.firstResponse))" as SQLQueryString
                }.joined(separator: ", ")
                try await sql.raw("""
                    INSERT INTO report_resolutions (conversation_id, cycle, workspace_id, contact_id, resolved_ms, rating, first_response_s) VALUES \(values)
                    """).run()
            }
        }
        if visitsChanged {
            try await sql.delete(from: "report_visits").where("conversation_id", .equal, SQLBind(conversationID)).run()
            if let conversation = source?.conversation, !visits.isEmpty {
                let values = visits.map { "(\(bind: conversationID), \(bind: conversation.contactID), \(bind: $0.day), \(bind: $0.last.millisSince1970))" as SQLQueryString }
                    .joined(separator: ", ")
                try await sql.raw("INSERT INTO report_visits (conversation_id, contact_id, day, last_ms) VALUES \(values)").run()
            }
        }
        try await refreshReturns(of: contacts, on: sql)
    }

    /// On PostgreSQL, two conversations of one customer projected at once would each rewrite
    /// the other's resolutions: one lock per customer, taken in one order before any of them
    /// is written, makes the second wait instead of deadlocking. SQLite has one writer.
    private static func lockReturns(of contacts: Set<UUID>, on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        for contact in contacts.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: contact.uuidString), 7))").run()
        }
    }

    /// Each resolution of these customers: the first time they wrote after it (or none yet).
    static func refreshReturns(of contacts: Set<UUID>, on sql: any SQLDatabase) async throws {
        guard !contacts.isEmpty else { return }
        let list = contacts.sorted(by: { $0.uuidString < $1.uuidString }).map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        try await sql.raw("""
            UPDATE report_resolutions SET back_ms = (SELECT MIN(v.last_ms) FROM report_visits v
              WHERE v.contact_id = report_resolutions.contact_id AND v.last_ms > report_resolutions.resolved_ms)
            WHERE contact_id IN (\(list))
            """).run()
    }

    /// A stored resolution or writing day, as compared with the one the conversation now gives.
    private enum ReturnKey: Hashable {
        case resolution(cycle: Int, contact: UUID, resolved: Int64, rating: Int?, firstResponse: Double?)
        case visit(contact: UUID, day: Int64, last: Int64)

        var contact: UUID {
            switch self { case .resolution(_, let contact, _, _, _), .visit(let contact, _, _): contact }
        }
    }

    private static func add(_ delta: [ReportCell: ReportAmount], workspaceID: UUID?, conversationID: UUID, on sql: any SQLDatabase) async throws {
        guard !delta.isEmpty else { return }
        var workspace = workspaceID
        if workspace == nil {
            workspace = try await sql.raw("SELECT workspace_id FROM report_contributions WHERE conversation_id = \(bind: conversationID)")
                .first().flatMap { try $0.decode(column: "workspace_id", as: UUID?.self) }
        }
        guard let workspaceID = workspace else { return }
        try await record(delta, workspaceID: workspaceID, on: sql)
    }

    /// Adds hourly cells to the hourly rollups and, summed, to the daily and weekly ones.
    static func record(_ delta: [ReportCell: ReportAmount], workspaceID: UUID, on sql: any SQLDatabase) async throws {
        try await upsert(delta, into: .hourly, workspaceID: workspaceID, on: sql)
        // The same difference summed by day and by week, in the same transaction.
        var daily: [ReportCell: ReportAmount] = [:], weekly: [ReportCell: ReportAmount] = [:]
        for (cell, amount) in delta {
            let dayNumber = ReportCells.day(ofHour: cell.hour)
            let day = ReportCell(hour: dayNumber, dim: cell.dim, metric: cell.metric, detail: cell.detail, bin: cell.bin)
            daily[day] = (daily[day] ?? ReportAmount()) + amount
            let week = ReportCell(hour: ReportCells.week(ofDay: dayNumber), dim: cell.dim, metric: cell.metric, detail: cell.detail, bin: cell.bin)
            weekly[week] = (weekly[week] ?? ReportAmount()) + amount
        }
        try await upsert(daily.filter { !$0.value.isZero }, into: .daily, workspaceID: workspaceID, on: sql)
        try await upsert(weekly.filter { !$0.value.isZero }, into: .weekly, workspaceID: workspaceID, on: sql)
    }

    /// The rollup tables: by hour, and the same summed by UTC day and by UTC week (the cell's
    /// `hour` is then its day, or the Monday that begins its week), ordered shortest first.
    enum RollupTable: CaseIterable {
        case hourly, daily, weekly

        var name: String {
            switch self { case .hourly: "report_rollups"; case .daily: "report_rollups_daily"; case .weekly: "report_rollups_weekly" }
        }
        var time: String { self == .hourly ? "hour" : "day" }
        /// The unique key, in its order.
        var key: String { self == .hourly ? "workspace_id, dim, metric, hour, detail, bin" : "workspace_id, dim, day, metric, detail, bin" }
    }

    private static func upsert(_ cells: [ReportCell: ReportAmount], into table: RollupTable, workspaceID: UUID, on sql: any SQLDatabase) async throws {
        // Sorted in the key's order, so two transactions touching the same rows take their locks in one order.
        let rows = cells.sorted { a, b in
            table == .hourly ? (a.key.dim, a.key.metric, a.key.hour, a.key.detail, a.key.bin) < (b.key.dim, b.key.metric, b.key.hour, b.key.detail, b.key.bin)
                : (a.key.dim, a.key.hour, a.key.metric, a.key.detail, a.key.bin) < (b.key.dim, b.key.hour, b.key.metric, b.key.detail, b.key.bin)
        }
        for chunk in stride(from: 0, to: rows.count, by: 200).map({ rows[$0..<min($0 + 200, rows.count)] }) {
            let values = chunk.map { cell, amount in
                "(\(bind: workspaceID), \(bind: cell.hour), \(bind: cell.dim), \(bind: cell.metric), \(bind: cell.detail), \(bind: cell.bin), \(bind: amount.n), \(bind: amount.total), \(bind: amount.totalBusiness))" as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO \(unsafeRaw: table.name) (workspace_id, \(unsafeRaw: table.time), dim, metric, detail, bin, n, total, total_business) VALUES \(values)
                ON CONFLICT (\(unsafeRaw: table.key)) DO UPDATE SET n = \(unsafeRaw: table.name).n + excluded.n,
                total = \(unsafeRaw: table.name).total + excluded.total, total_business = \(unsafeRaw: table.name).total_business + excluded.total_business
                """).run()
        }
    }

    // MARK: keeping up

    /// Projects the conversations with an event or a message since the last scan (less the
    /// overlap), at most `limit` of them, oldest change first; the rest wait for the next
    /// scan, so a burst of messages never holds the database for long. Returns how many were read.
    @discardableResult
    func catchUp(limit: Int = 1_000, page: Int = 5_000) async throws -> Int {
        let sql = persistence.reader as! any SQLDatabase
        let cursor = try await sql.raw("SELECT value FROM report_state WHERE key = \(bind: Self.cursorKey)").first()
            .flatMap { try? $0.decode(column: "value", as: Int64.self) } ?? 0
        let scanned = Date()
        // Per conversation: its first and its latest row in the window.
        var changes: [UUID: (first: UUID, last: UUID)] = [:]
        // Ratings, answers and every change an agent makes carry events of their own, and
        // replies are messages: whatever changed a conversation is in one of the two.
        for table in ["conversation_events", "messages"] {
            var bound = TimeOrderedID.lowerBound(Date(millisSince1970: max(0, cursor - Int64(Self.overlap * 1000))))
            while true {
                let rows = try await sql.raw("""
                    SELECT id, conversation_id FROM \(ident: table) WHERE id > \(bind: bound) ORDER BY id LIMIT \(unsafeRaw: String(page))
                    """).all()
                for row in rows {
                    let id = try row.decode(column: "id", as: UUID.self), conversation = try row.decode(column: "conversation_id", as: UUID.self)
                    let known = changes[conversation]
                    let first = known.map { $0.first.uuidString < id.uuidString ? $0.first : id } ?? id
                    let last = known.map { $0.last.uuidString > id.uuidString ? $0.last : id } ?? id
                    changes[conversation] = (first, last)
                }
                guard rows.count == page, let last = rows.last else { break }
                bound = try last.decode(column: "id", as: UUID.self)
            }
        }
        let due = changes.filter { !memory.covers($0.key, latest: $0.value.last) }.sorted { $0.value.first.uuidString < $1.value.first.uuidString }
        let rules = ServiceLevelRulesCache(persistence: persistence)
        for (conversation, change) in due.prefix(limit) {
            let startedAt = Date()
            try await project(conversation, rules: rules)
            memory.remember(conversation, latest: change.last, at: startedAt)
        }
        // Left for later: the next scan starts at the oldest change not yet read.
        let next = due.count > limit ? TimeOrderedID.time(of: due[limit].value.first) : scanned
        try await setCursor(next)
        memory.forget(before: next.addingTimeInterval(-Self.overlap - Self.commitDelay))
        return min(due.count, limit)
    }

    private func setCursor(_ time: Date) async throws {
        try await DatabaseOutage.redoneWhenBusy { try await persistence.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.delete(from: "report_state").where("key", .equal, SQLBind(Self.cursorKey)).run()
            try await sql.insert(into: "report_state").columns("key", "value").values(SQLBind(Self.cursorKey), SQLBind(time.millisSince1970)).run()
        } }
    }

    // MARK: a new definition

    static let versionKey = "facts_version"
    static let rereadKey = "reread_after"

    /// When the facts a conversation contributes were defined anew (`ReportFacts.version`),
    /// reads up to `limit` conversations again, in id order from where the last pass
    /// stopped, and records the new version once every one has been. Reports stay readable
    /// throughout: each conversation's old contribution is replaced by its new one, never
    /// thrown away first. Returns how many were read.
    @discardableResult
    func upgrade(limit: Int = 500) async throws -> Int {
        let sql = persistence.reader as! any SQLDatabase
        let state = try await sql.raw("SELECT key, value FROM report_state WHERE key IN (\(bind: Self.versionKey), \(bind: Self.rereadKey))").all()
        var values: [String: Int64] = [:]
        for row in state { values[try row.decode(column: "key", as: String.self)] = try row.decode(column: "value", as: Int64.self) }
        guard (values[Self.versionKey] ?? 0) < Int64(ReportFacts.version) else { return 0 }
        // Ids begin with their milliseconds: the cursor keeps the last one read as those six
        // bytes; reading that millisecond's conversations twice changes nothing.
        let cursor = values[Self.rereadKey] ?? 0
        let bound = TimeOrderedID.lowerBound(Date(millisSince1970: cursor))
        var ids = try await sql.raw("SELECT id FROM conversations WHERE id >= \(bind: bound) ORDER BY id LIMIT \(unsafeRaw: String(limit))").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        if ids.count == limit, let first = ids.first, let last = ids.last, TimeOrderedID.time(of: first) == TimeOrderedID.time(of: last) {
            // A page all made in one millisecond: every conversation of that millisecond, so moving past it skips none.
            let after = TimeOrderedID.lowerBound(Date(millisSince1970: TimeOrderedID.time(of: first).millisSince1970 + 1))
            ids = try await sql.raw("SELECT id FROM conversations WHERE id >= \(bind: bound) AND id < \(bind: after) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
        }
        let rules = ServiceLevelRulesCache(persistence: persistence)
        for id in ids { try await project(id, rules: rules) }
        let finished = ids.count < limit
        // A page all in one millisecond moves on by one, so the pass always ends.
        let first = ids.first.map { TimeOrderedID.time(of: $0).millisSince1970 } ?? cursor, last = ids.last.map { TimeOrderedID.time(of: $0).millisSince1970 } ?? cursor
        let next = first == last ? last + 1 : last
        try await setState(finished ? [Self.versionKey: Int64(ReportFacts.version), Self.rereadKey: 0] : [Self.rereadKey: next])
        return ids.count
    }

    private func setState(_ values: [String: Int64]) async throws {
        try await DatabaseOutage.redoneWhenBusy { try await persistence.transaction { db in
            let sql = db as! any SQLDatabase
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                try await sql.delete(from: "report_state").where("key", .equal, SQLBind(key)).run()
                try await sql.insert(into: "report_state").columns("key", "value").values(SQLBind(key), SQLBind(value)).run()
            }
        } }
    }

    /// Throws the rollups away and reads every conversation again (`kefu reports rebuild`).
    @discardableResult
    func rebuild(workspaceID: UUID? = nil, progress: (Int) -> Void = { _ in }) async throws -> Int {
        let started = Date()
        try await DatabaseOutage.redoneWhenBusy { try await persistence.transaction { db in
            let sql = db as! any SQLDatabase
            if let workspaceID {
                for table in RollupTable.allCases { try await sql.delete(from: table.name).where("workspace_id", .equal, SQLBind(workspaceID)).run() }
                try await sql.delete(from: "report_contributions").where("workspace_id", .equal, SQLBind(workspaceID)).run()
                try await sql.delete(from: "report_resolutions").where("workspace_id", .equal, SQLBind(workspaceID)).run()
                try await sql.raw("DELETE FROM report_visits WHERE contact_id IN (SELECT id FROM contacts WHERE workspace_id = \(bind: workspaceID))").run()
            } else {
                for table in RollupTable.allCases { try await sql.delete(from: table.name).run() }
                try await sql.delete(from: "report_contributions").run()
                try await sql.delete(from: "report_resolutions").run()
                try await sql.delete(from: "report_visits").run()
            }
        } }
        let rules = ServiceLevelRulesCache(persistence: persistence)
        var done = 0
        var after = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        while true {
            let sql = persistence.reader as! any SQLDatabase
            let filter: SQLQueryString = workspaceID.map { "AND workspace_id = \(bind: $0)" } ?? ""
            let ids = try await sql.raw("SELECT id FROM conversations WHERE id > \(bind: after) \(filter) ORDER BY id LIMIT 500").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            guard let last = ids.last else { break }
            for id in ids { try await project(id, rules: rules) }
            done += ids.count
            progress(done)
            after = last
        }
        // What changed while rebuilding is read again by the next scan.
        try await setCursor(started)
        if workspaceID == nil { try await setState([Self.versionKey: Int64(ReportFacts.version), Self.rereadKey: 0]) }
        return done
    }
}

extension JSONDecoder {
    /// Nil for text that is not `T` (an empty placeholder, say) rather than an error.
    func decodeIfValid<T: Decodable>(_ type: T.Type, from text: String) -> T? { try? decode(T.self, from: Data(text.utf8)) }
}

/// Which conversations this node projected, up to which change and when. A conversation
/// is covered when it was projected after its latest change was surely committed.
final class ProjectionMemory: Sendable {
    private let projected = Mutex<[UUID: (latest: UUID, at: Date)]>([:])

    func covers(_ conversation: UUID, latest: UUID) -> Bool {
        guard let known = projected.withLock({ $0[conversation] }) else { return false }
        return known.latest.uuidString >= latest.uuidString
            && known.at >= TimeOrderedID.time(of: latest).addingTimeInterval(ReportProjector.commitDelay)
    }

    func remember(_ conversation: UUID, latest: UUID, at: Date) { projected.withLock { $0[conversation] = (latest, at) } }

    func forget(before: Date) { projected.withLock { $0 = $0.filter { $0.value.at >= before } } }
}

extension TimeOrderedID {
    /// When an id was made: ids begin with their milliseconds.
    static func time(of id: UUID) -> Date {
        let bytes = id.uuid
        let millis = [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// The smallest id made at or after `date`: ids begin with their milliseconds.
    static func lowerBound(_ date: Date) -> UUID {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8((millis >> (8 * (5 - UInt64(i)))) & 0xFF) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// `kefu reports rebuild`: the rollups thrown away and computed again from every
/// conversation's events and messages.
public enum ReportMaintenance {
    public static func rebuild(_ configuration: KefuConfiguration, progress: (Int) -> Void) async throws -> Int {
        let persistence = try Persistence(location: configuration.database, logger: Logger(label: "kefu.reports"))
        do {
            try await persistence.migrate()
            let done = try await ReportProjector(persistence: persistence, clock: configuration.clock).rebuild(progress: progress)
            await persistence.shutdown()
            return done
        } catch {
            await persistence.shutdown()
            throw error
        }
    }
}
