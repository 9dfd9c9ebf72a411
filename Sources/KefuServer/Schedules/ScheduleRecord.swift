import Foundation
import KefuCore

/// Who follows a schedule instead of the workspace's default.
enum ScheduleFollower {
    enum Kind: String, Sendable { case inbox, team }
}

/// A workspace's named business hours, as stored: the document the API reads and writes,
/// whether it is the workspace's default, and the inboxes and teams that follow it.
struct ScheduleRecord: Sendable, Equatable {
    let id: UUID
    let workspaceID: UUID
    var name: String
    var document: ScheduleDocument
    var isDefault: Bool
    var inboxIDs: [UUID]
    var teamIDs: [UUID]
    let createdMillis: Int64
    var updatedMillis: Int64

    /// Checked when the record is made from input, so stored documents always parse.
    var schedule: BusinessSchedule { (try? document.schedule()) ?? .alwaysOpen }
}
