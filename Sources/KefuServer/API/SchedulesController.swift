import FluentKit
import Foundation
import Hummingbird
import KefuCore

struct ScheduleView: ResponseCodable, Sendable {
    let id: UUID
    let name: String
    let timeZone: String
    let weekly: [String: [[String]]]
    let overrides: [ScheduleDocument.Override]
    let isDefault: Bool
    let inboxIds: [UUID]
    let teamIds: [UUID]
    /// Whether the team works right now, and if not when it next does: what the widget and
    /// the console tell people.
    let openNow: Bool
    let nextOpening: Date?
    let createdAt: Date
    let updatedAt: Date

    init(_ record: ScheduleRecord, now: Date = Date()) {
        let schedule = record.schedule
        let document = record.document
        id = record.id; name = record.name; timeZone = document.timeZone; weekly = document.weekly; overrides = document.overrides ?? []
        isDefault = record.isDefault; inboxIds = record.inboxIDs; teamIds = record.teamIDs
        openNow = schedule.isOpen(at: now); nextOpening = schedule.nextOpening(atOrAfter: now)
        createdAt = Date(millisSince1970: record.createdMillis); updatedAt = Date(millisSince1970: record.updatedMillis)
    }
}

/// Business hours: every agent may read them; owners and admins write them. Inboxes and
/// teams follow a schedule by being named in its `inboxIds` / `teamIds`.
struct SchedulesController {
    let services: KefuServices
    var repository: ScheduleRepository { ScheduleRepository(persistence: services.persistence) }

    static let maxOverrides = 3_660
    static let maxIntervalsPerDay = 12

    struct Input: Decodable {
        let name: String?
        let timeZone: String?
        let weekly: [String: [[String]]]?
        let overrides: [ScheduleDocument.Override]?
        let isDefault: Bool?
        let inboxIds: [String]?
        let teamIds: [String]?
    }

    struct HolidaysInput: Decodable {
        let ics: String?
        let workingDay: String?
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/holidays", use: importHolidays)
    }

    @Sendable func list(_ request: Request, context: KefuRequestContext) async throws -> Page<ScheduleView> {
        let agent = try context.requireAgent()
        return Page(items: try await repository.list(workspaceID: agent.workspaceID).map { ScheduleView($0) }, nextCursor: nil)
    }

    @Sendable func show(_ request: Request, context: KefuRequestContext) async throws -> ScheduleView {
        let agent = try context.requireAgent()
        return ScheduleView(try await find(context: context, in: agent.workspaceID))
    }

    @Sendable func create(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<ScheduleView> {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name, required: true)
        if input.timeZone == nil { validation.fail("timeZone", "the schedule's IANA time zone is required, such as Asia/Shanghai / 需要时间表的 IANA 时区，例如 Asia/Shanghai") }
        if input.weekly == nil { validation.fail("weekly", "the hours of each weekday are required; a weekday left out is closed / 需要每周各天的工作时间；未列出的日子为休息") }
        try validation.check()
        let document = ScheduleDocument(timeZone: input.timeZone!, weekly: input.weekly!, overrides: input.overrides ?? [])
        let now = Date().millisSince1970
        let record = ScheduleRecord(id: TimeOrderedID.make(), workspaceID: agent.workspaceID, name: name!, document: try checked(document),
                                    isDefault: input.isDefault ?? false,
                                    inboxIDs: try await followers(input.inboxIds, of: WorkspaceFollowers.Kind.inbox, field: "inboxIds", in: agent.workspaceID) ?? [],
                                    teamIDs: try await followers(input.teamIds, of: WorkspaceFollowers.Kind.team, field: "teamIds", in: agent.workspaceID) ?? [],
                                    createdMillis: now, updatedMillis: now)
        return EditedResponse(status: .created, response: ScheduleView(try await repository.save(record)))
    }

    @Sendable func update(_ request: Request, context: KefuRequestContext) async throws -> ScheduleView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        var record = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(Input.self, context: context)
        var validation = Validation()
        let name = validation.text(input.name, field: "name", max: Limits.name)
        try validation.check()
        if let name { record.name = name }
        var document = record.document
        if let timeZone = input.timeZone { document.timeZone = timeZone }
        if let weekly = input.weekly { document.weekly = weekly }
        if let overrides = input.overrides { document.overrides = overrides }
        record.document = try checked(document)
        if let isDefault = input.isDefault { record.isDefault = isDefault }
        if let inboxes = try await followers(input.inboxIds, of: WorkspaceFollowers.Kind.inbox, field: "inboxIds", in: agent.workspaceID) { record.inboxIDs = inboxes }
        if let teams = try await followers(input.teamIds, of: WorkspaceFollowers.Kind.team, field: "teamIds", in: agent.workspaceID) { record.teamIDs = teams }
        record.updatedMillis = Date().millisSince1970
        return ScheduleView(try await repository.save(record))
    }

    @Sendable func delete(_ request: Request, context: KefuRequestContext) async throws -> HTTPResponse.Status {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let id = try context.uuidParameter("id", what: "Schedule")
        guard try await repository.delete(id, workspaceID: agent.workspaceID) else { throw Problem.notFound("Schedule") }
        return .noContent
    }

    /// Adds an iCalendar file's holidays as overrides: days off closed, make-up working
    /// days with the hours of `workingDay` (default Monday).
    @Sendable func importHolidays(_ request: Request, context: KefuRequestContext) async throws -> ScheduleView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        var record = try await find(context: context, in: agent.workspaceID)
        let input = try await request.decodeJSON(HolidaysInput.self, context: context)
        var validation = Validation()
        let ics = validation.text(input.ics, field: "ics", max: 2_000_000, required: true)
        let workingDay = validation.enumValue(input.workingDay ?? "mon", as: BusinessSchedule.Weekday.self, field: "workingDay")
        try validation.check()
        let days: [HolidayCalendar.Day]
        do {
            days = try HolidayCalendar.days(in: ics!)
        } catch {
            throw Problem.invalid([.init(field: "ics", detail: error.description)])
        }
        record.document = try checked(record.document.importing(days, workingHours: record.document.weekly[workingDay!.rawValue] ?? []))
        record.updatedMillis = Date().millisSince1970
        return ScheduleView(try await repository.save(record))
    }

    private func checked(_ document: ScheduleDocument) throws -> ScheduleDocument {
        if (document.overrides?.count ?? 0) > Self.maxOverrides {
            throw Problem.invalid([.init(field: "overrides", detail: "at most \(Self.maxOverrides) dated overrides / 最多 \(Self.maxOverrides) 个特殊日期")])
        }
        let days = Array(document.weekly.values) + (document.overrides ?? []).map(\.hours)
        if days.contains(where: { $0.count > Self.maxIntervalsPerDay }) {
            throw Problem.invalid([.init(field: "weekly", detail: "at most \(Self.maxIntervalsPerDay) intervals a day / 每天最多 \(Self.maxIntervalsPerDay) 个时间段")])
        }
        if document.timeZone.count > 64 || (document.overrides ?? []).contains(where: { ($0.name?.count ?? 0) > Limits.name || $0.date.count > 10 }) {
            throw Problem.invalid([.init(field: "overrides", detail: "a time zone, date or name is too long / 时区、日期或名称过长")])
        }
        let schedule: BusinessSchedule
        do {
            schedule = try document.schedule()
        } catch {
            throw Problem.invalid([.init(field: error.field ?? "schedule", detail: error.message.both)])
        }
        // Stored as it reads back: every weekday, overrides in date order, their names kept.
        let names = Dictionary((document.overrides ?? []).compactMap { override in
            CivilDate(parsing: override.date).flatMap { date in override.name.map { (date, $0) } }
        }, uniquingKeysWith: { _, last in last })
        return ScheduleDocument(schedule, names: names)
    }

    /// The inboxes or teams named, each of this workspace; nil when the input names none.
    private func followers(_ raw: [String]?, of kind: WorkspaceFollowers.Kind, field: String, in workspaceID: UUID) async throws -> [UUID]? {
        guard let raw else { return nil }
        var validation = Validation()
        var ids: [UUID] = []
        var given: [UUID] = []
        for (index, text) in raw.enumerated() {
            guard let id = UUID(uuidString: text) else {
                validation.fail("\(field)[\(index)]", "no such \(kind.rawValue) in this workspace / 本工作区没有这个\(kind.chinese)")
                continue
            }
            given.append(id)
            if !ids.contains(id) { ids.append(id) }
        }
        if validation.errors.isEmpty {
            try await WorkspaceFollowers(persistence: services.persistence).check(given, of: kind, field: field, in: workspaceID, into: &validation)
        }
        try validation.check()
        return ids
    }

    private func find(context: KefuRequestContext, in workspaceID: UUID) async throws -> ScheduleRecord {
        let id = try context.uuidParameter("id", what: "Schedule")
        guard let record = try await repository.find(id, workspaceID: workspaceID) else { throw Problem.notFound("Schedule") }
        return record
    }
}
