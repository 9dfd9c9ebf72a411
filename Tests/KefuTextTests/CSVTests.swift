import Testing
@testable import KefuText

@Suite struct CSVTests {
    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let csv = "text,category\n\"Hello, world\",greeting\n\"She said \"\"hi\"\"\",quote\n\"two\nlines\",multi\r\nplain,simple\n"
        let rows = try CSV.parse(csv)
        #expect(rows == [
            ["text", "category"],
            ["Hello, world", "greeting"],
            ["She said \"hi\"", "quote"],
            ["two\nlines", "multi"],
            ["plain", "simple"],
        ])
    }

    @Test func emptyFieldsBlankLinesAndNoFinalNewline() throws {
        #expect(try CSV.parse("a,,c\n\n\"\",x") == [["a", "", "c"], ["", "x"]])
    }

    @Test func byteOrderMarkAndChinese() throws {
        let examples = try LabeledText.parseCSV("\u{FEFF}text,category\n\"提币，一直没到账\",withdrawal\n")
        #expect(examples == [LabeledText(text: "提币，一直没到账", category: "withdrawal")])
    }

    @Test func columnsInAnyOrder() throws {
        let examples = try LabeledText.parseCSV("id,category,text\n1,card,\"card, late\"\n")
        #expect(examples == [LabeledText(text: "card, late", category: "card")])
    }

    @Test func malformedInputIsAnError() {
        #expect(throws: CSV.ParseError.self) { try CSV.parse("\"never closed,x\n") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a\"b,c\n") }
        #expect(throws: CSV.ParseError.self) { try LabeledText.parseCSV("words,label\nx,y\n") }
        #expect(throws: CSV.ParseError.self) { try LabeledText.parseCSV("text,category\nonly-one-field\n") }
    }
}
