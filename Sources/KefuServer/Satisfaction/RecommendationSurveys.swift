import FluentKit
import Foundation
import Hummingbird
import KefuCore
import SQLKit

/// "How likely are you to recommend us?" — asked with a resolution at most every 90 days
/// per customer where the workspace turned it on, answered in the widget, read by the team
/// as a net promoter score.
struct RecommendationSurveys: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep

    struct Requested: Encodable, Sendable {
        let npsSurveyId: UUID
        let conversationId: UUID
        let closesAt: Date
    }

    /// Written in the resolve's transaction, like the rating survey beside it.
    static func ask(_ saved: ConversationRecord, closes: Date, now: Date, on sql: any SQLDatabase) async throws -> SatisfactionSurveys.Asked {
        let id = TimeOrderedID.make(now: now)
        try await sql.insert(into: "nps_surveys")
            .columns("id", "workspace_id", "conversation_id", "contact_id", "inbox_id", "asked_ms", "closes_ms", "language")
            .values(SQLBind(id), SQLBind(saved.workspaceID), SQLBind(saved.id), SQLBind(saved.contactID), SQLBind(saved.inboxID),
                    SQLBind(now.millisSince1970), SQLBind(closes.millisSince1970), SQLBind(saved.language))
            .run()
        return .init(event: nil, announcement: RealtimeEvent(type: "nps.requested", workspaceID: saved.workspaceID, conversationID: saved.id,
                                                             contactID: saved.contactID, visibleToContact: true,
                                                             payload: Requested(npsSurveyId: id, conversationId: saved.id, closesAt: closes)))
    }

    /// The question still taking answers for a customer in an inbox.
    func open(contactID: UUID, inboxID: UUID, now: Date) async throws -> RecommendationRow? {
        try await RecommendationRow.query(on: persistence.reader).filter(\.$contactID == contactID).filter(\.$inboxID == inboxID)
            .filter(\.$closesMillis > now.millisSince1970).sort(\.$askedMillis, .descending).first()
    }

    /// Records the answer (a second replaces the first) as an event on the conversation.
    func answer(_ survey: RecommendationRow, score: RecommendationScore, comment: String?, now: Date) async throws -> RecommendationView {
        for attempt in 1...ConversationPipeline.attempts {
            if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
            do {
                let (committed, view) = try await persistence.transaction { [writer] db in
                    guard let row = try await RecommendationRow.find(survey.id, on: db),
                          let conversation = try await ConversationRepository().find(row.conversationID, workspaceID: row.workspaceID, on: db) else {
                        throw Problem.notFound("Survey")
                    }
                    let previous = row.score
                    row.score = score.score
                    row.comment = comment
                    row.answeredMillis = now.millisSince1970
                    try await row.update(on: db)
                    var data = ["npsSurveyId": row.id!.uuidString, "score": String(score.score), "group": score.group.rawValue]
                    if let previous { data["previous"] = String(previous) }
                    if let comment { data["comment"] = comment }
                    let write = ConversationWrite(before: conversation, after: conversation,
                                                  events: [EventRecord(.npsAnswered, in: conversation, by: .contact, conversation.contactID, data: data, at: now)])
                    return (try await writer.write(write, on: db), row.view(number: conversation.number))
                }
                await publish.committed(committed)
                return view
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while the answer was saved; try again.")
    }

    /// The answers given since `since`, newest first, and the score they make.
    func summary(workspaceID: UUID, since: Date, limit: Int) async throws -> RecommendationSummary {
        let db = persistence.reader
        let asked = try await RecommendationRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$askedMillis >= since.millisSince1970).count()
        let rows = try await RecommendationRow.query(on: db).filter(\.$workspaceID == workspaceID).filter(\.$answeredMillis >= since.millisSince1970)
            .sort(\.$answeredMillis, .descending).all()
        let score = NetPromoterScore(rows.compactMap { $0.score.flatMap(RecommendationScore.init) })
        let shown = Array(rows.prefix(limit))
        let numbers = Dictionary(try await ConversationRow.query(on: db).filter(\.$id ~~ shown.map(\.conversationID)).all().map { ($0.id!, $0.number) },
                                 uniquingKeysWith: { first, _ in first })
        return RecommendationSummary(score: score.value, promoters: score.promoters, passives: score.passives, detractors: score.detractors,
                                     answered: score.answers, asked: asked, since: since, items: shown.map { $0.view(number: numbers[$0.conversationID]) })
    }
}

struct RecommendationSummary: ResponseCodable, Sendable {
    /// Promoters' share minus detractors', in points (−100 to 100); nil without answers.
    let score: Int?
    let promoters: Int
    let passives: Int
    let detractors: Int
    let answered: Int
    let asked: Int
    let since: Date
    let items: [RecommendationView]
}

struct RecommendationView: ResponseCodable, Sendable {
    let id: UUID
    let conversationId: UUID
    let conversationNumber: Int?
    let askedAt: Date
    let closesAt: Date
    let score: Int?
    let group: String?
    let comment: String?
    let answeredAt: Date?
}

// `@unchecked Sendable` for the reason given at the top of Models.swift.
final class RecommendationRow: Model, @unchecked Sendable {
    static let schema = "nps_surveys"
    @ID(key: .id) var id: UUID?
    @Field(key: "workspace_id") var workspaceID: UUID
    @Field(key: "conversation_id") var conversationID: UUID
    @Field(key: "contact_id") var contactID: UUID
    @Field(key: "inbox_id") var inboxID: UUID
    @Field(key: "asked_ms") var askedMillis: Int64
    @Field(key: "closes_ms") var closesMillis: Int64
    @OptionalField(key: "score") var score: Int?
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "answered_ms") var answeredMillis: Int64?
    @OptionalField(key: "language") var language: String?
    init() {}

    func view(number: Int?) -> RecommendationView {
        RecommendationView(id: id!, conversationId: conversationID, conversationNumber: number, askedAt: Date(millisSince1970: askedMillis),
                           closesAt: Date(millisSince1970: closesMillis), score: score, group: score.flatMap(RecommendationScore.init)?.group.rawValue,
                           comment: comment, answeredAt: answeredMillis.map(Date.init(millisSince1970:)))
    }
}
