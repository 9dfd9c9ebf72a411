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
    let outbox: Outbox
    let conversationChanges: ConversationChanges
    let queueDoorbell: QueueDoorbell
    let satisfaction: SatisfactionSurveys
    let recommendations: RecommendationSurveys
    let glossary: GlossaryCache
    let complaints: ComplaintDesk
    let snoozes: SnoozeAlarm
    let reports: ReportProjector
    let macros: MacroDesk
    let metrics: KefuMetrics
    let loginThrottle: LoginThrottle
    let knowledgeBase: KnowledgeBase
    let botSettings: BotSettingsCache
    let botRetrieval: BotRetrieval
    let categoryTrainer: CategoryTrainer
    let logger: Logger

    var credentials: AgentCredentials { AgentCredentials(persistence: persistence) }
    /// One cache for the pipeline and the controllers, so a change is seen at once on this node.
    var officialChannels: OfficialChannelsCache { pipeline.shield.officialChannels }
}
