import FluentKit
import FluentSQL
import Foundation
import Hummingbird
import KefuCore

/// A JSON field that may be absent (leave as is), null (clear it) or set.
enum Patch<Value: Decodable & Sendable>: Sendable {
    case absent, null, value(Value)
}

extension KeyedDecodingContainer {
    func decodePatch<Value>(_ type: Value.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}

struct ConversationsController {
    let services: KefuServices

    struct UpdateInput: Decodable {
        let status: String?
        let priority: String?
        let subject: Patch<String>
        let category: Patch<String>
        let assigneeId: Patch<String>
        let teamId: Patch<String>
        let tags: [String]?
        let attributes: [String: JSONValue]?
        let snoozedUntil: String?

        enum CodingKeys: String, CodingKey { case status, priority, subject, category, assigneeId, teamId, tags, attributes, snoozedUntil }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.decodeIfPresent(String.self, forKey: .status)
            priority = try c.decodeIfPresent(String.self, forKey: .priority)
            subject = try c.decodePatch(String.self, forKey: .subject)
            category = try c.decodePatch(String.self, forKey: .category)
            assigneeId = try c.decodePatch(String.self, forKey: .assigneeId)
            teamId = try c.decodePatch(String.self, forKey: .teamId)
            tags = try c.decodeIfPresent([String].self, forKey: .tags)
            attributes = try c.decodeIfPresent([String: JSONValue].self, forKey: .attributes)
            snoozedUntil = try c.decodeIfPresent(String.self, forKey: .snoozedUntil)
        }
    }

    struct MessageInput: Decodable { let text: String; let `private`: Bool?; let cannedReplyId: String? }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.get(":id/messages", use: messages)
        group.post(":id/messages", use: postMessage)
        group.get(":id/events", use: events)
    }

    /// Most recently active first. Filters combine with AND; `assigneeId=none` lists the
    /// unassigned, `assigneeId=me` the caller's own.
    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<ConversationView> {
        let agent = try context.requireAgent()
        let page = try PageRequest(request)
        let params = request.uri.formParameters
        var query = ConversationRow.query(on: services.persistence.db).filter(\.$workspaceID == agent.workspaceID)
        if let raw = params["status"] {
            var statuses: [String] = []
            for part in raw.split(separator: ",") {
                guard let status = ConversationStatus(rawValue: String(part)) else {
                    throw Problem.badRequest("status must be one or more of open, pending, snoozed, resolved, closed (comma-separated).")
                }
                statuses.append(status.rawValue)
            }
            if !statuses.isEmpty { query = query.filter(\.$status ~~ statuses) }
        }
        if let raw = params["priority"] {
            guard let priority = Priority(rawValue: String(raw)) else { throw Problem.badRequest("priority must be one of low, normal, high, urgent.") }
            query = query.filter(\.$priority == priority.rawValue)
        }
        if let raw = params["assigneeId"].map(String.init) {
            switch raw {
            case "none": query = query.filter(\.$assigneeID == nil)
            case "me": query = query.filter(\.$assigneeID == agent.agentID)
            default: query = query.filter(\.$assigneeID == (try uuid(raw, name: "assigneeId")))
            }
        }
        if let raw = params["teamId"].map(String.init) { query = query.filter(\.$teamID == (try uuid(raw, name: "teamId"))) }
        if let raw = params["inboxId"].map(String.init) { query = query.filter(\.$inboxID == (try uuid(raw, name: "inboxId"))) }
        if let raw = params["contactId"].map(String.init) { query = query.filter(\.$contactID == (try uuid(raw, name: "contactId"))) }
        if let raw = params["tag"].map(String.init) {
            guard let tag = Tag.normalize(raw) else { throw Problem.badRequest("tag is not a valid tag.") }
            query = query.filter(.sql(embed: "\(ident: "tag_list") LIKE \(bind: "%," + LikePattern.escape(tag) + ",%") ESCAPE '\\'"))
        }
        if let raw = params["updatedSince"].map(String.init) {
            guard let date = ISO8601Timestamp.parse(raw) else {
                throw Problem.badRequest("updatedSince must be an ISO-8601 time such as 2026-01-31T12:00:00Z.")
            }
            query = query.filter(\.$updatedAt >= date)
        }
        if let cursor = page.cursor {
            let parts = try Cursor.decode(cursor, parts: 2)
            guard let millis = Int64(parts[0]), let id = UUID(uuidString: parts[1]) else { throw Problem.badRequest("cursor is not one this server handed out.") }
            query = query.group(.or) { group in
                group.filter(\.$lastActivityMillis < millis)
                group.group(.and) { same in
                    same.filter(\.$lastActivityMillis == millis)
                    same.filter(\.$id < id)
                }
            }
        }
        if let raw = params["sla"].map(String.init) {
            var standings: [String] = []
            for part in raw.split(separator: ",") {
                guard let standing = ServiceStanding(rawValue: String(part)) else {
                    throw Problem.badRequest("sla must be one or more of \(ServiceStanding.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated).")
                }
                standings.append(standing.rawValue)
            }
            if !standings.isEmpty {
                let listed = standings.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
                query = query.filter(.sql(embed: "\(ident: "id") IN (SELECT conversation_id FROM sla_watches WHERE workspace_id = \(bind: agent.workspaceID) AND standing IN (\(listed)))"))
            }
        }
        let rows = try await query.sort(\.$lastActivityMillis, .descending).sort(\.$id, .descending).limit(page.limit + 1).all()
        var items = rows.prefix(page.limit).map(ConversationView.init)
        let summaries = try await ServiceLevelWatches(persistence: services.persistence).summaries(items.map(\.id))
        let previews = try await ConversationPreviews(persistence: services.persistence).lastWords(items.map(\.id))
        let marks = try await FollowUpMarks.read(items.map(\.id), on: services.persistence.reader)
        for index in items.indices {
            items[index].sla = summaries[items[index].id]
            items[index].lastMessage = previews[items[index].id]
            marks.mark(&items[index])
        }
        let next = rows.count > page.limit ? items.last.map { Cursor.encode([String($0.lastActivityAt.millisSince1970), $0.id.uuidString]) } : nil
        return Page(items: Array(items), nextCursor: next)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ConversationView {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        // Read once, as the record the service levels are replayed from.
        guard let conversation = try await ConversationRepository().find(id, workspaceID: agent.workspaceID, on: services.persistence.db) else {
            throw Problem.notFound("Conversation")
        }
        var view = conversation.view
        let now = services.configuration.clock.now()
        view.sla = ConversationServiceLevelsView(try await ConversationServiceLevels(persistence: services.persistence).current(conversation, now: now), now: now)
        let marks = try await FollowUpMarks.read([id], on: services.persistence.reader)
        marks.mark(&view)
        return view
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> ConversationView {
        let agent = try context.requireAgent()
        // A conversation that does not exist is 404 whatever the body says.
        let id = try await find(context: context, in: agent.workspaceID).id!
        let input = try await request.decodeJSON(UpdateInput.self, context: context)
        let change = try await ConversationChange.validate(input, workspaceID: agent.workspaceID, persistence: services.persistence)
        return try await services.conversationChanges.apply(change, to: id, by: agent)
    }

    @Sendable func messages(_ request: Request, context: KefuRequestContext) async throws -> Page<MessageView> {
        let agent = try context.requireAgent()
        let conversation = try await find(context: context, in: agent.workspaceID)
        let page = try PageRequest(request)
        var query = MessageRow.query(on: services.persistence.db).filter(\.$conversationID == conversation.id!)
        if let cursor = page.cursor {
            query = query.filter(\.$id > (try Cursor.id(cursor)))
        }
        let rows = try await query.sort(\.$id).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map(MessageView.init)
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }

    @Sendable func postMessage(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<MessageView> {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let input = try await request.decodeJSON(MessageInput.self, context: context)
        var validation = Validation()
        let text = validation.text(input.text, field: "text", max: Limits.messageText, required: true)
        var canned: UUID?
        if let raw = input.cannedReplyId {
            canned = UUID(uuidString: raw)
            if canned == nil { validation.fail("cannedReplyId", "a canned reply's id / 快捷回复的 id") }
        }
        try validation.check()
        if let wanted = canned, try await !CannedReplies.visible(to: agent, on: services.persistence.reader).contains(where: { $0.id == wanted }) {
            throw Problem.invalid([.init(field: "cannedReplyId", detail: "no canned reply you may use / 没有可用的该快捷回复")])
        }
        let isPrivate = input.private ?? false
        var reply = Reply(workspaceID: agent.workspaceID, conversationID: id, authorKind: .agent, authorID: agent.agentID, text: text!, isPrivate: isPrivate)
        // A note is not a use: only what the customer reads counts.
        reply.cannedReplyID = isPrivate ? nil : canned
        let delivered = try await services.pipeline.reply(reply)
        return EditedResponse(status: .created, response: delivered.message)
    }

    @Sendable func events(_ request: Request, context: KefuRequestContext) async throws -> Page<EventView> {
        let agent = try context.requireAgent()
        let conversation = try await find(context: context, in: agent.workspaceID)
        let page = try PageRequest(request)
        var query = ConversationEventRow.query(on: services.persistence.db).filter(\.$conversationID == conversation.id!)
        if let cursor = page.cursor {
            query = query.filter(\.$id > (try Cursor.id(cursor)))
        }
        let rows = try await query.sort(\.$id).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map(EventView.init)
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }

    private func uuid(_ raw: String, name: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else { throw Problem.badRequest("\(name) must be an id.") }
        return id
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> ConversationRow {
        let id = try context.uuidParameter("id", what: "Conversation")
        guard let row = try await ConversationRow.find(id, on: services.persistence.db), row.workspaceID == workspaceID else {
            throw Problem.notFound("Conversation")
        }
        return row
    }
}

/// A validated change to a conversation and the events it produces, applied in one transaction.
struct ConversationChange: Sendable {
    var status: ConversationStatus?
    var priority: Priority?
    var subject: Patch<String> = .absent
    var category: Patch<String> = .absent
    var assignee: Patch<UUID> = .absent
    var team: Patch<UUID> = .absent
    var tags: [String]?
    var attributes: [String: JSONValue]?
    /// Snoozed until then: the status becomes snoozed, and open again at that time.
    var snoozeUntil: Date?

    static func validate(_ input: ConversationsController.UpdateInput, workspaceID: UUID, persistence: Persistence) async throws -> ConversationChange {
        var validation = Validation()
        var change = ConversationChange()
        change.status = validation.enumValue(input.status, as: ConversationStatus.self, field: "status")
        change.priority = validation.enumValue(input.priority, as: Priority.self, field: "priority")
        switch input.subject {
        case .absent: break
        case .null: change.subject = .null
        case .value(let raw): if let subject = validation.text(raw, field: "subject", max: Limits.subject) { change.subject = .value(subject) } else { change.subject = .null }
        }
        switch input.category {
        case .absent: break
        case .null: change.category = .null
        case .value(let raw):
            if let category = validation.text(raw, field: "category", max: Limits.category) { change.category = .value(category) } else { change.category = .null }
        }
        if let tags = input.tags {
            if tags.count > Limits.tagsPerConversation { validation.fail("tags", "at most \(Limits.tagsPerConversation) tags") }
            var cleaned: [String] = []
            for (index, raw) in tags.enumerated() {
                guard let tag = Tag.normalize(raw) else {
                    validation.fail("tags[\(index)]", "tags are 1 to \(Limits.tag) characters without spaces, commas, % or \\")
                    continue
                }
                if !cleaned.contains(tag) { cleaned.append(tag) }
            }
            change.tags = cleaned
        }
        if let attributes = input.attributes { validateAttributes(attributes, into: &validation) ; change.attributes = attributes }
        if let raw = input.snoozedUntil {
            let now = Date()
            if let until = ISO8601Timestamp.parse(raw), until > now, until.timeIntervalSince(now) <= Double(MacroPlan.snoozeHours.upperBound) * 3_600 {
                change.snoozeUntil = until
                if let status = change.status, status != .snoozed {
                    validation.fail("status", "a snoozed conversation's status is snoozed / 延后的会话状态为 snoozed")
                }
            } else {
                validation.fail("snoozedUntil", "a time in the next 30 days, such as 2026-01-31T09:00:00Z / 未来 30 天内的时间")
            }
        }
        change.assignee = try await resolve(input.assigneeId, field: "assigneeId", into: &validation) { id in
            try await AgentRow.find(id, on: persistence.db).map { $0.workspaceID == workspaceID } ?? false
        }
        change.team = try await resolve(input.teamId, field: "teamId", into: &validation) { id in
            try await TeamRow.find(id, on: persistence.db).map { $0.workspaceID == workspaceID } ?? false
        }
        try validation.check()
        return change
    }

    private static func resolve(_ patch: Patch<String>, field: String, into validation: inout Validation,
                                exists: (UUID) async throws -> Bool) async throws -> Patch<UUID> {
        switch patch {
        case .absent: return .absent
        case .null: return .null
        case .value(let raw):
            guard let id = UUID(uuidString: raw), try await exists(id) else {
                validation.fail(field, "no such \(field == "teamId" ? "team" : "agent") in this workspace")
                return .absent
            }
            return .value(id)
        }
    }

    /// The conversation as this change leaves it, with its timeline events. Pure: the
    /// caller reads `before` and writes the result in one transaction.
    func applied(to before: ConversationRecord, by agent: AgentPrincipal, now: Date) throws -> ConversationWrite {
        var row = before
        var events: [EventRecord] = []
        func event(_ kind: ConversationEventKind, _ data: [String: String] = [:], duration: Int64? = nil) {
            events.append(EventRecord(kind, in: before, by: .agent, agent.agentID, data: data, duration: duration, at: now))
        }
        let status = snoozeUntil == nil ? self.status : .snoozed
        if let status, status != before.status {
            guard before.status.canTransition(to: status) else {
                throw Problem.conflict("A \(before.status.rawValue) conversation cannot become \(status.rawValue).")
            }
            row.status = status
            event(.statusChanged, ["from": before.status.rawValue, "to": status.rawValue])
            if status == .resolved {
                row.resolvedAt = now
                event(.resolved, duration: elapsedSeconds(fromMillis: before.createdMillis, toMillis: now.millisSince1970))
            } else if before.status == .resolved && status == .open {
                row.resolvedAt = nil
                event(.reopened)
            }
        }
        if let priority, priority != row.priority {
            event(.priorityChanged, ["from": row.priority.rawValue, "to": priority.rawValue])
            row.priority = priority
        }
        switch subject {
        case .absent: break
        case .null: row.subject = nil
        case .value(let value): row.subject = value
        }
        switch category {
        case .absent: break
        case .null:
            if row.category != nil { event(.categoryChanged, ["from": row.category ?? "", "to": ""]) }
            row.category = nil
            row.categorySource = nil
        case .value(let value):
            if row.category != value || row.categorySource != .agent {
                event(.categoryChanged, ["from": row.category ?? "", "to": value])
                row.category = value
                row.categorySource = .agent
            }
        }
        switch assignee {
        case .absent: break
        case .null:
            if let previous = row.assigneeID { event(.assigned, ["previousAssigneeId": previous.uuidString]) }
            row.assigneeID = nil
        case .value(let newAssignee):
            if row.assigneeID != newAssignee {
                var data = ["assigneeId": newAssignee.uuidString, "reason": "manual"]
                if let previous = row.assigneeID { data["previousAssigneeId"] = previous.uuidString }
                event(.assigned, data)
                row.assigneeID = newAssignee
            }
        }
        switch team {
        case .absent: break
        case .null:
            if row.teamID != nil { event(.teamAssigned, [:]) }
            row.teamID = nil
        case .value(let newTeam):
            if row.teamID != newTeam { event(.teamAssigned, ["teamId": newTeam.uuidString]); row.teamID = newTeam }
        }
        if let tags { row.tags = tags }
        if let attributes {
            var merged = StoredJSON.decode([String: JSONValue].self, from: row.attributes, default: [:])
            for (key, value) in attributes { if value == .null { merged.removeValue(forKey: key) } else { merged[key] = value } }
            guard merged.count <= Limits.attributes else { throw Problem.invalid([.init(field: "attributes", detail: "at most \(Limits.attributes) attributes")]) }
            row.attributes = StoredJSON.encode(merged)
        }
        if let snoozeUntil {
            event(.snoozed, ["until": ISO8601DateFormatter().string(from: snoozeUntil)])
        }
        row.updatedAt = now
        var write = ConversationWrite(before: before, after: row, events: events)
        write.snoozeUntil = snoozeUntil
        write.snoozedBy = agent.agentID
        return write
    }

    /// A new agent label is new training data for the workspace's category model.
    var labelsCategory: Bool { if case .value = category { true } else { false } }
}

enum ISO8601Timestamp {
    static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
