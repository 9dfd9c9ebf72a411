import Foundation
import Logging

/// The parts every controller may need, assembled once by `buildApplication`.
struct KefuServices: Sendable {
    let configuration: KefuConfiguration
    let persistence: Persistence
    let hub: any RealtimeHub
    let jobs: JobQueue
    let webhooks: WebhookDispatcher
    let hasher: PasswordHasher
    let visitorTokens: VisitorTokens
    let pipeline: ConversationPipeline
    let openConversations: OpenConversationCache
    let metrics: KefuMetrics
    let loginThrottle: LoginThrottle
    let logger: Logger

    var credentials: AgentCredentials { AgentCredentials(persistence: persistence) }
}
