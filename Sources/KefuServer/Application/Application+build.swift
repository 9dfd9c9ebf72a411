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

    let persistence = try Persistence(location: configuration.database, logger: logger)
    do {
        try await persistence.migrate()
    } catch {
        await persistence.shutdown()
        throw error
    }
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
    let pipeline = ConversationPipeline(
        identify: IdentifyStep(cache: openConversations),
        shield: ShieldStep(),
        store: StoreStep(persistence: persistence),
        understand: UnderstandStep(persistence: persistence, logger: logger),
        act: ActStep(persistence: persistence),
        publish: PublishStep(hub: hub, webhooks: webhooks, metrics: metrics, logger: logger),
        replyGuard: ReplyGuardStep()
    )
    let kefu = KefuServices(
        configuration: configuration, persistence: persistence, hub: hub, jobs: jobs, webhooks: webhooks,
        hasher: PasswordHasher(cost: configuration.bcryptCost),
        visitorTokens: await VisitorTokens(secret: try await ServerKeys.visitorTokenSecret(persistence: persistence)),
        pipeline: pipeline, openConversations: openConversations, metrics: metrics, loginThrottle: LoginThrottle(), logger: logger
    )
    if configuration.runWorker {
        services.append(JobWorker(queue: jobs, handlers: [WebhookDeliveryHandler(persistence: persistence, httpClient: .shared)], logger: logger))
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
    RealtimeRoutes(hub: kefu.hub).addAgentSocket(to: api.group("realtime").add(middleware: AgentAuthenticator(credentials: kefu.credentials, acceptsQueryToken: true)))

    WebRoutes(services: kefu).addRoutes(to: router)

    let widget = router.group("widget/v1")
    WidgetController(services: kefu).addPublicRoutes(to: widget)
    WidgetController(services: kefu).addRoutes(to: widget.group().add(middleware: VisitorAuthenticator(tokens: kefu.visitorTokens)))
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
