import FluentKit
import Foundation
import Hummingbird
import NIOCore

/// An RFC 9457 problem: every error the API returns, with a `detail` a person can act on.
public struct Problem: HTTPResponseError, Sendable {
    public struct FieldError: Codable, Sendable, Equatable {
        public let field: String
        public let detail: String
    }

    public let status: HTTPResponse.Status
    public let title: String
    public let detail: String
    public var errors: [FieldError] = []

    public init(_ status: HTTPResponse.Status, _ detail: String, errors: [FieldError] = []) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.errors = errors
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String
        let errors: [FieldError]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: "about:blank", title: title, status: status.code, detail: detail,
                        instance: request.uri.path, errors: errors.isEmpty ? nil : errors)
        let data = try JSONEncoder().encode(body)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ detail: String) -> Problem { Problem(.badRequest, detail) }
    static func unauthorized(_ detail: String = "Sign in first: send a valid bearer token or session cookie.") -> Problem { Problem(.unauthorized, detail) }
    static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, detail) }
    static func notFound(_ what: String) -> Problem { Problem(.notFound, "\(what) was not found in this workspace.") }
    static func conflict(_ detail: String) -> Problem { Problem(.conflict, detail) }
    static func invalid(_ errors: [FieldError]) -> Problem {
        let summary = errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
        return Problem(.unprocessableContent, "The request has invalid fields — \(summary)", errors: errors)
    }
}

/// Turns whatever a handler threw into problem+json, so no caller ever sees an HTML or
/// empty error page, and nothing about the internals leaks from a 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let detail = error.body ?? Self.defaultDetail(for: error.status)
            var response = try Problem(error.status, detail).response(from: request, context: context)
            for field in error.headers where field.name != .contentType { response.headers.append(field) }
            return response
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two requests raced for the same unique value; the loser learns it plainly.
            context.logger.info("constraint conflict", metadata: ["path": "\(request.uri.path)"])
            _ = error
            return try Problem(.conflict, "This conflicts with a record that already exists (the same email, name or external id); reload and try again.")
                .response(from: request, context: context)
        } catch let error where DatabaseOutage.matches(error) {
            context.logger.warning("database unreachable", metadata: ["error.type": "\(type(of: error))", "path": "\(request.uri.path)"])
            var response = try Problem(.serviceUnavailable, "The desk cannot reach its database just now; nothing was lost. Try again in a few seconds.")
                .response(from: request, context: context)
            response.headers[.retryAfter] = String(DatabaseOutage.retryAfterSeconds)
            return response
        } catch let error as DecodingError {
            return try Problem(.badRequest, JSONProblem.describe(error)).response(from: request, context: context)
        } catch {
            // The type, not the message: messages can carry database values.
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))", "path": "\(request.uri.path)"])
            return try Problem(.internalServerError, "Something went wrong on our side; it has been logged.").response(from: request, context: context)
        }
    }

    static func defaultDetail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "No such endpoint. The API is described at /api/v1/openapi.json."
        case .methodNotAllowed: "This endpoint does not accept that method."
        case .contentTooLarge: "The request body is too large."
        default: status.reasonPhrase
        }
    }
}

enum JSONProblem {
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let names = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the body" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "Missing required field '\(key.stringValue)'\(parent)."
        case .typeMismatch(let type, let context):
            return "Field '\(path(context.codingPath))' has the wrong type; expected \(describe(type))."
        case .valueNotFound(let type, let context):
            return "Field '\(path(context.codingPath))' must not be null; expected \(describe(type))."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The body is not valid JSON." }
            return "Field '\(path(context.codingPath))' has an invalid value: \(context.debugDescription)"
        @unknown default:
            return "The body could not be read as JSON."
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}
