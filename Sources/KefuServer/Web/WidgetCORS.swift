import HTTPTypes
import Hummingbird

/// The widget runs on customers' own sites, so its API answers every origin. Visitors
/// authenticate with a bearer token, never a cookie, which is what makes `*` safe here.
struct WidgetCORSMiddleware: RouterMiddleware {
    typealias Context = KefuRequestContext

    /// Preflight requests need a route to land on; the middleware answers them.
    static let preflightPaths = ["sessions", "messages", "status", "contact", "survey", "complaints", "complaints/:id/link"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options {
            return Response(status: .noContent, headers: [
                .accessControlAllowOrigin: "*",
                .accessControlAllowMethods: "GET, POST, PATCH, OPTIONS",
                .accessControlAllowHeaders: "authorization, content-type, accept",
                .accessControlMaxAge: "600",
            ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
}
