import Foundation
import Hummingbird
import Prometheus

/// The desk's own Prometheus registry, served at /metrics. It is not bootstrapped into the
/// global metrics system so that several applications (tests) can live in one process.
public struct KefuMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let messagesByAuthor: [String: Counter]
    private let requestDuration: DurationHistogram
    private let responsesByClass: [Counter]
    private let commitBatchSize: ValueHistogram
    private let commitDuration: DurationHistogram

    public init() {
        var counters: [String: Counter] = [:]
        for author in ["contact", "agent", "bot", "system"] {
            counters[author] = registry.makeCounter(descriptor: .init(namespace: "kefu", metricName: "messages_stored", unitName: "total", helpText: "Messages stored, by author kind."),
                                                    labels: [("author", author)])
        }
        messagesByAuthor = counters
        let registry = self.registry
        responsesByClass = (1...5).map { family in
            registry.makeCounter(descriptor: .init(namespace: "kefu", metricName: "http_responses", unitName: "total", helpText: "HTTP responses, by status class."),
                                 labels: [("status", "\(family)xx")])
        }
        requestDuration = registry.makeDurationHistogram(
            descriptor: .init(namespace: "kefu", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request."),
            labels: [],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
        commitBatchSize = registry.makeValueHistogram(
            descriptor: .init(namespace: "kefu", metricName: "commit_batch_size", helpText: "Customers' messages committed in one transaction (group commit)."),
            buckets: [1, 2, 4, 8, 16, 32, 64])
        commitDuration = registry.makeDurationHistogram(
            descriptor: .init(namespace: "kefu", metricName: "commit_batch_duration", unitName: "seconds", helpText: "Time one group-commit transaction took."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250)])
    }

    func batchCommitted(size: Int, duration: Duration) {
        commitBatchSize.record(Double(size))
        commitDuration.record(duration)
    }

    func messageStored(author: String) { messagesByAuthor[author]?.increment() }

    func requestCompleted(status: Int, duration: Duration) {
        requestDuration.record(duration)
        responsesByClass[min(max(status / 100, 1), 5) - 1].increment()
    }

    func exposition() -> String { registry.emitToString() }
}

struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: KefuMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.requestCompleted(status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }
}
