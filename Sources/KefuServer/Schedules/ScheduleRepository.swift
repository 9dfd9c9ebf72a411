import FluentKit
import Foundation
import KefuCore

/// Schedules and their followers. A save replaces the schedule's followers, moving an
/// inbox or team that followed another schedule, and a new default unsets the old one, all
/// in one transaction.
struct ScheduleRepository: Sendable {
    let persistence: Persistence

    func list(workspaceID: UUID) async throws -> [ScheduleRecord] {
        let db = persistence.reader
        let rows = try await ScheduleRow.query(on: db).filter(\.$workspaceID == workspaceID).sort(\.$id).all()
        let followers = try await ScheduleFollowerRow.query(on: db).filter(\.$workspaceID == workspaceID).all()
        return rows.map { Self.record($0, followers: followers) }
    }

    func find(_ id: UUID, workspaceID: UUID) async throws -> ScheduleRecord? {
        let db = persistence.reader
        guard let row = try await ScheduleRow.find(id, on: db), row.workspaceID == workspaceID else { return nil }
        let followers = try await ScheduleFollowerRow.query(on: db).filter(\.$scheduleID == id).all()
        return Self.record(row, followers: followers)
    }

    /// Inserts or updates; a name another schedule of the workspace has is a conflict.
    func save(_ record: ScheduleRecord) async throws -> ScheduleRecord {
        do {
            try await persistence.transaction { db in
                if record.isDefault {
                    try await ScheduleRow.query(on: db).filter(\.$workspaceID == record.workspaceID).filter(\.$id != record.id)
                        .set(\.$isDefault, to: false).update()
                }
                let row = try await ScheduleRow.find(record.id, on: db) ?? ScheduleRow()
                row.id = record.id
                row.workspaceID = record.workspaceID
                row.name = record.name
                row.document = StoredJSON.encode(record.document)
                row.isDefault = record.isDefault
                row.createdMillis = record.createdMillis
                row.updatedMillis = record.updatedMillis
                try await row.save(on: db)
                try await ScheduleFollowerRow.query(on: db).filter(\.$scheduleID == record.id).delete()
                let followers = record.inboxIDs.map { (ScheduleFollower.Kind.inbox, $0) } + record.teamIDs.map { (ScheduleFollower.Kind.team, $0) }
                for (kind, id) in followers {
                    try await ScheduleFollowerRow.query(on: db).filter(\.$followerKind == kind.rawValue).filter(\.$followerID == id).delete()
                    try await ScheduleFollowerRow(workspaceID: record.workspaceID, scheduleID: record.id, kind: kind, followerID: id).create(on: db)
                }
                try await ServiceLevelWatches.touchWorkspace(record.workspaceID, on: db)
            }
        } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
            throw Problem.conflict("Another schedule of this workspace is already called \(record.name). / 本工作区已有名为“\(record.name)”的时间表。")
        }
        return record
    }

    /// Which schedule an inbox or team follows: a schedule of the workspace, or none (the
    /// workspace's default). The open conversations' clocks are recomputed, as on any save.
    func follow(_ kind: ScheduleFollower.Kind, _ followerID: UUID, scheduleID: UUID?, workspaceID: UUID, on db: any Database) async throws {
        try await ScheduleFollowerRow.query(on: db).filter(\.$followerKind == kind.rawValue).filter(\.$followerID == followerID).delete()
        if let scheduleID {
            try await ScheduleFollowerRow(workspaceID: workspaceID, scheduleID: scheduleID, kind: kind, followerID: followerID).create(on: db)
        }
        try await ServiceLevelWatches.touchWorkspace(workspaceID, on: db)
    }

    /// The schedule each inbox (or team) of a workspace follows, where it names one.
    func followed(_ kind: ScheduleFollower.Kind, workspaceID: UUID) async throws -> [UUID: UUID] {
        let rows = try await ScheduleFollowerRow.query(on: persistence.reader).filter(\.$workspaceID == workspaceID)
            .filter(\.$followerKind == kind.rawValue).all()
        return Dictionary(rows.map { ($0.followerID, $0.scheduleID) }, uniquingKeysWith: { first, _ in first })
    }

    func delete(_ id: UUID, workspaceID: UUID) async throws -> Bool {
        try await persistence.transaction { db in
            guard let row = try await ScheduleRow.find(id, on: db), row.workspaceID == workspaceID else { return false }
            try await ScheduleFollowerRow.query(on: db).filter(\.$scheduleID == id).delete()
            try await row.delete(on: db)
            try await ServiceLevelWatches.touchWorkspace(workspaceID, on: db)
            return true
        }
    }

    /// The hours a conversation is kept to: its team's schedule, else its inbox's, else
    /// the workspace's default, else every hour of every day.
    func effective(workspaceID: UUID, inboxID: UUID?, teamID: UUID?) async throws -> (record: ScheduleRecord?, schedule: BusinessSchedule) {
        let schedules = try await list(workspaceID: workspaceID)
        let chosen = teamID.flatMap { team in schedules.first { $0.teamIDs.contains(team) } }
            ?? inboxID.flatMap { inbox in schedules.first { $0.inboxIDs.contains(inbox) } }
            ?? schedules.first(where: \.isDefault)
        return (chosen, chosen?.schedule ?? .alwaysOpen)
    }

    private static func record(_ row: ScheduleRow, followers: [ScheduleFollowerRow]) -> ScheduleRecord {
        let own = followers.filter { $0.scheduleID == row.id }
        let document = StoredJSON.decode(ScheduleDocument.self, from: row.document, default: ScheduleDocument(.alwaysOpen))
        return ScheduleRecord(id: row.id!, workspaceID: row.workspaceID, name: row.name, document: document, isDefault: row.isDefault,
                              inboxIDs: own.filter { $0.followerKind == ScheduleFollower.Kind.inbox.rawValue }.map(\.followerID).sorted { $0.uuidString < $1.uuidString },
                              teamIDs: own.filter { $0.followerKind == ScheduleFollower.Kind.team.rawValue }.map(\.followerID).sorted { $0.uuidString < $1.uuidString },
                              createdMillis: row.createdMillis, updatedMillis: row.updatedMillis)
    }
}
