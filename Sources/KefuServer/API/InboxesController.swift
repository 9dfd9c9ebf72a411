import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct InboxesController {
    let services: KefuServices

    struct Input: Decodable {
        let name: String?; let kind: String?; let agentIds: [String]?
        let expectedReply: ExpectedReply.Input?
        /// Absent: unchanged; null: the workspace's default hours; an id: that schedule.
        let scheduleId: String??

        enum CodingKeys: String, CodingKey { case name, kind, agentIds, expectedReply, scheduleId }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            kind = try container.decodeIfPresent(String.self, forKey: .kind)
            agentIds = try container.decodeIfPresent([String].self, forKey: .agentIds)
            expectedReply = try container.decodeIfPresent(ExpectedReply.Input.self, forKey: .expectedReply)
            scheduleId = container.contains(.scheduleId)
                ? (try container.decodeNil(forKey: .scheduleId) ? .some(nil) : .some(try container.decode(String.self, forKey: .scheduleId)))
                : nil
        }
    }
    struct InboundInput: Decodable {
        let contactId: String?
        let contact: ContactsController.Input?
        let text: String
        let channelMessageId: String?
    }
    struct InboundResult: ResponseEncodable { let message: MessageView; let conversation: ConversationView }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.post(":id/messages", use: receive)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<InboxView> {
        let agent = try context.requireAgent()
        let db = services.persistence.db
        let inboxes = try await InboxRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).sort(\.$id).all()
        let members = Dictionary(grouping: try await InboxMemberRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).all(), by: \.inboxID)
        let schedules = try await ScheduleRepository(persistence: services.persistence).followed(.inbox, workspaceID: agent.workspaceID)
        return Page(items: inboxes.map { InboxView($0, agentIDs: (members[$0.id!] ?? []).map(\.agentID), scheduleID: schedules[$0.id!],
                                                   showSecret: agent.role.canAdminister) },
                    nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> InboxView {
        let agent = try context.requireAgent()
        let inbox = try await find(context: context, in: agent.workspaceID)
        return try await view(inbox, showSecret: agent.role.canAdminister)
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<InboxView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        let kind = validation.enumValue(input.kind ?? "", as: InboxKind.self, field: "kind")
        if let kind, !kind.isAvailable { validation.fail("kind", "\(kind.rawValue) inboxes are not available yet; use widget or api / 暂不支持此类收件箱，请选择网页聊天或 API") }
        let expectedReply = input.expectedReply.map { ExpectedReply().applying($0, into: &validation) }
        let scheduleID = try await schedule(input.scheduleId, in: agent.workspaceID, into: &validation)
        try validation.check()
        let agentIDs = try await WorkspaceAgents(persistence: services.persistence).resolve(input.agentIds ?? [], in: agent.workspaceID, field: "agentIds")
        let inbox = InboxRow(workspaceID: agent.workspaceID, name: name!, kind: kind!.rawValue,
                             publicToken: kind == .widget ? Secrets.randomToken(prefix: Secrets.widgetTokenPrefix, bytes: 18) : nil,
                             identitySecret: Secrets.randomToken(prefix: "", bytes: 32),
                             config: expectedReply.map { StoredJSON.encode($0.stored(into: [:])) } ?? "{}")
        try await services.persistence.transaction { db in
            try await inbox.create(on: db)
            for id in agentIDs { try await InboxMemberRow(workspaceID: agent.workspaceID, inboxID: inbox.id!, agentID: id).create(on: db) }
            if case .some(.some(let id)) = scheduleID {
                try await ScheduleRepository(persistence: services.persistence).follow(.inbox, inbox.id!, scheduleID: id, workspaceID: agent.workspaceID, on: db)
            }
        }
        return EditedResponse(status: .created, response: InboxView(inbox, agentIDs: agentIDs, scheduleID: scheduleID ?? nil, showSecret: true))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> InboxView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let inbox = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        if let kind = input.kind, kind != inbox.kind { validation.fail("kind", "an inbox keeps its kind; create a new inbox instead / 收件箱的类型不能更改，请新建一个") }
        var config = StoredJSON.decode([String: JSONValue].self, from: inbox.config, default: [:])
        if let changes = input.expectedReply { config = ExpectedReply(config: config).applying(changes, into: &validation).stored(into: config) }
        let scheduleID = try await schedule(input.scheduleId, in: agent.workspaceID, into: &validation)
        try validation.check()
        let changedConfig = config
        var resolved: [UUID]?
        if let raw = input.agentIds {
            resolved = try await WorkspaceAgents(persistence: services.persistence).resolve(raw, in: agent.workspaceID, field: "agentIds")
        }
        let agentIDs = resolved
        try await services.persistence.transaction { db in
            if let name { inbox.name = name }
            if input.expectedReply != nil { inbox.config = StoredJSON.encode(changedConfig) }
            if inbox.hasChanges { try await inbox.update(on: db) }
            if let scheduleID {
                try await ScheduleRepository(persistence: services.persistence).follow(.inbox, inbox.id!, scheduleID: scheduleID, workspaceID: agent.workspaceID, on: db)
            }
            if let agentIDs {
                try await InboxMemberRow.query(on: db).filter(\.$inboxID == inbox.id!).delete()
                for id in agentIDs { try await InboxMemberRow(workspaceID: agent.workspaceID, inboxID: inbox.id!, agentID: id).create(on: db) }
            }
        }
        return try await view(inbox, showSecret: true)
    }

    /// The API channel: an integration posts what a customer wrote in its product.
    @Sendable func receive(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<InboundResult> {
        let agent = try context.requireAgent()
        let inbox = try await find(context: context, in: agent.workspaceID)
        guard inbox.kind == InboxKind.api.rawValue else {
            throw Problem.conflict("Only api inboxes accept messages here; widget customers write through the widget.")
        }
        let input = try await request.decodeJSON(InboundInput.self, context: context)
        var validation = Validation()
        let text = validation.text(input.text, field: "text", max: Limits.messageText, required: true)
        let channelMessageID = validation.text(input.channelMessageId, field: "channelMessageId", max: 200)
        if input.contactId == nil && input.contact == nil { validation.fail("contactId", "give contactId or a contact to create or find by externalId") }
        try validation.check()
        let contacts = ContactsController(services: services)
        let contact: ContactRow
        if let raw = input.contactId {
            guard let id = UUID(uuidString: raw), let row = try await ContactRow.find(id, on: services.persistence.reader),
                  row.workspaceID == agent.workspaceID else { throw Problem.invalid([.init(field: "contactId", detail: "no such contact in this workspace")]) }
            contact = row
        } else {
            contact = try await contacts.findOrCreate(input.contact!, in: agent.workspaceID)
        }
        // Integrations retry; a message they already delivered is answered again, not stored twice.
        let key = channelMessageID.map { Inbound.apiKey(inboxID: inbox.id!, channelMessageID: $0) }
        let delivered = try await services.pipeline.receive(Inbound(workspaceID: agent.workspaceID, inboxID: inbox.id!, contactID: contact.id!,
                                                                    text: text!, channelMessageID: channelMessageID, idempotencyKey: key))
        return EditedResponse(status: delivered.replayed ? .ok : .created,
                              response: InboundResult(message: delivered.message, conversation: delivered.conversation))
    }

    private func view(_ inbox: InboxRow, showSecret: Bool) async throws -> InboxView {
        let schedules = try await ScheduleRepository(persistence: services.persistence).followed(.inbox, workspaceID: inbox.workspaceID)
        return InboxView(inbox, agentIDs: try await memberIDs(inbox.id!), scheduleID: schedules[inbox.id!], showSecret: showSecret)
    }

    /// The schedule a request names: nil when it names none, `.some(nil)` for the
    /// workspace's default, else a schedule of this workspace.
    private func schedule(_ raw: String??, in workspaceID: UUID, into validation: inout Validation) async throws -> UUID?? {
        guard let raw else { return nil }
        guard let raw else { return .some(nil) }
        guard let id = UUID(uuidString: raw), try await ScheduleRepository(persistence: services.persistence).find(id, workspaceID: workspaceID) != nil else {
            validation.fail("scheduleId", "no such schedule in this workspace / 本工作区没有这个时间表")
            return nil
        }
        return .some(id)
    }

    private func memberIDs(_ inboxID: UUID) async throws -> [UUID] {
        try await InboxMemberRow.query(on: services.persistence.reader).filter(\.$inboxID == inboxID).all().map(\.agentID)
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> InboxRow {
        let id = try context.uuidParameter("id", what: "Inbox")
        guard let row = try await InboxRow.find(id, on: services.persistence.reader), row.workspaceID == workspaceID else { throw Problem.notFound("Inbox") }
        return row
    }
}
