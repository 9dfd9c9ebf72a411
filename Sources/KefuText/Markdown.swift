import Foundation

/// A small, safe Markdown dialect for help-center articles: headings, paragraphs,
/// emphasis, inline code and code blocks, lists, blockquotes, rules and links.
///
/// Articles are written by agents but read by the public, so the renderer trusts
/// nothing: every character of the source is escaped, raw HTML is shown as text,
/// and a link keeps its target only when it is http, https, mailto or a path on
/// this site. Images become plain links because the pages never load third-party
/// content.
public enum Markdown {
    /// The article as HTML, safe to place inside a page without further escaping.
    public static func html(_ source: String) -> String {
        var output = ""
        for block in Parser.blocks(lines(source)) { renderHTML(block, into: &output) }
        return output
    }

    /// The article as plain text, one block per line: for search, extracts and previews.
    public static func plainText(_ source: String) -> String {
        var lines: [String] = []
        for block in Parser.blocks(Self.lines(source)) { renderPlain(block, into: &lines) }
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The first heading of the source, if it starts with one; import uses it as a fallback title.
    public static func firstHeading(_ source: String) -> String? {
        guard case .heading(_, let inline)? = Parser.blocks(lines(source)).first else { return nil }
        return plain(Inline.parse(inline))
    }

    /// Escapes text for HTML element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The link target to keep, or nil when it could run script or leave the allowed schemes.
    public static func safeURL(_ raw: String) -> String? {
        let url = raw.trimmingCharacters(in: .whitespaces)
        guard !url.isEmpty, url.count <= 2000,
              !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " || $0 == "\\" }) else { return nil }
        if url.hasPrefix("#") { return url }
        if url.hasPrefix("/") { return url.hasPrefix("//") ? nil : url }
        let lower = url.lowercased()
        for scheme in ["https://", "http://", "mailto:"] where lower.hasPrefix(scheme) && lower.count > scheme.count {
            return url
        }
        return nil
    }

    // MARK: - Blocks

    enum Block: Equatable {
        case heading(Int, String)
        case paragraph(String)
        case code(String)
        case list(ordered: Bool, items: [[Block]])
        case quote([Block])
        case rule
    }

    static func lines(_ source: String) -> [String] {
        source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    enum Parser {
        /// Nesting deeper than this is shown flat: it keeps hostile input from recursing without bound.
        static let maxDepth = 8

        static func blocks(_ lines: [String], depth: Int = 0) -> [Block] {
            var blocks: [Block] = []
            var paragraph: [String] = []
            var index = 0

            func flushParagraph() {
                if !paragraph.isEmpty {
                    blocks.append(.paragraph(paragraph.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")))
                    paragraph = []
                }
            }

            while index < lines.count {
                let line = lines[index]
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty {
                    flushParagraph()
                    index += 1
                    continue
                }
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    flushParagraph()
                    let fence = String(trimmed.prefix(3))
                    var code: [String] = []
                    index += 1
                    while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(fence) {
                        code.append(lines[index])
                        index += 1
                    }
                    index += 1
                    blocks.append(.code(code.joined(separator: "\n")))
                    continue
                }
                if let heading = heading(trimmed) {
                    flushParagraph()
                    blocks.append(heading)
                    index += 1
                    continue
                }
                if isRule(trimmed) {
                    flushParagraph()
                    blocks.append(.rule)
                    index += 1
                    continue
                }
                if trimmed.hasPrefix(">") {
                    flushParagraph()
                    var inner: [String] = []
                    while index < lines.count {
                        let quoted = lines[index].trimmingCharacters(in: .whitespaces)
                        guard quoted.hasPrefix(">") else { break }
                        var rest = quoted.dropFirst()
                        if rest.hasPrefix(" ") { rest = rest.dropFirst() }
                        inner.append(String(rest))
                        index += 1
                    }
                    blocks.append(depth < maxDepth ? .quote(self.blocks(inner, depth: depth + 1)) : .paragraph(inner.joined(separator: "\n")))
                    continue
                }
                if let marker = listMarker(line), paragraph.isEmpty || marker.indent == 0 {
                    flushParagraph()
                    var items: [[String]] = []
                    let ordered = marker.ordered
                    while index < lines.count {
                        let current = lines[index]
                        let currentTrimmed = current.trimmingCharacters(in: .whitespaces)
                        if let next = listMarker(current), next.ordered == ordered, next.indent <= marker.indent + 1 {
                            items.append([next.content])
                            index += 1
                        } else if currentTrimmed.isEmpty {
                            // A blank line ends the list unless an indented continuation follows.
                            if index + 1 < lines.count, leadingSpaces(lines[index + 1]) >= 2, !items.isEmpty {
                                items[items.count - 1].append("")
                                index += 1
                            } else {
                                break
                            }
                        } else if !items.isEmpty, leadingSpaces(current) >= 2 || (listMarker(current) == nil && !isBlockStart(currentTrimmed)) {
                            items[items.count - 1].append(String(current.dropFirst(min(leadingSpaces(current), marker.contentIndent))))
                            index += 1
                        } else {
                            break
                        }
                    }
                    let parsed = items.map { item in
                        depth < maxDepth ? self.blocks(item, depth: depth + 1) : [.paragraph(item.joined(separator: "\n"))]
                    }
                    blocks.append(.list(ordered: ordered, items: parsed))
                    continue
                }
                paragraph.append(line)
                index += 1
            }
            flushParagraph()
            return blocks
        }

        static func heading(_ trimmed: String) -> Block? {
            let hashes = trimmed.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes) else { return nil }
            let rest = trimmed.dropFirst(hashes)
            guard rest.isEmpty || rest.hasPrefix(" ") else { return nil }
            var text = rest.trimmingCharacters(in: .whitespaces)
            while text.hasSuffix("#") { text.removeLast() }
            return .heading(hashes, text.trimmingCharacters(in: .whitespaces))
        }

        static func isRule(_ trimmed: String) -> Bool {
            let compact = trimmed.filter { $0 != " " }
            guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
            return compact.allSatisfy { $0 == first }
        }

        static func isBlockStart(_ trimmed: String) -> Bool {
            trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") || trimmed.hasPrefix(">") || heading(trimmed) != nil || isRule(trimmed)
        }

        struct ListMarker: Equatable {
            let ordered: Bool
            let indent: Int
            let contentIndent: Int
            let content: String
        }

        static func leadingSpaces(_ line: String) -> Int { line.prefix { $0 == " " }.count }

        static func listMarker(_ line: String) -> ListMarker? {
            let indent = leadingSpaces(line)
            guard indent < 4 else { return nil }
            let rest = line.dropFirst(indent)
            if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
                return ListMarker(ordered: false, indent: indent, contentIndent: indent + 2,
                                  content: rest.dropFirst(2).trimmingCharacters(in: .whitespaces))
            }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count) else { return nil }
            let afterDigits = rest.dropFirst(digits.count)
            guard let dot = afterDigits.first, dot == "." || dot == ")", afterDigits.dropFirst().first == " " else { return nil }
            return ListMarker(ordered: true, indent: indent, contentIndent: indent + digits.count + 2,
                              content: afterDigits.dropFirst(2).trimmingCharacters(in: .whitespaces))
        }
    }

    // MARK: - Inline

    indirect enum Inline: Equatable {
        case text(String)
        case code(String)
        case emphasis([Inline])
        case strong([Inline])
        case link([Inline], url: String?)
        case lineBreak

        static func parse(_ text: String, depth: Int = 0) -> [Inline] {
            let characters = Array(text)
            var nodes: [Inline] = []
            var buffer = ""
            var index = 0

            func flush() {
                if !buffer.isEmpty { nodes.append(.text(buffer)); buffer = "" }
            }
            func find(_ target: [Character], from start: Int) -> Int? {
                guard target.count > 0, start + target.count <= characters.count else { return nil }
                var position = start
                while position + target.count <= characters.count {
                    var matches = true
                    for offset in 0..<target.count where characters[position + offset] != target[offset] { matches = false; break }
                    if matches { return position }
                    position += 1
                }
                return nil
            }

            while index < characters.count {
                let character = characters[index]
                if character == "\\", index + 1 < characters.count, "\\`*_[]()#+-.!>".contains(characters[index + 1]) {
                    buffer.append(characters[index + 1])
                    index += 2
                    continue
                }
                if character == "\n" {
                    flush()
                    nodes.append(.lineBreak)
                    index += 1
                    continue
                }
                if character == "`", let close = find(["`"], from: index + 1) {
                    flush()
                    nodes.append(.code(String(characters[(index + 1)..<close])))
                    index = close + 1
                    continue
                }
                if depth < 6, character == "*" || character == "_" {
                    let double = index + 1 < characters.count && characters[index + 1] == character
                    let marker: [Character] = double ? [character, character] : [character]
                    let start = index + marker.count
                    if start < characters.count, characters[start] != " ",
                       let close = find(marker, from: start + 1), characters[close - 1] != " ",
                       character == "*" || isBoundary(characters, before: index, after: close + marker.count) {
                        flush()
                        let inner = parse(String(characters[start..<close]), depth: depth + 1)
                        nodes.append(double ? .strong(inner) : .emphasis(inner))
                        index = close + marker.count
                        continue
                    }
                }
                let isImage = character == "!" && index + 1 < characters.count && characters[index + 1] == "["
                if depth < 6, character == "[" || isImage {
                    let open = isImage ? index + 1 : index
                    if let closeBracket = find(["]", "("], from: open + 1), let closeParen = closingParenthesis(characters, from: closeBracket + 2),
                       !characters[(open + 1)..<closeBracket].contains("\n") {
                        flush()
                        let label = parse(String(characters[(open + 1)..<closeBracket]), depth: depth + 1)
                        var target = String(characters[(closeBracket + 2)..<closeParen]).trimmingCharacters(in: .whitespaces)
                        // A title after the address ("… \"title\"") is dropped, not kept as part of the URL.
                        if let space = target.firstIndex(of: " ") { target = String(target[..<space]) }
                        if target.hasPrefix("<"), target.hasSuffix(">") { target = String(target.dropFirst().dropLast()) }
                        nodes.append(.link(label, url: Markdown.safeURL(target)))
                        index = closeParen + 1
                        continue
                    }
                }
                buffer.append(character)
                index += 1
            }
            flush()
            return nodes
        }

        /// The `)` that closes a link target, allowing balanced parentheses inside it as
        /// Wikipedia-style addresses have them.
        private static func closingParenthesis(_ characters: [Character], from start: Int) -> Int? {
            var depth = 0
            var position = start
            while position < characters.count {
                switch characters[position] {
                case "(": depth += 1
                case ")":
                    if depth == 0 { return position }
                    depth -= 1
                case "\n": return nil
                default: break
                }
                position += 1
            }
            return nil
        }

        /// Underscores inside words (snake_case, file_names) stay literal.
        private static func isBoundary(_ characters: [Character], before: Int, after: Int) -> Bool {
            func isWord(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }
            let left = before == 0 || !isWord(characters[before - 1])
            let right = after >= characters.count || !isWord(characters[after])
            return left && right
        }
    }

    // MARK: - Rendering

    private static func renderHTML(_ block: Block, into output: inout String) {
        switch block {
        case .heading(let level, let text):
            // Level 1 belongs to the page's own title, so article headings start at h2.
            let tag = "h\(min(level + 1, 6))"
            output += "<\(tag)>\(html(Inline.parse(text)))</\(tag)>\n"
        case .paragraph(let text):
            output += "<p>\(html(Inline.parse(text)))</p>\n"
        case .code(let code):
            output += "<pre><code>\(escape(code))</code></pre>\n"
        case .list(let ordered, let items):
            output += ordered ? "<ol>\n" : "<ul>\n"
            for item in items {
                output += "<li>"
                // A one-paragraph item renders tight, without a <p> around its text.
                if item.count == 1, case .paragraph(let text) = item[0] {
                    output += html(Inline.parse(text))
                } else {
                    for inner in item { renderHTML(inner, into: &output) }
                }
                output += "</li>\n"
            }
            output += ordered ? "</ol>\n" : "</ul>\n"
        case .quote(let blocks):
            output += "<blockquote>\n"
            for inner in blocks { renderHTML(inner, into: &output) }
            output += "</blockquote>\n"
        case .rule:
            output += "<hr>\n"
        }
    }

    private static func html(_ nodes: [Inline]) -> String {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text): output += escape(text)
            case .code(let code): output += "<code>\(escape(code))</code>"
            case .emphasis(let inner): output += "<em>\(html(inner))</em>"
            case .strong(let inner): output += "<strong>\(html(inner))</strong>"
            case .lineBreak: output += "\n"
            case .link(let label, let url):
                if let url {
                    let external = !url.hasPrefix("/") && !url.hasPrefix("#")
                    output += "<a href=\"\(escape(url))\"\(external ? " rel=\"nofollow noopener noreferrer\"" : "")>\(html(label))</a>"
                } else {
                    output += html(label)
                }
            }
        }
        return output
    }

    private static func renderPlain(_ block: Block, into lines: inout [String]) {
        switch block {
        case .heading(_, let text), .paragraph(let text): lines.append(plain(Inline.parse(text)))
        case .code(let code): lines.append(code)
        case .list(_, let items): for item in items { for inner in item { renderPlain(inner, into: &lines) } }
        case .quote(let blocks): for inner in blocks { renderPlain(inner, into: &lines) }
        case .rule: break
        }
    }

    static func plain(_ nodes: [Inline]) -> String {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text), .code(let text): output += text
            case .emphasis(let inner), .strong(let inner), .link(let inner, _): output += plain(inner)
            case .lineBreak: output += " "
            }
        }
        return output
    }
}
