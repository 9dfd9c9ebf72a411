import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// Assembles the desk: persistence, realtime hub, job worker, pipeline and routes.
/// Migrations run here, before anything can serve a request.
public func buildApplication(_ configuration: KefuConfiguration, logger providedLogger: Logger? = nil) async throws -> some ApplicationProtocol {
    var logger = providedLogger ?? Logger(label: "kefu")
    logger.logLevel = configuration.logLevel

    let persistence = try Persistence(location: configuration.database, logger: logger, sqliteSyncEveryCommit: configuration.sqliteSyncEveryCommit,
                                      postgresConnectionsPerLoop: configuration.postgresConnectionsPerLoop)
    do {
        try await persistence.migrate()
        return try await assemble(configuration, persistence: persistence, logger: logger)
    } catch {
        // A connection pool must be shut down before it is released, whatever failed.
        await persistence.shutdown()
        throw error
    }
}

private func assemble(_ configuration: KefuConfiguration, persistence: Persistence, logger: Logger) async throws -> some ApplicationProtocol {
    let greeting = try await FirstStart(configuration: configuration, persistence: persistence).seedIfEmpty()
    // Written straight to stdout, not the log: it can carry a generated password, and
    // unbuffered so it is there at once even when stdout is a file or a pipe.
    if !greeting.isEmpty { FileHandle.standardOutput.write(Data((greeting.joined(separator: "\n") + "\n").utf8)) }

    var services: [any Service] = [persistence.databases]
    let hub: any RealtimeHub
    if case .postgres(let url) = configuration.database {
        let postgresHub = try PostgresHub(persistence: persistence, url: url, logger: logger)
        services.append(postgresHub)
        hub = postgresHub
    } else {
        hub = InProcessHub()
    }
    let jobs = JobQueue(persistence: persistence)
    let webhooks = WebhookDispatcher(persistence: persistence, queue: jobs)
    let metrics = KefuMetrics()
    let openConversations = OpenConversationCache()
    let officialChannels = OfficialChannelsCache(persistence: persistence)
    let knowledgeBase = KnowledgeBase(persistence: persistence)
    let ranker = configuration.embeddings.map {
        SemanticRanker(embeddings: EmbeddingsClient(transport: ProviderTransport(endpoint: $0, httpClient: .shared)), cache: ArticleVectors())
    }
    let botRetrieval = BotRetrieval(knowledgeBase: knowledgeBase, ranker: ranker, logger: logger)
    let botSettings = BotSettingsCache(persistence: persistence, calibration: BotCalibration(retrieval: botRetrieval), jobs: jobs)
    let answerWriter = configuration.chat.map { GroundedAnswerWriter(chat: ChatClient(transport: ProviderTransport(endpoint: $0, httpClient: .shared)), logger: logger) }
    let glossary = GlossaryCache(persistence: persistence)
    let answerBot = AnswerBot(persistence: persistence, retrieval: botRetrieval, settings: botSettings, writer: answerWriter,
                              publicBaseURL: configuration.publicBaseURL, logger: logger, glossary: glossary)
    let categoryModels = CategoryModels(persistence: persistence)
    let categoryTrainer = CategoryTrainer(persistence: persistence, models: categoryModels)
    let outbox = Outbox()
    let writer = ConversationWriter(outbox: outbox, webhooks: webhooks, clock: configuration.clock)
    let queueDoorbell = QueueDoorbell()
    let publish = PublishStep(hub: hub, outbox: outbox, metrics: metrics, queueDoorbell: queueDoorbell)
    let pipeline = ConversationPipeline(
        identify: IdentifyStep(persistence: persistence, cache: openConversations),
        shield: ShieldStep(officialChannels: officialChannels),
        understand: UnderstandStep(categories: categoryModels, logger: logger),
        decide: DecideStep(persistence: persistence, answerBot: answerBot),
        commit: CommitStep(persistence: persistence, writer: writer, batcher: WriteBatcher(persistence: persistence, writer: writer, metrics: metrics, logger: logger),
                           router: ConversationRouter(), jobs: jobs),
        publish: publish,
        replyGuard: ReplyGuardStep(officialChannels: officialChannels)
    )
    let conversationChanges = ConversationChanges(persistence: persistence, writer: writer, publish: publish, openConversations: openConversations,
                                                  categoryTrainer: categoryTrainer, jobs: jobs)
    services.append(OutboxRelay(outbox: outbox, persistence: persistence, hub: hub, logger: logger))
    let kefu = KefuServices(
        configuration: configuration, persistence: persistence, hub: hub, jobs: jobs, webhooks: webhooks,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        visitorTokens: await VisitorTokens(secret: try await ServerKeys.visitorTokenSecret(persistence: persistence)),
        pipeline: pipeline, openConversations: openConversations, outbox: outbox, conversationChanges: conversationChanges, queueDoorbell: queueDoorbell,
        satisfaction: SatisfactionSurveys(persistence: persistence, writer: writer, publish: publish),
        recommendations: RecommendationSurveys(persistence: persistence, writer: writer, publish: publish),
        glossary: glossary,
        complaints: ComplaintDesk(persistence: persistence, writer: writer, publish: publish, replyGuard: pipeline.replyGuard, clock: configuration.clock),
        snoozes: SnoozeAlarm(persistence: persistence, writer: writer, publish: publish, clock: configuration.clock),
        reports: ReportProjector(persistence: persistence, clock: configuration.clock),
        macros: MacroDesk(persistence: persistence, writer: writer, publish: publish, replyGuard: pipeline.replyGuard,
                          openConversations: openConversations, clock: configuration.clock),
        metrics: metrics, loginThrottle: LoginThrottle(),
        knowledgeBase: knowledgeBase, botSettings: botSettings, botRetrieval: botRetrieval, categoryTrainer: categoryTrainer, logger: logger
    )
    if configuration.runWorker {
        services.append(JobWorker(queue: jobs, handlers: [
            WebhookDeliveryHandler(persistence: persistence, httpClient: .shared, hub: hub),
            ChainLookupHandler(persistence: persistence, hub: hub, clients: .live(),
                               customerUpdates: TransactionUpdates(persistence: persistence, settings: botSettings) { _ = try await pipeline.reply($0) }),
            BotCalibrationHandler(settings: botSettings),
            CategoryTrainingHandler(trainer: categoryTrainer),
        ], logger: logger, workers: configuration.jobWorkers, perWorkspace: configuration.jobsPerWorkspace))
        services.append(ServiceLevelService(
            scheduler: ServiceLevelScheduler(persistence: persistence, writer: writer, publish: publish, clock: configuration.clock, logger: logger),
            dispatcher: QueueDispatcher(persistence: persistence, writer: writer, publish: publish, clock: configuration.clock, logger: logger),
            interval: configuration.serviceLevelTick, doorbell: queueDoorbell))
        // A check-back is marked sent, a snooze woken and a conversation projected in the
        // transaction that writes it, so several nodes running these never do one twice.
        let upkeep = max(configuration.serviceLevelTick, .seconds(1))
        services.append(PeriodicService(interval: upkeep, logger: logger, failure: "complaint check-backs failed") { [complaints = kefu.complaints] in
            _ = try await complaints.sendFollowUps(now: complaints.clock.now())
        })
        services.append(PeriodicService(interval: upkeep, logger: logger, failure: "waking snoozed conversations failed") { [snoozes = kefu.snoozes] in
            try await snoozes.wake()
        })
        services.append(PeriodicService(interval: configuration.reportTick, logger: logger, failure: "report rollups could not be brought up to date") { [reports = kefu.reports] in
            try await reports.catchUp()
            try await reports.upgrade()
        })
        let loads = LoadSamples(persistence: persistence)
        services.append(PeriodicService(interval: upkeep, logger: logger, failure: "agents' load could not be sampled") { [clock = configuration.clock] in
            try await loads.sample(now: clock.now())
        })
    }

    let router = buildRouter(kefu, openAPIDocument: try OpenAPIDocument.load())
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 64 * 1024))),
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: "Kefu"),
        services: services,
        logger: logger
    )
}

/// Every route of the desk, on one screen.
func buildRouter(_ kefu: KefuServices, openAPIDocument: ByteBuffer) -> Router<KefuRequestContext> {
    let router = Router(context: KefuRequestContext.self)
    // Metrics wrap the problem middleware so that error responses are counted too.
    router.add(middleware: MetricsMiddleware(metrics: kefu.metrics))
    router.add(middleware: ProblemMiddleware())

    SystemRoutes(persistence: kefu.persistence, metrics: kefu.metrics, openAPIDocument: openAPIDocument).addRoutes(to: router)

    let agentAuth = AgentAuthenticator(credentials: kefu.credentials)
    let api = router.group("api/v1")
    AuthController(services: kefu).addPublicRoutes(to: api.group("auth"))
    AuthController(services: kefu).addRoutes(to: api.group("auth").add(middleware: agentAuth))
    TokensController(services: kefu).addRoutes(to: api.group("tokens").add(middleware: agentAuth))
    AgentsController(services: kefu).addRoutes(to: api.group("agents").add(middleware: agentAuth))
    TeamsController(services: kefu).addRoutes(to: api.group("teams").add(middleware: agentAuth))
    InboxesController(services: kefu).addRoutes(to: api.group("inboxes").add(middleware: agentAuth))
    ContactsController(services: kefu).addRoutes(to: api.group("contacts").add(middleware: agentAuth))
    ConversationsController(services: kefu).addRoutes(to: api.group("conversations").add(middleware: agentAuth))
    WebhooksController(services: kefu).addRoutes(to: api.group("webhooks").add(middleware: agentAuth))
    ChainController(services: kefu).addRoutes(to: api, auth: agentAuth)
    BotController(services: kefu).addRoutes(to: api.group("bot").add(middleware: agentAuth))
    TriageController(services: kefu).addRoutes(to: api.group("triage").add(middleware: agentAuth))
    OfficialChannelsController(services: kefu, cache: kefu.officialChannels).addRoutes(to: api.group("official-channels").add(middleware: agentAuth))
    SchedulesController(services: kefu).addRoutes(to: api.group("schedules").add(middleware: agentAuth))
    ServicePoliciesController(services: kefu).addRoutes(to: api.group("sla-policies").add(middleware: agentAuth))
    ServicePoliciesController(services: kefu).addConversationRoutes(to: api.group("conversations").add(middleware: agentAuth))
    RoutingController(services: kefu).addRoutes(to: api.group("routing").add(middleware: agentAuth))
    SatisfactionController(services: kefu).addRoutes(to: api.group().add(middleware: agentAuth))
    ComplaintsController(services: kefu).addRoutes(to: api.group().add(middleware: agentAuth))
    CannedRepliesController(services: kefu).addRoutes(to: api.group("canned-replies").add(middleware: agentAuth))
    GlossaryController(services: kefu).addRoutes(to: api.group("glossary").add(middleware: agentAuth))
    MacrosController(services: kefu).addRoutes(to: api.group("macros").add(middleware: agentAuth))
    ReportsController(services: kefu).addRoutes(to: api.group("reports").add(middleware: agentAuth))
    ReportsController(services: kefu).addSettingsRoutes(to: api.group().add(middleware: agentAuth))
    ConversationSearch(services: kefu).addRoutes(to: api.group("search").add(middleware: agentAuth))
    RealtimeRoutes(hub: kefu.hub).addAgentSocket(to: api.group("realtime").add(middleware: AgentAuthenticator(credentials: kefu.credentials, acceptsQueryToken: true)))

    WebRoutes(services: kefu).addRoutes(to: router)
    VerifyRoutes(services: kefu).addRoutes(to: router)
    SettingsRoutes(services: kefu).addRoutes(to: router)
    KnowledgeBaseRoutes(services: kefu).addRoutes(to: router, api: api, agentAuth: agentAuth)

    // The widget runs on customers' own sites: its API, and only its API, answers every origin.
    let widget = router.group("widget/v1").add(middleware: WidgetCORSMiddleware())
    for path in WidgetCORSMiddleware.preflightPaths {
        widget.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
    }
    WidgetController(services: kefu).addPublicRoutes(to: widget)
    WidgetController(services: kefu).addRoutes(to: widget.group().add(middleware: VisitorAuthenticator(tokens: kefu.visitorTokens)))
    SatisfactionController(services: kefu).addVisitorRoutes(to: widget.group().add(middleware: VisitorAuthenticator(tokens: kefu.visitorTokens)))
    ComplaintsController(services: kefu).addVisitorRoutes(to: widget.group().add(middleware: VisitorAuthenticator(tokens: kefu.visitorTokens)))
    RealtimeRoutes(hub: kefu.hub).addVisitorSocket(to: widget.group("socket").add(middleware: VisitorAuthenticator(tokens: kefu.visitorTokens, acceptsQueryToken: true)))
    return router
}

enum OpenAPIDocument {
    static func load() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") else {
            throw ConfigurationError("the OpenAPI document is missing from the package resources")
        }
        return ByteBuffer(data: try Data(contentsOf: url))
    }
}
