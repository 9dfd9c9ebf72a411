import Foundation

/// The files this library ships: the BIP-39 wordlists and the list of common Chinese words.
struct BundledResources: Sendable {
    func words(of list: Wordlist) -> [String] {
        lines(folder: "wordlists", file: list.rawValue)
    }

    func commonChineseWords() -> [String] {
        lines(folder: "chinese", file: "common_words")
    }

    private func lines(folder: String, file: String) -> [String] {
        guard let url = Bundle.module.url(forResource: file, withExtension: "txt", subdirectory: folder)
            ?? Bundle.module.resourceURL?.appendingPathComponent(folder).appendingPathComponent("\(file).txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            preconditionFailure("KefuShield resource \(folder)/\(file).txt is missing from the bundle")
        }
        // Split on scalars, not characters: these files are plain lines, and this runs once per process.
        return text.unicodeScalars
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == " " || $0 == "\t" })
            .map { String(String.UnicodeScalarView($0)) }
    }
}
