import Foundation

/// Who sees a canned reply: only its author, the members of one team, or everyone.
public enum CannedReplyScope: String, Sendable, Codable, CaseIterable {
    case personal, team, workspace
}

/// A canned reply's body with `{{variables}}` filled from the conversation it is used in.
/// Unknown variables are refused when the reply is saved, so an agent never sends
/// "Dear {{contact.nmae}}" to a customer.
public enum CannedReplyTemplate {
    public static let variables = ["contact.name", "contact.email", "conversation.number", "agent.name", "workspace.name"]

    /// The variables a body names that the desk does not know.
    public static func unknownVariables(in body: String) -> [String] {
        names(in: body).filter { !variables.contains($0) }
    }

    /// The body with each known variable replaced by its value; one without a value (a
    /// contact who gave no name) becomes `fallback` rather than a blank in mid-sentence.
    public static func render(_ body: String, values: [String: String], fallbacks: [String: String] = [:]) -> String {
        var result = ""
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = values[name], !value.isEmpty { result += value }
            else if let fallback = fallbacks[name] { result += fallback }
            else { result += rest[open.lowerBound..<close.upperBound] }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    static func names(in body: String) -> [String] {
        var found: [String] = []
        var rest = Substring(body)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !found.contains(name) { found.append(name) }
            rest = rest[close.upperBound...]
        }
        return found
    }
}
