import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Reads a JSON body of bounded size and decodes it, turning every failure into a
    /// 4xx problem that names the field at fault.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem(.contentTooLarge, "The request body is larger than \(context.maxUploadSize / 1024) KiB.")
        }
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("The request needs a JSON body.") }
        do {
            return try JSONDecoder().decode(T.self, from: buffer)
        } catch let error as DecodingError {
            throw Problem.badRequest(JSONProblem.describe(error))
        }
    }
}

extension Request {
    /// A text query parameter, refused when it could not be a stored value.
    func queryText(_ name: String, max: Int) throws -> String? {
        guard let raw = uri.formParameters[Substring(name)] else { return nil }
        let value = String(raw)
        if value.isEmpty { return nil }
        guard value.count <= max, !value.contains("\u{0}") else {
            throw Problem.badRequest("\(name) must be at most \(max) characters of text.")
        }
        return value
    }
}

extension RequestContext {
    func uuidParameter(_ name: String, what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw Problem.notFound(what) }
        return id
    }
}

/// Collects field errors so a client learns about all of them in one response.
struct Validation {
    private(set) var errors: [Problem.FieldError] = []

    mutating func fail(_ field: String, _ detail: String) { errors.append(.init(field: field, detail: detail)) }

    mutating func text(_ value: String?, field: String, max: Int, required: Bool = false) -> String? {
        guard let raw = value else {
            if required { fail(field, "is required") }
            return nil
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { fail(field, "must not be empty") }
            return nil
        }
        if trimmed.count > max { fail(field, "must be at most \(max) characters"); return nil }
        if trimmed.unicodeScalars.contains(where: { $0.value == 0 }) { fail(field, "must not contain NUL characters"); return nil }
        return trimmed
    }

    mutating func email(_ value: String?, field: String, required: Bool = false) -> String? {
        guard let email = text(value, field: field, max: 320, required: required) else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace }) else {
            fail(field, "must be an email address such as name@example.com")
            return nil
        }
        return email.lowercased()
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ value: String?, as type: E.Type, field: String) -> E? where E.RawValue == String {
        guard let value else { return nil }
        guard let parsed = E(rawValue: value) else {
            fail(field, "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return parsed
    }

    func check() throws {
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}
