import FluentKit
import Foundation
import Testing
@testable import KefuServer

@Suite("kefu kb import and export")
struct KnowledgeBaseTransferTests {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func files(_ folder: URL) throws -> [String: String] {
        var contents: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            contents[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return contents
    }

    @Test("importing the demo folder creates every article once; export and import round-trip exactly")
    func roundTrip() async throws {
        try await withDesk { desk in
            let alpha = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            let beta = try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withPersistence(desk) { persistence in
                let transfer = KnowledgeBaseTransfer(persistence: persistence)
                let demo = try #require(DemoKnowledgeBase.folder)
                let first = try await transfer.importDirectory(demo, workspaceID: alpha.workspaceID)
                #expect(first.invalid == [])
                #expect(first.created == 26)
                #expect(first.categoriesCreated == 6)
                let again = try await transfer.importDirectory(demo, workspaceID: alpha.workspaceID)
                #expect(again.created == 0 && again.updated == 0 && again.unchanged == 26 && again.categoriesCreated == 0)
                #expect(try await ArticleRevisionRow.query(on: persistence.db).filter(\.$workspaceID == alpha.workspaceID).count() == 26)

                let exported = try temporaryFolder()
                defer { try? FileManager.default.removeItem(at: exported) }
                #expect(try await transfer.exportDirectory(exported, workspaceID: alpha.workspaceID) == 26)
                let same = try await transfer.importDirectory(exported, workspaceID: alpha.workspaceID)
                #expect(same.unchanged == 26 && same.created == 0 && same.updated == 0)

                let copied = try await transfer.importDirectory(exported, workspaceID: beta.workspaceID)
                #expect(copied.created == 26)
                let reExported = try temporaryFolder()
                defer { try? FileManager.default.removeItem(at: reExported) }
                _ = try await transfer.exportDirectory(reExported, workspaceID: beta.workspaceID)
                #expect(try files(exported) == files(reExported))

                let groups = try await ArticleRow.query(on: persistence.db).filter(\.$workspaceID == alpha.workspaceID)
                    .filter(\.$slug == "gas-fees").all().map(\.translationGroup)
                #expect(groups.count == 2 && Set(groups).count == 1)

                // An edited file updates its article and records a revision.
                let gas = exported.appendingPathComponent("gas-fees.en.md")
                let text = try String(contentsOf: gas, encoding: .utf8).replacingOccurrences(of: "title: What are gas fees?", with: "title: Gas fees, explained")
                try Data(text.utf8).write(to: gas)
                let edited = try await transfer.importDirectory(exported, workspaceID: alpha.workspaceID)
                #expect(edited.updated == 1 && edited.unchanged == 25)
                #expect(try await ArticleRevisionRow.query(on: persistence.db).filter(\.$workspaceID == alpha.workspaceID).count() == 27)
            }
        }
    }

    @Test("a folder with an invalid file writes nothing and names each problem")
    func invalidFolder() async throws {
        try await withDesk { desk in
            let alpha = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withPersistence(desk) { persistence in
                let folder = try temporaryFolder()
                defer { try? FileManager.default.removeItem(at: folder) }
                let good = "---\ntitle: Good\nslug: good\nlocale: en\ncategory: General\nstatus: published\nquestions:\n  - Is it good?\n---\nBody.\n"
                try Data(good.utf8).write(to: folder.appendingPathComponent("good.md"))
                try Data("no front matter".utf8).write(to: folder.appendingPathComponent("bare.md"))
                try Data("---\ntitle: X\nlocale: fr\n---\nx".utf8).write(to: folder.appendingPathComponent("french.md"))
                try Data("---\ntitle: X\nlocale: en\nmood: happy\n---\nx".utf8).write(to: folder.appendingPathComponent("unknown.md"))
                try Data("---\ntitle: Again\nslug: good\nlocale: en\n---\nx".utf8).write(to: folder.appendingPathComponent("twin.md"))
                let report = try await KnowledgeBaseTransfer(persistence: persistence).importDirectory(folder, workspaceID: alpha.workspaceID)
                #expect(report.created == 0)
                #expect(Set(report.invalid.map(\.file)) == ["bare.md", "french.md", "unknown.md", "twin.md"])
                #expect(report.invalid.first { $0.file == "french.md" }?.reason.contains("locale") == true)
                #expect(report.invalid.first { $0.file == "unknown.md" }?.reason.contains("mood") == true)
                #expect(try await ArticleRow.query(on: persistence.db).count() == 0)
                #expect(try await CategoryRow.query(on: persistence.db).count() == 0)
            }
        }
    }

    @Test("front matter values that need quoting read back as written")
    func frontMatterQuoting() throws {
        let file = ArticleFile(name: "x.md", title: "\"Quoted\": #1 - yes", slug: "x", locale: .zhHans, category: "  spaced  ",
                               status: .draft, translation: "x", questions: ["- dash", "'single'", "普通问题"], body: "# Body\n\ntext")
        let parsed = try ArticleFile.parse(name: "x.md", text: file.render())
        #expect(parsed == file)
    }
}
