import HTTPTypes
import Hummingbird

/// The widget runs on customers' own sites, so its API answers every origin. Visitors
/// authenticate with a bearer token, never a cookie, which is what makes `*` safe here.
struct WidgetCORSMiddleware: RouterMiddleware {
    typealias Context = KefuRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/widget/v1/"), !request.uri.path.hasPrefix("/widget/v1/socket") else {
            return try await next(request, context)
        }
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
