import FluentKit
import Foundation
import KefuCore
import Hummingbird
import SQLKit

/// One survey as stored and as the API shows it; the token never leaves the desk again.
struct SurveyView: ResponseCodable, Sendable {
    let id: UUID
    let conversationId: UUID
    let conversationNumber: Int?
    let askedAt: Date
    let closesAt: Date
    let rating: Int?
    let comment: String?
    let ratedAt: Date?
    /// Everyone who replied publicly in the cycle the survey is about.
    let agentIds: [UUID]
    let teamId: UUID?
    let inboxId: UUID
    let category: String?
    let language: String?
}

/// Asking customers to rate a resolution, and taking their answers. A survey is asked in
/// the same transaction as the resolve that prompts it, so a resolve is never without the
/// survey its rules call for, and a retried resolve never asks twice.
struct SatisfactionSurveys: Sendable {
    /// Prefix of the rating link's token; 18 random bytes are 144 bits.
    static let tokenPrefix = "ksr_"

    struct Asked: Sendable {
        let event: EventRecord?
        let announcement: RealtimeEvent
    }

    /// The surveys a resolve calls for, written: the rating, and (where the workspace turned
    /// it on and the customer was not asked lately) how likely they are to recommend the desk.
    static func afterResolution(before: ConversationRecord?, saved: ConversationRecord, now: Date, on db: any Database) async throws -> [Asked] {
        guard let before, before.status != .resolved, saved.status == .resolved else { return [] }
        let sql = db as! any SQLDatabase
        let (policy, recommendation) = try await SatisfactionSettings.rules(workspaceID: saved.workspaceID, on: db)
        guard policy.enabled || recommendation.enabled else { return [] }
        // The cycle the survey is about began at the last reopen, or when the conversation did.
        let reopened = try await sql.raw("""
            SELECT MAX(created_at) AS started FROM conversation_events WHERE conversation_id = \(bind: saved.id) AND kind = \(bind: ConversationEventKind.reopened.rawValue)
            """).first().flatMap { try? $0.decode(column: "started", as: Date?.self) }
        let cycleStart = reopened ?? Date(millisSince1970: saved.createdMillis)
        let agents = try await sql.raw("""
            SELECT DISTINCT author_id FROM messages WHERE conversation_id = \(bind: saved.id) AND author_kind = \(bind: AuthorKind.agent.rawValue)
            AND private = \(bind: false) AND created_at >= \(bind: cycleStart) AND author_id IS NOT NULL
            """).all().map { try $0.decode(column: "author_id", as: UUID.self) }.sorted { $0.uuidString < $1.uuidString }
        var asked: [Asked] = []
        if policy.enabled {
            let lastAsked = try await lastAsked(saved.contactID, in: "csat_surveys", on: sql)
            if policy.decide(.init(personReplied: !agents.isEmpty, lastAskedContact: lastAsked), now: now) == .ask {
                asked.append(try await askRating(saved, agents: agents, policy: policy, now: now, on: sql))
            }
        }
        let surveyable = !agents.isEmpty || policy.afterBotOnly
        if recommendation.shouldAsk(lastAsked: try await lastAsked(saved.contactID, in: "nps_surveys", on: sql), surveyable: surveyable, now: now) {
            asked.append(try await RecommendationSurveys.ask(saved, closes: policy.closes(askedAt: now), now: now, on: sql))
        }
        return asked
    }

    private static func lastAsked(_ contactID: UUID, in table: String, on sql: any SQLDatabase) async throws -> Date? {
        try await sql.raw("SELECT MAX(asked_ms) AS last FROM \(ident: table) WHERE contact_id = \(bind: contactID)").first()
            .flatMap { try? $0.decode(column: "last", as: Int64?.self) }.map(Date.init(millisSince1970:))
    }

    private static func askRating(_ saved: ConversationRecord, agents: [UUID], policy: SurveyPolicy, now: Date, on sql: any SQLDatabase) async throws -> Asked {
        let id = TimeOrderedID.make(now: now)
        let token = Secrets.randomToken(prefix: tokenPrefix, bytes: 18)
        let closes = policy.closes(askedAt: now)
        try await sql.insert(into: "csat_surveys")
            .columns("id", "workspace_id", "conversation_id", "contact_id", "token_hash", "asked_ms", "closes_ms", "agent_ids", "team_id", "inbox_id", "category", "language")
            .values(SQLBind(id), SQLBind(saved.workspaceID), SQLBind(saved.id), SQLBind(saved.contactID), SQLBind(Secrets.hash(token)),
                    SQLBind(now.millisSince1970), SQLBind(closes.millisSince1970), SQLBind(StoredJSON.encode(agents)), SQLBind(saved.teamID),
                    SQLBind(saved.inboxID), SQLBind(saved.category), SQLBind(saved.language))
            .run()
        let event = EventRecord(.ratingRequested, in: saved, by: .system, data: ["surveyId": id.uuidString], at: now)
        let announcement = RealtimeEvent(type: "survey.requested", workspaceID: saved.workspaceID, conversationID: saved.id, contactID: saved.contactID,
                                         visibleToContact: true, payload: Requested(surveyId: id, conversationId: saved.id, closesAt: closes))
        return Asked(event: event, announcement: announcement)
    }

    struct Requested: Encodable, Sendable {
        let surveyId: UUID
        let conversationId: UUID
        let closesAt: Date
    }

    // MARK: answers

    enum Answer: Sendable { case contact(UUID, inboxID: UUID), token(String) }

    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep

    /// The survey still taking answers for a customer in an inbox, or for a link's token.
    func open(_ answer: Answer, now: Date) async throws -> SurveyRow? {
        let db = persistence.reader
        switch answer {
        case .contact(let contact, let inbox):
            return try await SurveyRow.query(on: db).filter(\.$contactID == contact).filter(\.$inboxID == inbox)
                .filter(\.$closesMillis > now.millisSince1970).sort(\.$askedMillis, .descending).first()
        case .token(let token):
            guard token.hasPrefix(Self.tokenPrefix), token.count < 100 else { return nil }
            return try await SurveyRow.query(on: db).filter(\.$tokenHash == Secrets.hash(token)).filter(\.$closesMillis > now.millisSince1970).first()
        }
    }

    /// A new rating link for a survey still taking answers, for a channel to carry (a mail,
    /// a message on another app). The token is returned once; only its hash is kept, and a
    /// new link ends the one before it.
    func makeLink(_ survey: SurveyRow, now: Date) async throws -> String {
        let token = Secrets.randomToken(prefix: Self.tokenPrefix, bytes: 18)
        guard let workspace = try await WorkspaceRow.find(survey.workspaceID, on: persistence.reader) else { throw Problem.notFound("Survey") }
        try await persistence.transaction { db in
            try await (db as! any SQLDatabase).update("csat_surveys").set("token_hash", to: SQLBind(Secrets.hash(token)))
                .where("id", .equal, SQLBind(survey.id!)).run()
        }
        return "/help/\(workspace.slug)/r/\(token)"
    }

    /// Records a rating (a second one replaces the first) with the events that credit the
    /// agents; a low rating also raises a follow-up.
    func rate(_ survey: SurveyRow, rating: Rating, comment: String?, now: Date) async throws -> SurveyView {
        for attempt in 1...ConversationPipeline.attempts {
            if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
            do {
                let committed = try await persistence.transaction { db in
                    guard let row = try await SurveyRow.find(survey.id, on: db), let conversation = try await ConversationRepository().find(row.conversationID, workspaceID: row.workspaceID, on: db) else {
                        throw Problem.notFound("Survey")
                    }
                    let previous = row.rating
                    row.rating = rating.score
                    row.comment = comment
                    row.ratedMillis = now.millisSince1970
                    try await row.update(on: db)
                    var data = ["surveyId": row.id!.uuidString, "rating": String(rating.score), "agentIds": row.agentIDs.map(\.uuidString).joined(separator: ",")]
                    if let previous { data["previous"] = String(previous) }
                    if let comment { data["comment"] = comment }
                    var events = [EventRecord(.rated, in: conversation, by: .contact, conversation.contactID, data: data, at: now)]
                    // A follow-up once per survey: changing 1 to 2 is not a second complaint.
                    if rating.isLow && !(previous.map { Rating($0)?.isLow == true } ?? false) {
                        events.append(EventRecord(.lowRating, in: conversation, by: .system, data: ["surveyId": row.id!.uuidString, "rating": String(rating.score)], at: now))
                    }
                    var write = ConversationWrite(before: conversation, after: conversation, events: events)
                    write.extraAnnouncements = [RealtimeEvent(type: "conversation.rated", workspaceID: conversation.workspaceID, conversationID: conversation.id,
                                                              contactID: conversation.contactID, visibleToContact: false,
                                                              payload: Rated(conversationId: conversation.id, number: conversation.number, rating: rating.score,
                                                                             comment: comment, low: rating.isLow, agentIds: row.agentIDs, teamId: row.teamID))]
                    return (try await writer.write(write, on: db), row.view(number: conversation.number))
                }
                await publish.committed(committed.0)
                return committed.1
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while the rating was saved; try again.")
    }

    struct Rated: Encodable, Sendable {
        let conversationId: UUID
        let number: Int
        let rating: Int
        let comment: String?
        let low: Bool
        let agentIds: [UUID]
        let teamId: UUID?
    }
}

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class SurveyRow: Model, @unchecked Sendable {
    static let schema = "csat_surveys"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "contact_id") var contactID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "asked_ms") var askedMillis: Int64
    @Field(key: "closes_ms") var closesMillis: Int64
    @OptionalField(key: "rating") var rating: Int?
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "rated_ms") var ratedMillis: Int64?
    @Field(key: "agent_ids") var agentIDsJSON: String
    @OptionalField(key: "team_id") var teamID: UUID?
    @Field(key: "inbox_id") var inboxID: UUID
    @OptionalField(key: "category") var category: String?
    @OptionalField(key: "language") var language: String?
    init() {}

    var agentIDs: [UUID] { StoredJSON.decode([UUID].self, from: agentIDsJSON, default: []) }

    func view(number: Int?) -> SurveyView {
        SurveyView(id: id!, conversationId: conversationID, conversationNumber: number, askedAt: Date(millisSince1970: askedMillis),
                   closesAt: Date(millisSince1970: closesMillis), rating: rating, comment: comment, ratedAt: ratedMillis.map(Date.init(millisSince1970:)),
                   agentIds: agentIDs, teamId: teamID, inboxId: inboxID, category: category, language: language)
    }
}
