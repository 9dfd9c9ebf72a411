import FluentKit
import Foundation
import Hummingbird
import KefuCore

/// The visitor's side: what the chat widget on a customer's site calls.
struct WidgetController {
    let services: KefuServices

    struct SessionInput: Decodable {
        struct Identity: Decodable {
            let externalId: String
            /// Hex HMAC-SHA256 of `externalId` keyed with the inbox's identity secret,
            /// computed by the product's server so a visitor cannot claim another's account.
            let hash: String
            let name: String?
            let email: String?
        }
        let inboxToken: String
        let locale: String?
        let identity: Identity?
        /// A token from an earlier session in this browser, to keep the same conversation.
        let visitorToken: String?
    }

    struct SessionResult: ResponseEncodable {
        let visitorToken: String
        let contactId: UUID
        let inboxName: String
        let expiresAt: Date
    }

    struct MessageInput: Decodable {
        let text: String
        /// Chosen by the widget for each message and sent again on every retry of it.
        let clientMessageId: String?
    }
    /// What a visitor may tell about themselves, e.g. the widget's pre-chat email.
    struct ContactInput: Decodable { let email: String?; let name: String? }
    struct ContactResult: ResponseEncodable { let contactId: UUID; let email: String?; let name: String? }

    struct StatusResult: ResponseEncodable {
        let inboxName: String
        let agentsOnline: Bool
        let expectedReplyMinutes: Int
        /// The inbox's own sentence about reply times, in the language asked for (`locale`),
        /// when the team wrote one; the widget says it instead of its own.
        let expectedReplyText: String?
        /// Within the inbox's business hours now; when not, when they begin again, and the
        /// zone they are kept in, so the widget can say "we open at 09:00 (China time)".
        let withinBusinessHours: Bool
        let opensAt: Date?
        let timeZone: String
        /// For a visitor whose conversation waits for an agent (their token sent as a bearer
        /// token): their place in the queue, 1 first, and the last hour's mean wait.
        var queuePosition: Int? = nil
        var estimatedWaitSeconds: Int? = nil
    }

    func addPublicRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.post("sessions", use: startSession)
        group.get("status", use: status)
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.post("messages", use: send)
        group.get("messages", use: history)
        group.patch("contact", use: updateContact)
    }

    @Sendable func startSession(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<SessionResult> {
        let input = try await request.decodeJSON(SessionInput.self, context: context)
        var validation = Validation()
        let token = validation.text(input.inboxToken, field: "inboxToken", max: 100, required: true)
        let locale = validation.text(input.locale, field: "locale", max: 20)
        try validation.check()
        guard let inbox = try await InboxRow.query(on: services.persistence.reader).filter(\.$publicToken == token!).first(),
              inbox.kind == InboxKind.widget.rawValue else {
            throw Problem(.notFound, "No chat widget has this inbox token; check the data-inbox attribute of the widget script.")
        }
        let contact: ContactRow
        if let identity = input.identity {
            var check = Validation()
            let external = check.text(identity.externalId, field: "identity.externalId", max: 200, required: true)
            try check.check()
            let expected = Secrets.hmacSHA256Hex(key: inbox.identitySecret, message: Data(external!.utf8))
            guard Secrets.constantTimeEquals(expected, identity.hash.lowercased()) else {
                throw Problem(.unauthorized, "identity.hash does not match identity.externalId for this inbox.")
            }
            contact = try await ContactsController(services: services).findOrCreate(
                .init(name: identity.name, email: identity.email, phone: nil, locale: locale, externalId: external,
                      walletAddresses: nil, tier: nil, attributes: nil, lastSeenAt: nil), in: inbox.workspaceID)
        } else if let previous = input.visitorToken, let visitor = await services.visitorTokens.verify(previous),
                  visitor.inboxID == inbox.id, let row = try await ContactRow.find(visitor.contactID, on: services.persistence.reader) {
            contact = row
        } else {
            let row = ContactRow(workspaceID: inbox.workspaceID)
            row.locale = locale
            try await row.create(on: services.persistence.db)
            contact = row
        }
        let visitor = VisitorPrincipal(contactID: contact.id!, workspaceID: inbox.workspaceID, inboxID: inbox.id!)
        let now = Date()
        let visitorToken = try await services.visitorTokens.issue(for: visitor, now: now)
        return EditedResponse(status: .created, response: SessionResult(visitorToken: visitorToken, contactId: contact.id!, inboxName: inbox.name,
                                                                        expiresAt: now.addingTimeInterval(VisitorTokens.lifetime)))
    }

    /// Whether anyone is there to answer, so the widget can say when to expect a reply.
    /// Public: it tells no more than the widget itself would show.
    @Sendable func status(_ request: Request, context: KefuRequestContext) async throws -> StatusResult {
        guard let token = request.uri.formParameters["inboxToken"].map(String.init), !token.isEmpty, token.count <= 100 else {
            throw Problem.invalid([.init(field: "inboxToken", detail: "the inbox's public token is required")])
        }
        let db = services.persistence.reader
        guard let inbox = try await InboxRow.query(on: db).filter(\.$publicToken == token).first(),
              inbox.kind == InboxKind.widget.rawValue else {
            throw Problem(.notFound, "No chat widget has this inbox token; check the data-inbox attribute of the widget script.")
        }
        // An inbox with members is answered by them; one without, by the whole workspace.
        let members = try await InboxMemberRow.query(on: db).filter(\.$inboxID == inbox.id!).all().map(\.agentID)
        var agents = AgentRow.query(on: db).filter(\.$workspaceID == inbox.workspaceID).filter(\.$availability == Availability.online.rawValue)
        if !members.isEmpty { agents = agents.filter(\.$id ~~ members) }
        let online = try await agents.count() > 0
        let expected = ExpectedReply(config: StoredJSON.decode([String: JSONValue].self, from: inbox.config, default: [:]))
        let chinese = request.uri.formParameters["locale"].map { $0.lowercased().hasPrefix("zh") } ?? false
        let (_, schedule) = try await ScheduleRepository(persistence: services.persistence).effective(workspaceID: inbox.workspaceID, inboxID: inbox.id, teamID: nil)
        let now = Date()
        let open = schedule.isOpen(at: now)
        var result = StatusResult(inboxName: inbox.name, agentsOnline: online, expectedReplyMinutes: expected.minutes(online: online),
                                  expectedReplyText: expected.words(online: online, chinese: chinese), withinBusinessHours: open,
                                  opensAt: open ? nil : schedule.nextOpening(atOrAfter: now), timeZone: schedule.timeZoneName)
        if let token = request.bearerToken, let visitor = await services.visitorTokens.verify(token), visitor.inboxID == inbox.id,
           let conversation = try await ConversationRepository().active(contactID: visitor.contactID, inboxID: inbox.id!, on: db),
           let standing = try await QueueStanding.of(conversation, now: services.configuration.clock.now(), persistence: services.persistence) {
            result.queuePosition = standing.position
            result.estimatedWaitSeconds = standing.estimatedWaitSeconds
        }
        return result
    }

    @Sendable func send(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<MessageView> {
        let visitor = try context.requireVisitor()
        let input = try await request.decodeJSON(MessageInput.self, context: context)
        var validation = Validation()
        let text = validation.text(input.text, field: "text", max: Limits.messageText, required: true)
        let clientMessageID = validation.text(input.clientMessageId, field: "clientMessageId", max: 100)
        try validation.check()
        let key = clientMessageID.map { Inbound.widgetKey(contactID: visitor.contactID, clientMessageID: $0) }
        let delivered = try await services.pipeline.receive(Inbound(workspaceID: visitor.workspaceID, inboxID: visitor.inboxID,
                                                                    contactID: visitor.contactID, text: text!, idempotencyKey: key))
        return EditedResponse(status: delivered.replayed ? .ok : .created, response: delivered.message.forVisitor)
    }

    /// Saves the email and name a visitor gives, on their own contact only; a verified
    /// identity's details come from the product and are not overwritten here.
    @Sendable func updateContact(_ request: Request, context: KefuRequestContext) async throws -> ContactResult {
        let visitor = try context.requireVisitor()
        let input = try await request.decodeJSON(ContactInput.self, context: context)
        var validation = Validation()
        let email = validation.email(input.email, field: "email")
        let name = validation.text(input.name, field: "name", max: Limits.name)
        try validation.check()
        guard let contact = try await ContactRow.find(visitor.contactID, on: services.persistence.db), contact.workspaceID == visitor.workspaceID else {
            throw Problem.unauthorized("The visitor token no longer matches a contact; start a new widget session.")
        }
        if contact.externalID == nil {
            if let email { contact.email = email }
            if let name { contact.name = name }
            try await contact.update(on: services.persistence.db)
        }
        return ContactResult(contactId: contact.id!, email: contact.email, name: contact.name)
    }

    /// The visitor's public history in this inbox, oldest first; private notes never appear.
    @Sendable func history(_ request: Request, context: KefuRequestContext) async throws -> Page<MessageView> {
        let visitor = try context.requireVisitor()
        let page = try PageRequest(request)
        let after = try page.cursor.map(Cursor.id)
        let db = services.persistence.db
        let conversations = try await ConversationRow.query(on: db).filter(\.$contactID == visitor.contactID)
            .filter(\.$inboxID == visitor.inboxID).all().compactMap(\.id)
        guard !conversations.isEmpty else { return Page(items: [], nextCursor: nil) }
        var query = MessageRow.query(on: db).filter(\.$conversationID ~~ conversations).filter(\.$isPrivate == false)
        if let after { query = query.filter(\.$id > after) }
        let rows = try await query.sort(\.$id).limit(page.limit + 1).all()
        let items = rows.prefix(page.limit).map { MessageView($0).forVisitor }
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? Cursor.encode([items.last!.id.uuidString]) : nil)
    }
}
