import Foundation
import Logging

/// 6. publish: after the commit, the outbox's events go to this node's sockets and, on
/// PostgreSQL, to every other node; webhooks are already queued. A node that dies before
/// this leaves the rows behind, and the outbox relay publishes them again.
struct PublishStep: Sendable {
    let hub: any RealtimeHub
    let outbox: Outbox
    let metrics: KefuMetrics
    var queueDoorbell: QueueDoorbell? = nil

    func committed(_ committed: Committed) async {
        for event in committed.announcements { await hub.publish(event) }
        outbox.markPublished(committed.announcements)
        for message in committed.messages { metrics.messageStored(author: message.authorKind.rawValue) }
        if committed.freedCapacity { queueDoorbell?.ring() }
    }
}
