import HTTPTypes
import Foundation
import HummingbirdTesting
import Testing
@testable import KefuServer

@Suite("Health, readiness, metrics and the API description")
struct SystemTests {
    @Test("health and readiness answer, and metrics count requests in Prometheus format")
    func probes() async throws {
        try await withDesk { desk in
            try await withApp(desk) { client in
                #expect(try await client.call(.get, "/health").json["status"].string == "ok")
                #expect(try await client.call(.get, "/ready").json["status"].string == "ready")
                _ = try await client.call(.get, "/api/v1/conversations")
                let metrics = try await client.call(.get, "/metrics")
                #expect(metrics.status == .ok)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(metrics.text.contains("kefu_http_responses_total{status=\"4xx\"}"))
                #expect(metrics.text.contains("kefu_http_request_duration_seconds_bucket"))
                // What an operator's dashboard watches: nothing open yet, nobody waiting.
                #expect(metrics.text.contains("kefu_conversations_open 0"), "\(metrics.text)")
                #expect(metrics.text.contains("kefu_queue_length 0") && metrics.text.contains("# TYPE kefu_queue_oldest_wait_seconds gauge"))
            }
        }
    }

    /// Every route the desk serves; the OpenAPI document must describe each one.
    static let routes: [(String, String)] = [
        ("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/logout"), ("get", "/api/v1/auth/me"),
        ("get", "/api/v1/tokens"), ("post", "/api/v1/tokens"), ("delete", "/api/v1/tokens/{id}"),
        ("get", "/api/v1/agents"), ("post", "/api/v1/agents"), ("get", "/api/v1/agents/{id}"), ("patch", "/api/v1/agents/{id}"),
        ("get", "/api/v1/teams"), ("post", "/api/v1/teams"), ("get", "/api/v1/teams/{id}"), ("patch", "/api/v1/teams/{id}"),
        ("get", "/api/v1/inboxes"), ("post", "/api/v1/inboxes"), ("get", "/api/v1/inboxes/{id}"), ("patch", "/api/v1/inboxes/{id}"),
        ("post", "/api/v1/inboxes/{id}/messages"),
        ("get", "/api/v1/contacts"), ("post", "/api/v1/contacts"), ("get", "/api/v1/contacts/{id}"), ("patch", "/api/v1/contacts/{id}"),
        ("get", "/api/v1/conversations"), ("get", "/api/v1/conversations/{id}"), ("patch", "/api/v1/conversations/{id}"),
        ("get", "/api/v1/conversations/{id}/messages"), ("post", "/api/v1/conversations/{id}/messages"),
        ("get", "/api/v1/conversations/{id}/events"), ("get", "/api/v1/search/conversations"),
        ("get", "/api/v1/webhooks"), ("post", "/api/v1/webhooks"), ("delete", "/api/v1/webhooks/{id}"),
        ("get", "/api/v1/webhooks/{id}/deliveries"),
        ("get", "/api/v1/official-channels"), ("post", "/api/v1/official-channels"), ("delete", "/api/v1/official-channels/{id}"),
        ("get", "/api/v1/public/{workspaceSlug}/verify"), ("get", "/widget/v1/wordlists/english.txt"),
        ("get", "/api/v1/realtime"),
        ("get", "/api/v1/schedules"), ("post", "/api/v1/schedules"), ("get", "/api/v1/schedules/{id}"), ("patch", "/api/v1/schedules/{id}"),
        ("delete", "/api/v1/schedules/{id}"), ("post", "/api/v1/schedules/{id}/holidays"),
        ("get", "/api/v1/sla-policies"), ("post", "/api/v1/sla-policies"), ("get", "/api/v1/sla-policies/{id}"), ("patch", "/api/v1/sla-policies/{id}"),
        ("delete", "/api/v1/sla-policies/{id}"), ("get", "/api/v1/conversations/{id}/sla"),
        ("get", "/api/v1/routing"), ("patch", "/api/v1/routing"), ("get", "/api/v1/routing/queue"),
        ("post", "/widget/v1/sessions"), ("get", "/widget/v1/status"), ("post", "/widget/v1/messages"), ("get", "/widget/v1/messages"), ("patch", "/widget/v1/contact"), ("get", "/widget/v1/socket"),
        ("get", "/api/v1/macros"), ("post", "/api/v1/macros"), ("patch", "/api/v1/macros/{id}"), ("delete", "/api/v1/macros/{id}"),
        ("post", "/api/v1/macros/{id}/preview"), ("post", "/api/v1/macros/{id}/apply"),
        ("get", "/api/v1/nps"), ("get", "/widget/v1/nps"), ("post", "/widget/v1/nps"),
        ("get", "/api/v1/reports/overview"), ("get", "/api/v1/reports/agents"), ("get", "/api/v1/reports/bot"),
        ("get", "/api/v1/reports/conversations"), ("get", "/api/v1/reports/sla"), ("get", "/api/v1/reports/csat"), ("get", "/api/v1/reports/complaints"),
        ("get", "/api/v1/reports/value"), ("get", "/api/v1/value-settings"), ("patch", "/api/v1/value-settings"),
        ("get", "/health"), ("get", "/ready"), ("get", "/metrics"), ("get", "/api/v1/openapi.json"),
    ]

    @Test("the OpenAPI 3.1 document describes every route the desk serves")
    func openAPICoversEveryRoute() async throws {
        try await withDesk { desk in
            try await withApp(desk) { client in
                let document = try await client.call(.get, "/api/v1/openapi.json")
                #expect(document.status == .ok)
                #expect(document.json["openapi"].string == "3.1.0")
                for (method, path) in Self.routes {
                    #expect(!document.json["paths"][path][method].isNull, "\(method.uppercased()) \(path) is not in the OpenAPI document")
                }
            }
        }
    }
}
