import FluentKit
import Foundation
import Hummingbird
import KefuCore
import KefuText

/// Who made a conversation a complaint.
enum ComplaintSource: String, Sendable, Codable {
    case agent, detected
}

/// What the customer gave that the teams will need: transactions and addresses, as the
/// shield found them in their messages; amounts, assets and order numbers, as they wrote them.
struct ComplaintFacts: Codable, Sendable, Equatable {
    var transactions: [String] = []
    var addresses: [String] = []
    var amounts: [String] = []
    var assets: [String] = []
    var orders: [String] = []

    init() {}

    // Complaints opened before amounts and orders were read have only the first two.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transactions = try c.decodeIfPresent([String].self, forKey: .transactions) ?? []
        addresses = try c.decodeIfPresent([String].self, forKey: .addresses) ?? []
        amounts = try c.decodeIfPresent([String].self, forKey: .amounts) ?? []
        assets = try c.decodeIfPresent([String].self, forKey: .assets) ?? []
        orders = try c.decodeIfPresent([String].self, forKey: .orders) ?? []
    }

    mutating func add(_ found: ComplaintFactFinder.Found) {
        for (list, values) in [(\ComplaintFacts.amounts, found.amounts), (\.assets, found.assets), (\.orders, found.orders)] {
            for value in values where !self[keyPath: list].contains(value) { self[keyPath: list].append(value) }
        }
    }
}

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class ComplaintRow: Model, @unchecked Sendable {
    static let schema = "complaints"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "contact_id") var contactID: UUID
    @Field(key: "severity") var severityRaw: String
    @Field(key: "source") var sourceRaw: String
    @OptionalField(key: "opened_by") var openedBy: UUID?
    @Field(key: "opened_ms") var openedMillis: Int64
    @Field(key: "reply_due_ms") var replyDueMillis: Int64
    @Field(key: "facts") var factsJSON: String
    @OptionalField(key: "trigger_text") var triggerText: String?
    @OptionalField(key: "escalated_team_id") var escalatedTeamID: UUID?
    @OptionalField(key: "escalation_reason") var escalationReason: String?
    @OptionalField(key: "escalated_ms") var escalatedMillis: Int64?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "resolved_ms") var resolvedMillis: Int64?
    @OptionalField(key: "follow_up_ms") var followUpMillis: Int64?
    @OptionalField(key: "followed_up_ms") var followedUpMillis: Int64?
    @OptionalField(key: "confirmed_ms") var confirmedMillis: Int64?
    @OptionalField(key: "withdrawn_ms") var withdrawnMillis: Int64?
    init() {}

    var severity: ComplaintSeverity { ComplaintSeverity(rawValue: severityRaw) ?? .major }
    var source: ComplaintSource { ComplaintSource(rawValue: sourceRaw) ?? .agent }
    var facts: ComplaintFacts { StoredJSON.decode(ComplaintFacts.self, from: factsJSON, default: ComplaintFacts()) }
    var isActive: Bool { withdrawnMillis == nil }
}

/// A complaint as agents see it in the API and the register.
struct ComplaintView: ResponseCodable, Sendable {
    let id: UUID
    /// After a withdrawal: detector phrases this workspace ignores from now on, learned from it.
    var learnedToIgnore: [String]? = nil
    let conversationId: UUID
    let conversationNumber: Int
    let contactId: UUID
    let severity: String
    let source: String
    let openedAt: Date
    var openedBy: UUID?
    /// When the customer was told they would hear back.
    let replyDueAt: Date
    let facts: ComplaintFacts
    let escalatedTeamId: UUID?
    var escalationReason: String?
    let escalatedAt: Date?
    let summary: String?
    let resolvedAt: Date?
    let followUpAt: Date?
    let followedUpAt: Date?
    let confirmedAt: Date?
    let withdrawnAt: Date?
    /// Where it stands on the customer's page.
    let milestone: String
    let status: String
    let teamId: UUID?
    let assigneeId: UUID?
    /// The conversation's service-level standing (ok, warning, breached…) when it has one.
    var sla: String? = nil

    init(_ row: ComplaintRow, conversation: ConversationRecord, milestone: ComplaintMilestone) {
        id = row.id!; conversationId = row.conversationID; conversationNumber = conversation.number; contactId = row.contactID
        severity = row.severity.rawValue; source = row.source.rawValue; openedAt = Date(millisSince1970: row.openedMillis); openedBy = row.openedBy
        replyDueAt = Date(millisSince1970: row.replyDueMillis); facts = row.facts; escalatedTeamId = row.escalatedTeamID
        escalationReason = row.escalationReason; escalatedAt = row.escalatedMillis.map(Date.init(millisSince1970:)); summary = row.summary
        resolvedAt = row.resolvedMillis.map(Date.init(millisSince1970:)); followUpAt = row.followUpMillis.map(Date.init(millisSince1970:))
        followedUpAt = row.followedUpMillis.map(Date.init(millisSince1970:)); confirmedAt = row.confirmedMillis.map(Date.init(millisSince1970:))
        withdrawnAt = row.withdrawnMillis.map(Date.init(millisSince1970:)); self.milestone = milestone.rawValue
        status = conversation.status.rawValue; teamId = conversation.teamID; assigneeId = conversation.assigneeID
    }
}
