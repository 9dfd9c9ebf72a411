import FluentKit
import Foundation
import KefuCore

// Fluent models are reference types whose properties are mutated through property
// wrappers, which cannot be checked for Sendable. Each instance here is created, changed
// and saved within one request or one job and never shared between tasks, which is what
// makes the `@unchecked Sendable` on every model below safe.

final class WorkspaceRow: Model, @unchecked Sendable {
    static let schema = "workspaces"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    /// The last conversation number handed out; numbers are what customers quote.
    @Field(key: "conversation_counter") var conversationCounter: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), name: String, slug: String) {
        self.id = id; self.name = name; self.slug = slug; self.conversationCounter = 0
    }
}

final class AgentRow: Model, @unchecked Sendable {
    static let schema = "agents"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "availability") var availability: String
    @OptionalField(key: "locale") var locale: String?
    @OptionalField(key: "last_assigned_ms") var lastAssignedMillis: Int64?
    /// JSON array of language tags.
    @Field(key: "languages") var languages: String
    /// JSON array of categories.
    @Field(key: "skills") var skills: String
    @Field(key: "capacity") var capacity: Int
    @OptionalField(key: "availability_changed_ms") var availabilityChangedMillis: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, email: String, name: String, passwordHash: String, role: String) {
        self.id = id; self.workspaceID = workspaceID; self.email = email; self.name = name
        self.passwordHash = passwordHash; self.role = role; self.availability = "offline"
        self.languages = "[]"; self.skills = "[]"; self.capacity = RoutingPolicy.defaultCapacity
    }
}

final class TeamRow: Model, @unchecked Sendable {
    static let schema = "teams"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @OptionalField(key: "description") var summary: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, name: String, summary: String?) {
        self.id = id; self.workspaceID = workspaceID; self.name = name; self.summary = summary
    }
}

final class TeamMemberRow: Model, @unchecked Sendable {
    static let schema = "team_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "agent_id") var agentID: UUID
    init() {}
    init(workspaceID: UUID, teamID: UUID, agentID: UUID) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.teamID = teamID; self.agentID = agentID
    }
}

final class InboxRow: Model, @unchecked Sendable {
    static let schema = "inboxes"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    /// Embedded in the customer's site, so it identifies the inbox but grants nothing more.
    @OptionalField(key: "public_token") var publicToken: String?
    /// Signs verified customer identities (HMAC of the product's user id).
    @Field(key: "identity_secret") var identitySecret: String
    @Field(key: "config") var config: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, name: String, kind: String, publicToken: String?, identitySecret: String, config: String = "{}") {
        self.id = id; self.workspaceID = workspaceID; self.name = name; self.kind = kind
        self.publicToken = publicToken; self.identitySecret = identitySecret; self.config = config
    }
}

final class InboxMemberRow: Model, @unchecked Sendable {
    static let schema = "inbox_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "inbox_id") var inboxID: UUID
    @Field(key: "agent_id") var agentID: UUID
    init() {}
    init(workspaceID: UUID, inboxID: UUID, agentID: UUID) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.inboxID = inboxID; self.agentID = agentID
    }
}

final class ContactRow: Model, @unchecked Sendable {
    static let schema = "contacts"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "locale") var locale: String?
    @OptionalField(key: "external_id") var externalID: String?
    /// JSON array of strings.
    @Field(key: "wallet_addresses") var walletAddresses: String
    @Field(key: "tier") var tier: String
    /// JSON object.
    @Field(key: "attributes") var attributes: String
    /// When the product last saw the customer active (the API's `lastSeenAt`).
    @OptionalField(key: "last_seen_ms") var lastSeenMillis: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID) {
        self.id = id; self.workspaceID = workspaceID; self.walletAddresses = "[]"; self.tier = "standard"; self.attributes = "{}"
    }
}

final class ConversationRow: Model, @unchecked Sendable {
    static let schema = "conversations"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "inbox_id") var inboxID: UUID
    @Field(key: "contact_id") var contactID: UUID
    @OptionalField(key: "subject") var subject: String?
    @Field(key: "status") var status: String
    @Field(key: "priority") var priority: String
    @OptionalField(key: "category") var category: String?
    /// "agent" or "model": only agents' labels train the category model.
    @OptionalField(key: "category_source") var categorySource: String?
    @OptionalField(key: "language") var language: String?
    @OptionalField(key: "sentiment") var sentiment: String?
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "team_id") var teamID: UUID?
    /// Tags as ",a,b," so that one indexed-free LIKE finds a tag on both databases.
    @Field(key: "tag_list") var tagList: String
    @Field(key: "attributes") var attributes: String
    /// Milliseconds, not a Date: list cursors compare it exactly on both databases.
    @Field(key: "last_activity_ms") var lastActivityMillis: Int64
    @OptionalField(key: "first_response_at") var firstResponseAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @Field(key: "created_ms") var createdMillis: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var tags: [String] {
        get { tagList.split(separator: ",").map(String.init) }
        set { tagList = newValue.isEmpty ? "" : "," + newValue.joined(separator: ",") + "," }
    }
}

final class MessageRow: Model, @unchecked Sendable {
    static let schema = "messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "author_kind") var authorKind: String
    @OptionalField(key: "author_id") var authorID: UUID?
    /// Already passed through the shield: never a raw secret.
    @Field(key: "body") var body: String
    @Field(key: "private") var isPrivate: Bool
    @OptionalField(key: "channel_message_id") var channelMessageID: String?
    @OptionalField(key: "idempotency_key") var idempotencyKey: String?
    @Field(key: "metadata") var metadata: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(id: UUID = TimeOrderedID.make(), workspaceID: UUID, conversationID: UUID, authorKind: String, authorID: UUID?, body: String, isPrivate: Bool) {
        self.id = id; self.workspaceID = workspaceID; self.conversationID = conversationID
        self.authorKind = authorKind; self.authorID = authorID; self.body = body; self.isPrivate = isPrivate; self.metadata = "{}"
    }
}

final class ConversationEventRow: Model, @unchecked Sendable {
    static let schema = "conversation_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_kind") var actorKind: String?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "data") var data: String
    @OptionalField(key: "duration_seconds") var durationSeconds: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(workspaceID: UUID, conversationID: UUID, kind: String, actorKind: String?, actorID: UUID?, data: String = "{}", durationSeconds: Int64? = nil) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.conversationID = conversationID; self.kind = kind
        self.actorKind = actorKind; self.actorID = actorID; self.data = data; self.durationSeconds = durationSeconds
    }
}

final class SessionRow: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "agent_id") var agentID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_ms") var expiresMillis: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(workspaceID: UUID, agentID: UUID, tokenHash: String, expiresMillis: Int64) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.agentID = agentID; self.tokenHash = tokenHash; self.expiresMillis = expiresMillis
    }
}

final class APITokenRow: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "agent_id") var agentID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the token, so an admin can tell tokens apart.
    @Field(key: "hint") var hint: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(workspaceID: UUID, agentID: UUID, name: String, tokenHash: String, hint: String) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.agentID = agentID; self.name = name; self.tokenHash = tokenHash; self.hint = hint
    }
}

final class WebhookRow: Model, @unchecked Sendable {
    static let schema = "webhooks"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "url") var url: String
    @Field(key: "secret") var secret: String
    /// JSON array of event types.
    @Field(key: "event_types") var eventTypes: String
    @Field(key: "active") var active: Bool
    /// When the receiver's current run of failures began; nil while it succeeds.
    @OptionalField(key: "failing_since_ms") var failingSinceMillis: Int64?
    /// Why the desk switched the webhook off, for the admin to read.
    @OptionalField(key: "disabled_reason") var disabledReason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
    init(workspaceID: UUID, url: String, secret: String, eventTypes: String) {
        self.id = TimeOrderedID.make(); self.workspaceID = workspaceID; self.url = url; self.secret = secret; self.eventTypes = eventTypes; self.active = true
    }
}

final class WebhookDeliveryRow: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "webhook_id") var webhookID: UUID
    @Field(key: "event_id") var eventID: String
    @Field(key: "event_type") var eventType: String
    @Field(key: "attempt") var attempt: Int
    @OptionalField(key: "status_code") var statusCode: Int?
    @OptionalField(key: "error") var error: String?
    @Field(key: "duration_ms") var durationMillis: Int64
    @Field(key: "succeeded") var succeeded: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class JobRow: Model, @unchecked Sendable {
    static let schema = "jobs"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Field(key: "status") var status: String
    @Field(key: "run_after_ms") var runAfterMillis: Int64
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "locked_until_ms") var lockedUntilMillis: Int64?
    @Field(key: "created_ms") var createdMillis: Int64
    /// Whose work this is, so workers share their time fairly; nil for the desk's own.
    @OptionalField(key: "workspace_id") var workspaceID: UUID?
    init() {}
}

final class ServerSecretRow: Model, @unchecked Sendable {
    static let schema = "server_secrets"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "value") var value: String
    init() {}
    init(name: String, value: String) { self.id = TimeOrderedID.make(); self.name = name; self.value = value }
}

final class RealtimeSpillRow: Model, @unchecked Sendable {
    static let schema = "realtime_spill"
    @ID(key: .id) var id: UUID?
    @Field(key: "payload") var payload: String
    @Field(key: "created_ms") var createdMillis: Int64
    init() {}
    init(payload: String) { self.id = TimeOrderedID.make(); self.payload = payload; self.createdMillis = Date().millisSince1970 }
}
