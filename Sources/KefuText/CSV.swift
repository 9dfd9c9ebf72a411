/// RFC 4180 CSV: fields separated by commas, rows by LF or CRLF; a quoted
/// field may hold commas, line breaks and doubled quotes.
public enum CSV {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: LocalizedText

        public var description: String { "line \(line): \(message.en)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedFieldEnded = false
        var line = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }

        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedFieldEnded = false
        }
        func endRow() {
            endField()
            // A blank line is not a record of one empty field.
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row.removeAll(keepingCapacity: true)
        }

        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 1
                    } else {
                        inQuotes = false
                        quotedFieldEnded = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endRow()
                    line += 1
                case UInt8(ascii: "\r"):
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { break }
                    endRow()
                    line += 1
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !quotedFieldEnded else {
                        throw ParseError(line: line, message: LocalizedText(
                            en: "a quote inside an unquoted field", zhHans: "未加引号的字段中出现了引号"))
                    }
                    inQuotes = true
                default:
                    if quotedFieldEnded {
                        throw ParseError(line: line, message: LocalizedText(
                            en: "text after a closing quote", zhHans: "右引号之后还有文字"))
                    }
                    field.append(byte)
                }
            }
            i += 1
        }
        if inQuotes {
            throw ParseError(line: line, message: LocalizedText(
                en: "a quoted field is never closed", zhHans: "引号字段没有闭合"))
        }
        if !field.isEmpty || !row.isEmpty || quotedFieldEnded { endRow() }
        return rows
    }
}

/// One training or evaluation example: a text and the category an agent gave it.
public struct LabeledText: Sendable, Hashable, Codable {
    public let text: String
    public let category: String

    public init(text: String, category: String) {
        self.text = text
        self.category = category
    }

    /// Reads CSV with a header row naming the columns `text` and `category`
    /// (in any order; other columns are ignored).
    public static func parseCSV(_ csv: String) throws(CSV.ParseError) -> [LabeledText] {
        let rows = try CSV.parse(csv)
        guard let header = rows.first else {
            throw CSV.ParseError(line: 1, message: LocalizedText(en: "the file is empty", zhHans: "文件为空"))
        }
        let names = header.map { $0.trimmingSpaces().lowercased() }
        guard let textColumn = names.firstIndex(of: "text"), let categoryColumn = names.firstIndex(of: "category") else {
            throw CSV.ParseError(line: 1, message: LocalizedText(
                en: "the header must name the columns text and category",
                zhHans: "表头必须包含 text 和 category 两列"))
        }
        var examples: [LabeledText] = []
        examples.reserveCapacity(rows.count - 1)
        for (offset, row) in rows.dropFirst().enumerated() {
            guard row.count > max(textColumn, categoryColumn) else {
                throw CSV.ParseError(line: offset + 2, message: LocalizedText(
                    en: "the row has too few columns", zhHans: "该行的列数不足"))
            }
            let category = row[categoryColumn].trimmingSpaces()
            guard !category.isEmpty else { continue }
            examples.append(LabeledText(text: row[textColumn], category: category))
        }
        return examples
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
