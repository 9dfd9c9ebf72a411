import Foundation

/// The small YAML subset article files use: `key: value` lines and one level of `- item`
/// lists between two `---` lines, then the Markdown body. Values that would not read back
/// as written are double-quoted with JSON escapes.
struct FrontMatter: Equatable, Sendable {
    var fields: [String: String] = [:]
    var lists: [String: [String]] = [:]
    var body: String = ""

    struct ParseError: Error, Equatable, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func parse(_ text: String, listKeys: Set<String>, knownKeys: Set<String>) throws(ParseError) -> FrontMatter {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\u{FEFF}", with: "")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw ParseError("the file must start with a front matter block between two --- lines")
        }
        lines.removeFirst()
        guard let end = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ParseError("the front matter block has no closing --- line")
        }
        var result = FrontMatter()
        var currentList: String?
        for (offset, line) in lines[..<end].enumerated() {
            let number = offset + 2
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                guard let key = currentList else { throw ParseError("line \(number): a list item outside a list") }
                let item = try value(String(trimmed.dropFirst(1)).trimmingCharacters(in: .whitespaces), line: number)
                result.lists[key, default: []].append(item)
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else { throw ParseError("line \(number): expected 'key: value'") }
            let key = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
            let raw = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard knownKeys.contains(key) else {
                throw ParseError("line \(number): unknown key '\(key.prefix(40))'; known keys are " + knownKeys.sorted().joined(separator: ", "))
            }
            guard result.fields[key] == nil, result.lists[key] == nil else { throw ParseError("line \(number): '\(key)' appears twice") }
            if listKeys.contains(key) {
                guard raw.isEmpty || raw == "[]" else { throw ParseError("line \(number): '\(key)' is a list; put each item on its own '  - ' line") }
                result.lists[key] = []
                currentList = key
            } else {
                result.fields[key] = try value(raw, line: number)
                currentList = nil
            }
        }
        var body = lines[(end + 1)...].joined(separator: "\n")
        while body.hasPrefix("\n") { body.removeFirst() }
        while body.hasSuffix("\n") { body.removeLast() }
        result.body = body
        return result
    }

    private static func value(_ raw: String, line: Int) throws(ParseError) -> String {
        if raw.hasPrefix("\"") {
            guard let decoded = try? JSONDecoder().decode(String.self, from: Data(raw.utf8)) else {
                throw ParseError("line \(line): a quoted value must be one double-quoted string")
            }
            return decoded
        }
        if raw.hasPrefix("'"), raw.hasSuffix("'"), raw.count >= 2 {
            return String(raw.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return raw
    }

    /// The file text: front matter in `order`, then the body.
    func render(order: [String]) -> String {
        var lines = ["---"]
        for key in order {
            if let value = fields[key] {
                lines.append("\(key): \(Self.quoted(value))")
            } else if let items = lists[key] {
                lines.append("\(key):")
                for item in items { lines.append("  - \(Self.quoted(item))") }
            }
        }
        lines.append("---")
        lines.append("")
        return lines.joined(separator: "\n") + body + "\n"
    }

    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value == value.trimmingCharacters(in: .whitespaces)
            && !value.hasPrefix("\"") && !value.hasPrefix("'") && !value.hasPrefix("#") && !value.hasPrefix("- ") && value != "-"
            && value != "[]" && !value.unicodeScalars.contains(where: { $0.value < 0x20 })
        if plain { return value }
        return String(decoding: (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
