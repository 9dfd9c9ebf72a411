import Foundation
import Hummingbird
import KefuCore

// What the API returns: camelCase JSON, string ids, ISO-8601 UTC times.

struct WorkspaceView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let slug: String
    init(_ row: WorkspaceRow) { id = row.id!; name = row.name; slug = row.slug }
}

struct AgentView: ResponseCodable, Sendable {
    let id: UUID
    let workspaceId: UUID
    let name: String
    let email: String
    let role: String
    let availability: String
    let locale: String?
    let languages: [String]
    let skills: [String]
    let capacity: Int
    let createdAt: Date?
    init(_ row: AgentRow) {
        id = row.id!; workspaceId = row.workspaceID; name = row.name; email = row.email
        role = row.role; availability = row.availability; locale = row.locale; createdAt = row.createdAt
        languages = StoredJSON.decode([String].self, from: row.languages, default: [])
        skills = StoredJSON.decode([String].self, from: row.skills, default: [])
        capacity = row.capacity
    }
}

struct TeamView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let description: String?
    let agentIds: [UUID]
    let createdAt: Date?
    init(_ row: TeamRow, agentIDs: [UUID]) {
        id = row.id!; name = row.name; description = row.summary; agentIds = agentIDs; createdAt = row.createdAt
    }
}

struct InboxView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let kind: String
    /// Goes into the widget's script tag on the customer's site.
    let publicToken: String?
    /// Shown to admins only: it signs verified customer identities.
    let identitySecret: String?
    let agentIds: [UUID]
    /// The business-hours schedule it follows; nil when it keeps the workspace's default.
    let scheduleId: UUID?
    /// What the widget promises customers about reply times.
    let expectedReply: ExpectedReply
    let createdAt: Date?
    init(_ row: InboxRow, agentIDs: [UUID], scheduleID: UUID?, showSecret: Bool) {
        id = row.id!; name = row.name; kind = row.kind; publicToken = row.publicToken
        identitySecret = showSecret ? row.identitySecret : nil; agentIds = agentIDs; scheduleId = scheduleID; createdAt = row.createdAt
        expectedReply = ExpectedReply(config: StoredJSON.decode([String: JSONValue].self, from: row.config, default: [:]))
    }
}

struct ContactView: ResponseCodable, Sendable {
    let id: UUID
    let name: String?
    let email: String?
    let phone: String?
    let locale: String?
    let externalId: String?
    let walletAddresses: [String]
    let tier: String
    let attributes: [String: JSONValue]
    let lastSeenAt: Date?
    let createdAt: Date?
    let updatedAt: Date?
    init(_ row: ContactRow) {
        id = row.id!; name = row.name; email = row.email; phone = row.phone; locale = row.locale
        lastSeenAt = row.lastSeenMillis.map(Date.init(millisSince1970:))
        externalId = row.externalID; tier = row.tier; createdAt = row.createdAt; updatedAt = row.updatedAt
        walletAddresses = StoredJSON.decode([String].self, from: row.walletAddresses, default: [])
        attributes = StoredJSON.decode([String: JSONValue].self, from: row.attributes, default: [:])
    }
}

struct ConversationView: ResponseCodable, Sendable {
    let id: UUID
    let workspaceId: UUID
    let number: Int
    let inboxId: UUID
    let contactId: UUID
    let subject: String?
    let status: String
    let priority: String
    let category: String?
    let language: String?
    let sentiment: String?
    let assigneeId: UUID?
    let teamId: UUID?
    let tags: [String]
    let attributes: [String: JSONValue]
    let lastActivityAt: Date
    let firstResponseAt: Date?
    let resolvedAt: Date?
    let createdAt: Date
    let updatedAt: Date?
    /// The service levels: evaluated now for one conversation, as last evaluated in lists;
    /// absent from realtime events.
    var sla: ConversationServiceLevelsView? = nil
    /// In lists: the first line of the last thing the customer or an agent said.
    var lastMessage: ConversationPreview? = nil
    /// In lists and when read alone: the severity of its complaint while it is one.
    var complaint: String? = nil
    /// In lists and when read alone: the customer's latest rating of it (1–5).
    var rating: Int? = nil
    /// When a snoozed conversation opens again by itself.
    var snoozedUntil: Date? = nil
}

extension ConversationView {
    init(_ row: ConversationRow) {
        id = row.id!; workspaceId = row.workspaceID; number = row.number; inboxId = row.inboxID; contactId = row.contactID; subject = row.subject
        status = row.status; priority = row.priority; category = row.category; language = row.language
        sentiment = row.sentiment; assigneeId = row.assigneeID; teamId = row.teamID; tags = row.tags
        attributes = StoredJSON.decode([String: JSONValue].self, from: row.attributes, default: [:])
        lastActivityAt = Date(millisSince1970: row.lastActivityMillis); firstResponseAt = row.firstResponseAt
        resolvedAt = row.resolvedAt; createdAt = Date(millisSince1970: row.createdMillis); updatedAt = row.updatedAt
    }
}

struct MessageView: ResponseCodable, Sendable {
    let id: UUID
    let conversationId: UUID
    let authorKind: String
    let authorId: UUID?
    let text: String
    let `private`: Bool
    let createdAt: Date?
    /// What the shield found, for agents; nil (left out) in everything a visitor receives.
    var findings: [MessageFinding]?
    init(_ row: MessageRow) {
        id = row.id!; conversationId = row.conversationID; authorKind = row.authorKind; authorId = row.authorID
        text = row.body; `private` = row.isPrivate; createdAt = row.createdAt
        findings = StoredFindings.decode(row.metadata).views
    }
}

extension MessageView {
    init(id: UUID, conversationId: UUID, authorKind: String, authorId: UUID?, text: String, private isPrivate: Bool, createdAt: Date) {
        self.id = id
        self.conversationId = conversationId
        self.authorKind = authorKind
        self.authorId = authorId
        self.text = text
        self.private = isPrivate
        self.createdAt = createdAt
    }
}

struct EventView: ResponseCodable, Sendable {
    let id: UUID
    let conversationId: UUID
    let kind: String
    let actorKind: String?
    let actorId: UUID?
    let data: [String: JSONValue]
    let durationSeconds: Int64?
    let createdAt: Date?
    init(_ row: ConversationEventRow) {
        id = row.id!; conversationId = row.conversationID; kind = row.kind; actorKind = row.actorKind
        actorId = row.actorID; durationSeconds = row.durationSeconds; createdAt = row.createdAt
        data = StoredJSON.decode([String: JSONValue].self, from: row.data, default: [:])
    }
}

struct APITokenView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let hint: String
    let agentId: UUID
    let lastUsedAt: Date?
    let createdAt: Date?
    /// The token itself, returned once when it is created and never again.
    let token: String?
    init(_ row: APITokenRow, token: String? = nil) {
        id = row.id!; name = row.name; hint = row.hint; agentId = row.agentID
        lastUsedAt = row.lastUsedAt; createdAt = row.createdAt; self.token = token
    }
}

struct WebhookView: ResponseCodable, Sendable {
    let id: UUID
    let url: String
    let eventTypes: [String]
    let active: Bool
    /// Why the desk switched it off (its receiver failed for a day); nil while active.
    let disabledReason: String?
    /// Since when every delivery has failed; nil while deliveries succeed.
    let failingSince: Date?
    let createdAt: Date?
    /// Returned once at creation: receivers verify signatures with it.
    let secret: String?
    init(_ row: WebhookRow, showSecret: Bool = false) {
        id = row.id!; url = row.url; active = row.active; createdAt = row.createdAt
        disabledReason = row.disabledReason; failingSince = row.failingSinceMillis.map(Date.init(millisSince1970:))
        eventTypes = StoredJSON.decode([String].self, from: row.eventTypes, default: [])
        secret = showSecret ? row.secret : nil
    }
}

struct WebhookDeliveryView: ResponseCodable, Sendable {
    let id: UUID
    let webhookId: UUID
    let eventId: String
    let eventType: String
    let attempt: Int
    let statusCode: Int?
    let error: String?
    let durationMs: Int64
    let succeeded: Bool
    let createdAt: Date?
    init(_ row: WebhookDeliveryRow) {
        id = row.id!; webhookId = row.webhookID; eventId = row.eventID; eventType = row.eventType; attempt = row.attempt
        statusCode = row.statusCode; error = row.error; durationMs = row.durationMillis; succeeded = row.succeeded; createdAt = row.createdAt
    }
}
