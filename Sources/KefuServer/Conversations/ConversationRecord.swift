import Foundation
import KefuCore

/// Who set a conversation's category: only agents' labels train the category model.
enum CategorySource: String, Sendable, Codable {
    case agent, model
}

/// A conversation's stored columns as one value. Every writer — the pipeline, the reply
/// path, an agent's change, the answer bot — reads one, changes it and saves it back under
/// the version it read, so two writers can never silently overwrite each other.
struct ConversationRecord: Sendable, Equatable {
    let id: UUID
    let workspaceID: UUID
    /// Per workspace, what customers quote; 0 until a new conversation is committed.
    var number: Int
    let inboxID: UUID
    let contactID: UUID
    var subject: String?
    var status: ConversationStatus
    var priority: Priority
    var category: String?
    var categorySource: CategorySource?
    var language: String?
    var sentiment: String?
    var assigneeID: UUID?
    var teamID: UUID?
    /// Tags as ",a,b," so that one LIKE finds a tag on both databases.
    var tagList: String
    /// A JSON object.
    var attributes: String
    var lastActivityMillis: Int64
    var firstResponseAt: Date?
    var resolvedAt: Date?
    let createdMillis: Int64
    var updatedAt: Date?
    /// Raised by one on every save; a save expecting another version fails.
    var version: Int

    /// A conversation a customer's first message opens.
    static func opening(id: UUID, workspaceID: UUID, inboxID: UUID, contactID: UUID, now: Date) -> ConversationRecord {
        ConversationRecord(id: id, workspaceID: workspaceID, number: 0, inboxID: inboxID, contactID: contactID, subject: nil,
                           status: .open, priority: .normal, category: nil, categorySource: nil, language: nil, sentiment: nil,
                           assigneeID: nil, teamID: nil, tagList: "", attributes: "{}", lastActivityMillis: now.millisSince1970,
                           firstResponseAt: nil, resolvedAt: nil, createdMillis: now.millisSince1970, updatedAt: now, version: 0)
    }

    var tags: [String] {
        get { tagList.split(separator: ",").map(String.init) }
        set { tagList = newValue.isEmpty ? "" : "," + newValue.joined(separator: ",") + "," }
    }

    /// Whether anything a person would notice differs (activity times and the version aside).
    func differs(from other: ConversationRecord) -> Bool {
        var mine = self, theirs = other
        mine.lastActivityMillis = 0; theirs.lastActivityMillis = 0
        mine.updatedAt = nil; theirs.updatedAt = nil
        mine.version = 0; theirs.version = 0
        return mine != theirs
    }

    var view: ConversationView {
        ConversationView(id: id, workspaceId: workspaceID, number: number, inboxId: inboxID, contactId: contactID, subject: subject,
                         status: status.rawValue, priority: priority.rawValue, category: category, language: language, sentiment: sentiment,
                         assigneeId: assigneeID, teamId: teamID, tags: tags,
                         attributes: StoredJSON.decode([String: JSONValue].self, from: attributes, default: [:]),
                         lastActivityAt: Date(millisSince1970: lastActivityMillis), firstResponseAt: firstResponseAt,
                         resolvedAt: resolvedAt, createdAt: Date(millisSince1970: createdMillis), updatedAt: updatedAt)
    }
}
