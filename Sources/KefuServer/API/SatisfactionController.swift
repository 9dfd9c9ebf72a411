import FluentKit
import Foundation
import Hummingbird
import KefuCore

/// Ratings: the customer answers in the widget (or through the rating link's page); agents
/// read them; owners and admins set when customers are asked.
struct SatisfactionController {
    let services: KefuServices

    struct RatingInput: Decodable { let rating: Int?; let comment: String? }
    struct SettingsInput: Decodable { let enabled: Bool?; let afterBotOnly: Bool?; let quietDays: Int?; let npsEnabled: Bool?; let npsIntervalDays: Int? }
    struct SettingsView: ResponseCodable, Sendable {
        let enabled: Bool; let afterBotOnly: Bool; let quietDays: Int; let answerDays: Int
        /// "How likely are you to recommend us", asked at most every `npsIntervalDays` per customer.
        let npsEnabled: Bool; let npsIntervalDays: Int
    }
    struct RecommendationInput: Decodable { let score: Int?; let comment: String? }
    struct Summary: ResponseCodable, Sendable {
        let items: [SurveyView]
        let nextCursor: String?
        /// Over the last 30 days: surveys asked, answered, and the share of 4–5 among answers.
        let asked: Int
        let answered: Int
        let csat: Double?
    }

    var surveys: SatisfactionSurveys { services.satisfaction }

    func addVisitorRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("survey", use: pending)
        group.post("survey", use: answer)
        group.get("nps", use: pendingRecommendation)
        group.post("nps", use: recommend)
    }

    func addRoutes(to group: RouterGroup<KefuRequestContext>) {
        group.get("ratings", use: ratings)
        group.get("nps", use: recommendations)
        group.post("conversations/:id/rating-link", use: ratingLink)
        group.get("satisfaction", use: settings)
        group.patch("satisfaction", use: updateSettings)
    }

    @Sendable func pending(_ request: Request, context: KefuRequestContext) async throws -> SurveyView {
        let visitor = try context.requireVisitor()
        guard let survey = try await surveys.open(.contact(visitor.contactID, inboxID: visitor.inboxID), now: services.configuration.clock.now()) else {
            throw Problem(.notFound, "No survey is waiting for an answer.")
        }
        return survey.view(number: nil)
    }

    @Sendable func answer(_ request: Request, context: KefuRequestContext) async throws -> SurveyView {
        let visitor = try context.requireVisitor()
        let input = try await request.decodeJSON(RatingInput.self, context: context)
        let (rating, comment) = try Self.checked(input)
        let now = services.configuration.clock.now()
        guard let survey = try await surveys.open(.contact(visitor.contactID, inboxID: visitor.inboxID), now: now) else {
            throw Problem(.notFound, "No survey is waiting for an answer; ratings are taken for 7 days after a conversation is resolved.")
        }
        return try await surveys.rate(survey, rating: rating, comment: comment, now: now)
    }

    @Sendable func pendingRecommendation(_ request: Request, context: KefuRequestContext) async throws -> RecommendationView {
        let visitor = try context.requireVisitor()
        guard let survey = try await services.recommendations.open(contactID: visitor.contactID, inboxID: visitor.inboxID, now: services.configuration.clock.now()) else {
            throw Problem(.notFound, "No question is waiting for an answer.")
        }
        return survey.view(number: nil)
    }

    @Sendable func recommend(_ request: Request, context: KefuRequestContext) async throws -> RecommendationView {
        let visitor = try context.requireVisitor()
        let input = try await request.decodeJSON(RecommendationInput.self, context: context)
        var validation = Validation()
        let score = input.score.flatMap(RecommendationScore.init)
        if score == nil { validation.fail("score", "a whole number from 0 to 10 / 请给出 0 到 10 的分数") }
        let comment = validation.text(input.comment, field: "comment", max: Rating.maxComment)
        try validation.check()
        let now = services.configuration.clock.now()
        guard let survey = try await services.recommendations.open(contactID: visitor.contactID, inboxID: visitor.inboxID, now: now) else {
            throw Problem(.notFound, "No question is waiting for an answer.")
        }
        return try await services.recommendations.answer(survey, score: score!, comment: comment, now: now)
    }

    /// The net promoter score of the last `days` days (90 unless given) and its answers.
    @Sendable func recommendations(_ request: Request, context: KefuRequestContext) async throws -> RecommendationSummary {
        let agent = try context.requireAgent()
        var days = 90
        if let raw = request.uri.formParameters["days"] {
            guard let value = Int(String(raw)), (1...365).contains(value) else { throw Problem.badRequest("days must be a whole number from 1 to 365.") }
            days = value
        }
        let since = services.configuration.clock.now().addingTimeInterval(-Double(days) * 86_400)
        return try await services.recommendations.summary(workspaceID: agent.workspaceID, since: since, limit: 200)
    }

    static func checked(_ input: RatingInput) throws -> (Rating, String?) {
        var validation = Validation()
        let rating = input.rating.flatMap(Rating.init)
        if rating == nil { validation.fail("rating", "a whole number from 1 to 5 / 请给出 1 到 5 的评分") }
        let comment = validation.text(input.comment, field: "comment", max: Rating.maxComment)
        try validation.check()
        return (rating!, comment)
    }

    @Sendable func ratings(_ request: Request, context: KefuRequestContext) async throws -> Summary {
        let agent = try context.requireAgent()
        let page = try PageRequest(request)
        let db = services.persistence.reader
        var query = SurveyRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$ratedMillis != nil)
        switch request.uri.formParameters["rating"].map(String.init) {
        case nil, "": break
        case "low": query = query.filter(\.$rating <= 2)
        case let raw?:
            guard let score = Int(raw), Rating(score) != nil else { throw Problem.badRequest("rating must be low or a whole number from 1 to 5.") }
            query = query.filter(\.$rating == score)
        }
        if let raw = request.uri.formParameters["agentId"] {
            guard let id = UUID(uuidString: String(raw)) else { throw Problem.badRequest("agentId must be an agent's id.") }
            query = query.filter(.sql(embed: "agent_ids LIKE \(bind: "%\(id.uuidString)%")"))
        }
        if let cursor = page.cursor {
            let parts = try Cursor.decode(cursor, parts: 2)
            guard let millis = Int64(parts[0]), let id = UUID(uuidString: parts[1]) else { throw Problem.badRequest("cursor is not one this server handed out.") }
            query = query.group(.or) { older in
                older.filter(\.$ratedMillis < millis)
                older.group(.and) { same in same.filter(\.$ratedMillis == millis).filter(\.$id < id) }
            }
        }
        let rows = try await query.sort(\.$ratedMillis, .descending).sort(\.$id, .descending).limit(page.limit + 1).all()
        let numbers = Dictionary(try await ConversationRow.query(on: db).filter(\.$id ~~ rows.map(\.conversationID)).all().map { ($0.id!, $0.number) },
                                 uniquingKeysWith: { first, _ in first })
        let items = rows.prefix(page.limit).map { $0.view(number: numbers[$0.conversationID]) }
        let since = services.configuration.clock.now().addingTimeInterval(-30 * 86_400).millisSince1970
        let recent = try await SurveyRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).filter(\.$askedMillis >= since).all()
        let answered = recent.compactMap(\.rating)
        let next = rows.count > page.limit ? rows.prefix(page.limit).last.map { Cursor.encode(["\($0.ratedMillis!)", $0.id!.uuidString]) } : nil
        return Summary(items: Array(items), nextCursor: next, asked: recent.count, answered: answered.count,
                       csat: answered.isEmpty ? nil : Double(answered.filter { $0 >= 4 }.count) / Double(answered.count))
    }

    struct LinkView: ResponseCodable, Sendable { let url: String; let closesAt: Date }

    /// A link to the conversation's open survey, for a channel that cannot show the widget's
    /// stars; it opens a page where the customer confirms the score (opening it never votes).
    @Sendable func ratingLink(_ request: Request, context: KefuRequestContext) async throws -> EditedResponse<LinkView> {
        let agent = try context.requireAgent()
        let id = try context.uuidParameter("id", what: "Conversation")
        let now = services.configuration.clock.now()
        guard let survey = try await SurveyRow.query(on: services.persistence.reader).filter(\.$workspaceID == agent.workspaceID)
            .filter(\.$conversationID == id).filter(\.$closesMillis > now.millisSince1970).sort(\.$askedMillis, .descending).first() else {
            throw Problem(.notFound, "No survey of this conversation is taking answers.")
        }
        let path = try await surveys.makeLink(survey, now: now)
        return EditedResponse(status: .created, response: LinkView(url: services.configuration.publicBaseURL + path, closesAt: Date(millisSince1970: survey.closesMillis)))
    }

    @Sendable func settings(_ request: Request, context: KefuRequestContext) async throws -> SettingsView {
        let agent = try context.requireAgent()
        let db = services.persistence.reader
        let rules = try await SatisfactionSettings.rules(workspaceID: agent.workspaceID, on: db)
        return Self.view(rules.survey, rules.recommendation)
    }

    @Sendable func updateSettings(_ request: Request, context: KefuRequestContext) async throws -> SettingsView {
        let agent = try context.requireAgent()
        try agent.requireAdmin()
        let input = try await request.decodeJSON(SettingsInput.self, context: context)
        var (policy, recommendation) = try await SatisfactionSettings.rules(workspaceID: agent.workspaceID, on: services.persistence.reader)
        if let interval = input.npsIntervalDays {
            guard RecommendationPolicy.intervalRange.contains(interval) else {
                throw Problem.invalid([.init(field: "npsIntervalDays", detail: "between 30 and 365 days / 应在 30 到 365 天之间")])
            }
            recommendation.intervalDays = interval
        }
        if let enabled = input.npsEnabled { recommendation.enabled = enabled }
        if let quietDays = input.quietDays {
            guard SurveyPolicy.quietDaysRange.contains(quietDays) else {
                throw Problem.invalid([.init(field: "quietDays", detail: "between 0 and 365 days / 应在 0 到 365 天之间")])
            }
            policy.quietDays = quietDays
        }
        if let enabled = input.enabled { policy.enabled = enabled }
        if let afterBotOnly = input.afterBotOnly { policy.afterBotOnly = afterBotOnly }
        let (saved, savedRecommendation) = (policy, recommendation)
        try await services.persistence.transaction { db in
            try await SatisfactionSettings.save(saved, savedRecommendation, workspaceID: agent.workspaceID, on: db)
        }
        return Self.view(saved, savedRecommendation)
    }

    static func view(_ policy: SurveyPolicy, _ recommendation: RecommendationPolicy) -> SettingsView {
        SettingsView(enabled: policy.enabled, afterBotOnly: policy.afterBotOnly, quietDays: policy.quietDays, answerDays: policy.answerDays,
                     npsEnabled: recommendation.enabled, npsIntervalDays: recommendation.intervalDays)
    }
}
