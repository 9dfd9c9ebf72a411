import FluentKit
import HTTPTypes
import Foundation
import HummingbirdTesting
import Logging
import Testing
@testable import KefuServer

/// Runs `body` with an open, migrated database of the desk, for tests that use the
/// knowledge base directly rather than over HTTP.
func withPersistence(_ desk: TestDesk, _ body: (Persistence) async throws -> Void) async throws {
    let persistence = try Persistence(location: desk.configuration.database, logger: Logger(label: "test.kb"))
    do {
        try await persistence.migrate()
        try await body(persistence)
    } catch {
        await persistence.shutdown()
        throw error
    }
    await persistence.shutdown()
}

extension TestClientProtocol {
    func createArticle(_ token: String, _ fields: [String: Any]) async throws -> JSON {
        let response = try await call(.post, "/api/v1/articles", token: token, json: body(fields))
        guard response.status == .created else { throw TestFailure("article not created: \(response.status) \(response.text)") }
        return response.json
    }

    /// Titles the public help-center search shows for `query`.
    func helpSearch(_ workspace: String, _ query: String, lang: String = "en") async throws -> String {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try await call(.get, "/help/\(workspace)/search?q=\(encoded)&lang=\(lang)")
        guard response.status == .ok else { throw TestFailure("search answered \(response.status)") }
        return response.text
    }
}

@Suite("Knowledge base: articles, categories and their search")
struct KnowledgeBaseTests {
    @Test("articles and categories are created, listed, filtered, edited with revisions, published and deleted")
    func crud() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@alpha.test")
                let category = try await client.call(.post, "/api/v1/categories", token: token,
                                                     json: body(["name": "Deposits", "locale": "en", "description": "Money in"]))
                #expect(category.status == .created)
                #expect(category.json["slug"].string == "deposits")
                let categoryID = category.json["id"].string!

                let article = try await client.createArticle(token, [
                    "title": "Deposit not arrived", "bodyMarkdown": "Check the **hash**.", "categoryId": categoryID,
                    "questions": ["Where is my deposit?", "Where is my deposit?", "Deposit missing"],
                ])
                let id = article["id"].string!
                #expect(article["status"].string == "draft")
                #expect(article["slug"].string == "deposit-not-arrived")
                #expect(article["locale"].string == "en")
                #expect(article["questions"].array.count == 2)
                #expect(article["url"].string == "/help/alpha/en/articles/deposit-not-arrived")

                let chinese = try await client.createArticle(token, ["title": "充值未到账", "locale": "zh-Hans", "translationOfId": id,
                                                                     "bodyMarkdown": "请查看交易哈希。"])
                #expect(chinese["translationGroup"].string == article["translationGroup"].string)
                #expect(chinese["slug"].string?.hasPrefix("article-") == true)
                let translations = try await client.call(.get, "/api/v1/articles/\(id)/translations", token: token)
                #expect(translations.json["items"].array.map { $0["id"].string } == [chinese["id"].string])

                let edited = try await client.call(.patch, "/api/v1/articles/\(id)", token: token,
                                                   json: body(["title": "Deposit has not arrived", "bodyMarkdown": "Check the hash on the explorer."]))
                #expect(edited.status == .ok)
                #expect(edited.json["title"].string == "Deposit has not arrived")
                // Questions alone are not content: no revision for them.
                _ = try await client.call(.patch, "/api/v1/articles/\(id)", token: token, json: body(["questions": ["Deposit late"]]))
                let revisions = try await client.call(.get, "/api/v1/articles/\(id)/revisions", token: token)
                #expect(revisions.json["items"].array.map { $0["title"].string } == ["Deposit has not arrived", "Deposit not arrived"])

                let published = try await client.call(.post, "/api/v1/articles/\(id)/publish", token: token)
                #expect(published.json["status"].string == "published")
                #expect(published.json["publishedAt"].string != nil)

                func listed(_ query: String) async throws -> [String] {
                    let response = try await client.call(.get, "/api/v1/articles?\(query)", token: token)
                    #expect(response.status == .ok, "\(query)")
                    return response.json["items"].array.compactMap { $0["id"].string }
                }
                #expect(try await listed("status=published") == [id])
                #expect(try await listed("status=draft") == [chinese["id"].string!])
                #expect(try await listed("locale=zh-Hans") == [chinese["id"].string!])
                #expect(try await listed("categoryId=\(categoryID)") == [id])
                #expect(try await listed("categoryId=none") == [chinese["id"].string!])
                #expect(try await listed("q=%E5%85%85%E5%80%BC") == [chinese["id"].string!])   // 充值
                #expect(try await listed("q=explorer") == [id])
                let firstPage = try await client.call(.get, "/api/v1/articles?limit=1", token: token)
                let cursor = firstPage.json["nextCursor"].string!
                #expect(try await listed("limit=1&cursor=\(cursor)").count == 1)
                #expect(try await listed("limit=1&cursor=\(cursor)") != firstPage.json["items"].array.compactMap { $0["id"].string })

                let unpublished = try await client.call(.post, "/api/v1/articles/\(id)/unpublish", token: token)
                #expect(unpublished.json["status"].string == "draft")

                let deletedCategory = try await client.call(.delete, "/api/v1/categories/\(categoryID)", token: token)
                #expect(deletedCategory.status == .noContent)
                #expect(try await client.call(.get, "/api/v1/articles/\(id)", token: token).json["categoryId"].isNull)

                #expect(try await client.call(.delete, "/api/v1/articles/\(id)", token: token).status == .noContent)
                #expect(try await client.call(.get, "/api/v1/articles/\(id)", token: token).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/articles/\(id)/revisions", token: token).status == .notFound)

                let preview = try await client.call(.post, "/api/v1/articles/preview", token: token,
                                                    json: body(["bodyMarkdown": "# Hi\n\n<script>x</script> [a](javascript:alert(1))"]))
                #expect(preview.json["html"].string == "<h2>Hi</h2>\n<p>&lt;script&gt;x&lt;/script&gt; a</p>\n")
            }
        }
    }

    @Test("bad input is a 4xx problem that names the field, and nothing is written")
    func validation() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@alpha.test")
                let zhCategory = try await client.call(.post, "/api/v1/categories", token: token,
                                                       json: body(["name": "充值", "locale": "zh-Hans"])).json["id"].string!
                let cases: [([String: Any], String)] = [
                    (["bodyMarkdown": "no title"], "title"),
                    (["title": "   "], "title"),
                    (["title": String(repeating: "x", count: 201)], "title"),
                    (["title": "A", "locale": "fr"], "locale"),
                    (["title": "A", "slug": "Not A Slug"], "slug"),
                    (["title": "A", "status": "live"], "status"),
                    (["title": "A", "questions": Array(repeating: "q", count: 21)], "questions"),
                    (["title": "A", "questions": [""]], "questions[0]"),
                    (["title": "A", "categoryId": UUID().uuidString], "categoryId"),
                    (["title": "A", "categoryId": zhCategory], "categoryId"),
                    (["title": "A", "translationOfId": UUID().uuidString], "translationOfId"),
                    (["title": "A", "bodyMarkdown": "a\u{0}b"], "bodyMarkdown"),
                ]
                for (fields, field) in cases {
                    let response = try await client.call(.post, "/api/v1/articles", token: token, json: body(fields))
                    #expect(response.status == .unprocessableContent, "\(fields)")
                    #expect(response.isProblem)
                    #expect(response.json["errors"].array.contains { $0["field"].string == field }, "\(fields): \(response.text)")
                }
                #expect(try await client.call(.get, "/api/v1/articles", token: token).json["items"].array.isEmpty)

                let malformed = try await client.call(.post, "/api/v1/articles", token: token, json: "{\"title\": 5}")
                #expect(malformed.status == .badRequest)
                #expect(malformed.isProblem)
                for query in ["status=live", "locale=de", "categoryId=x", "limit=0", "cursor=%21%21"] {
                    let response = try await client.call(.get, "/api/v1/articles?\(query)", token: token)
                    #expect(response.status == .badRequest, "\(query)")
                }

                let first = try await client.createArticle(token, ["title": "Gas fees"])
                let duplicate = try await client.call(.post, "/api/v1/articles", token: token, json: body(["title": "Gas fees"]))
                #expect(duplicate.status == .conflict)
                let sameLanguage = try await client.call(.post, "/api/v1/articles", token: token,
                                                         json: body(["title": "Gas", "translationOfId": first["id"].string!]))
                #expect(sameLanguage.status == .conflict)
                let statusByPatch = try await client.call(.patch, "/api/v1/articles/\(first["id"].string!)", token: token,
                                                          json: body(["status": "published"]))
                #expect(statusByPatch.status == .unprocessableContent)
                #expect(try await client.call(.get, "/api/v1/articles/not-an-id", token: token).status == .notFound)
                #expect(try await client.call(.post, "/api/v1/categories", token: token, json: body(["name": ""])).status == .unprocessableContent)
                #expect(try await client.call(.post, "/api/v1/categories", token: token, json: body(["name": "A", "position": -1])).status == .unprocessableContent)

                // Agents write articles; only owners and admins delete categories.
                let created = try await client.call(.post, "/api/v1/agents", token: token,
                                                    json: body(["email": "agent@alpha.test", "name": "Agent", "password": TestDesk.password, "role": "agent"]))
                #expect(created.status == .created)
                let agent = try await client.signIn("agent@alpha.test")
                #expect(try await client.call(.post, "/api/v1/articles", token: agent, json: body(["title": "By an agent"])).status == .created)
                #expect(try await client.call(.delete, "/api/v1/categories/\(zhCategory)", token: agent).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/articles").status == .unauthorized)
            }
        }
    }

    @Test("an agent of workspace A gets 404 for workspace B's articles and categories on every endpoint, and the public sees only its own")
    func isolation() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withApp(desk) { client in
                let tokenA = try await client.signIn("owner@alpha.test")
                let tokenB = try await client.signIn("owner@beta.test")
                let category = try await client.call(.post, "/api/v1/categories", token: tokenB, json: body(["name": "Beta only"])).json["id"].string!
                let article = try await client.createArticle(tokenB, ["title": "Beta secret withdrawal guide", "status": "published",
                                                                      "bodyMarkdown": "zebra", "categoryId": category])["id"].string!
                let attempts: [(HTTPRequest.Method, String, String?)] = [
                    (.get, "/api/v1/categories/\(category)", nil),
                    (.patch, "/api/v1/categories/\(category)", body(["name": "x"])),
                    (.delete, "/api/v1/categories/\(category)", nil),
                    (.get, "/api/v1/articles/\(article)", nil),
                    (.patch, "/api/v1/articles/\(article)", body(["title": "x"])),
                    (.delete, "/api/v1/articles/\(article)", nil),
                    (.get, "/api/v1/articles/\(article)/revisions", nil),
                    (.get, "/api/v1/articles/\(article)/translations", nil),
                    (.post, "/api/v1/articles/\(article)/publish", nil),
                    (.post, "/api/v1/articles/\(article)/unpublish", nil),
                ]
                for (method, path, json) in attempts {
                    let response = try await client.call(method, path, token: tokenA, json: json)
                    #expect(response.status == .notFound, "\(method) \(path) answered \(response.status)")
                    #expect(response.isProblem)
                }
                let foreignCategory = try await client.call(.post, "/api/v1/articles", token: tokenA, json: body(["title": "A", "categoryId": category]))
                #expect(foreignCategory.status == .unprocessableContent)
                let foreignTranslation = try await client.call(.post, "/api/v1/articles", token: tokenA,
                                                               json: body(["title": "A", "locale": "zh-Hans", "translationOfId": article]))
                #expect(foreignTranslation.status == .unprocessableContent)
                for path in ["/api/v1/categories", "/api/v1/articles", "/api/v1/articles?q=zebra", "/api/v1/articles?categoryId=\(category)"] {
                    let listed = try await client.call(.get, path, token: tokenA)
                    #expect(listed.status == .ok)
                    #expect(listed.json["items"].array.isEmpty, "\(path): \(listed.text)")
                }
                // B's article is untouched and still public in B's help center only.
                #expect(try await client.call(.get, "/api/v1/articles/\(article)", token: tokenB).json["title"].string == "Beta secret withdrawal guide")
                #expect(try await client.call(.get, "/help/beta/en/articles/beta-secret-withdrawal-guide").status == .ok)
                #expect(try await client.call(.get, "/help/alpha/en/articles/beta-secret-withdrawal-guide").status == .notFound)
                #expect(try await client.helpSearch("beta", "zebra").contains("Beta secret withdrawal guide"))
                #expect(try await !client.helpSearch("alpha", "zebra").contains("Beta secret"))
                let vote = try await client.call(.post, "/help/alpha/articles/\(article)/vote", json: nil,
                                                 headers: [.contentType: "application/x-www-form-urlencoded"])
                #expect(vote.status == .notFound)
            }
        }
    }

    @Test("drafts stay private, and search follows publish, edit, unpublish and delete at once")
    func publicSearchFollowsChanges() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@alpha.test")
                _ = try await client.createArticle(token, ["title": "Gas fees explained", "bodyMarkdown": "Gas is paid in ETH.", "status": "published"])
                let draft = try await client.createArticle(token, ["title": "Swap failed", "bodyMarkdown": "Slippage tolerance too low."])
                let id = draft["id"].string!
                // The first search builds the index; everything after must update it in place.
                #expect(try await client.helpSearch("alpha", "gas").contains("Gas fees explained"))
                #expect(try await !client.helpSearch("alpha", "slippage").contains("Swap failed"))
                #expect(try await client.call(.get, "/help/alpha/en/articles/swap-failed").status == .notFound)
                #expect(try await !client.call(.get, "/help/alpha").text.contains("Swap failed"))

                _ = try await client.call(.post, "/api/v1/articles/\(id)/publish", token: token)
                #expect(try await client.helpSearch("alpha", "slippage").contains("Swap failed"))
                #expect(try await client.call(.get, "/help/alpha/en/articles/swap-failed").status == .ok)
                #expect(try await client.call(.get, "/help/alpha").text.contains("Swap failed"))

                _ = try await client.call(.patch, "/api/v1/articles/\(id)", token: token, json: body(["bodyMarkdown": "Approve the token first."]))
                #expect(try await !client.helpSearch("alpha", "slippage").contains("Swap failed"))
                #expect(try await client.helpSearch("alpha", "approve").contains("Swap failed"))

                _ = try await client.call(.post, "/api/v1/articles/\(id)/unpublish", token: token)
                #expect(try await !client.helpSearch("alpha", "approve").contains("Swap failed"))

                _ = try await client.call(.post, "/api/v1/articles/\(id)/publish", token: token)
                #expect(try await client.helpSearch("alpha", "approve").contains("Swap failed"))
                _ = try await client.call(.delete, "/api/v1/articles/\(id)", token: token)
                #expect(try await !client.helpSearch("alpha", "approve").contains("Swap failed"))
            }
        }
    }

    @Test("each visitor's vote counts once")
    func votesCountOncePerVisitor() async throws {
        try await withDesk { desk in
            try await desk.workspace("Alpha", owner: "owner@alpha.test")
            try await withApp(desk) { client in
                let token = try await client.signIn("owner@alpha.test")
                let id = try await client.createArticle(token, ["title": "Gas fees", "status": "published"])["id"].string!
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                func vote(_ value: String, cookie: String? = nil) async throws -> APIResponse {
                    var headers = form
                    if let cookie { headers[.cookie] = cookie }
                    return try await client.execute(uri: "/help/alpha/articles/\(id)/vote", method: .post, headers: headers,
                                                    body: .init(string: "helpful=\(value)")).apiResponse
                }
                let first = try await vote("true")
                #expect(first.status == .seeOther)
                #expect(first.headers[.location] == "/help/alpha/en/articles/gas-fees?voted=1#feedback")
                let setCookie = try #require(first.headers[values: .setCookie].first { $0.hasPrefix("kefu_visitor=") })
                #expect(setCookie.contains("HttpOnly"))
                let cookie = String(setCookie.split(separator: ";")[0])
                #expect(try await vote("true", cookie: cookie).status == .seeOther)
                #expect(try await vote("false", cookie: cookie).status == .seeOther)
                #expect(try await vote("false").status == .seeOther)
                #expect(try await vote("maybe").status == .badRequest)

                let article = try await client.call(.get, "/api/v1/articles/\(id)", token: token).json
                #expect(article["helpfulCount"].int == 1)
                #expect(article["notHelpfulCount"].int == 1)

                let thanks = try await client.call(.get, "/help/alpha/en/articles/gas-fees?voted=1")
                #expect(thanks.text.contains("vote-thanks"))
            }
        }
    }

    @Test("the index finds the Chinese withdrawal article for a mixed query, and updates without rebuilding")
    func searchService() async throws {
        try await withDesk { desk in
            let alpha = try await desk.workspace("Alpha", owner: "owner@alpha.test")
            let beta = try await desk.workspace("Beta", owner: "owner@beta.test")
            try await withPersistence(desk) { persistence in
                try await DemoKnowledgeBase.seed(workspaceID: alpha.workspaceID, authorID: nil, persistence: persistence)
                let kb = KnowledgeBase(persistence: persistence)

                let mixed = try await kb.search(workspaceID: alpha.workspaceID, query: "USDT 提币 pending", locale: nil, limit: 3)
                let best = try #require(mixed.first)
                #expect(best.slug == "withdrawal-pending")
                #expect(best.locale == "zh-Hans")
                #expect(best.url == "/help/alpha/zh-Hans/articles/withdrawal-pending")
                #expect(best.score > best.secondScore)
                #expect(best.secondScore == mixed[1].score)
                #expect(!best.extract.isEmpty && best.extract.count <= 300)
                #expect(!best.extract.contains("**") && !best.extract.contains("##"))
                // One hit per translation group: the English twin is not a rival.
                #expect(!mixed.contains { $0.slug == "withdrawal-pending" && $0.locale == "en" })

                let english = try await kb.search(workspaceID: alpha.workspaceID, query: "my withdrawal is stuck on pending", locale: "en", limit: 3)
                #expect(english.first?.slug == "withdrawal-pending")
                #expect(english.allSatisfy { $0.locale == "en" })
                let chinese = try await kb.search(workspaceID: alpha.workspaceID, query: "助记词", locale: "zh-CN", limit: 3)
                #expect(chinese.first?.slug == "recovery-phrase-safety")
                #expect(chinese.first?.locale == "zh-Hans")
                // Nothing in the preferred language: the other one answers.
                let fallback = try await kb.search(workspaceID: alpha.workspaceID, query: "Tronscan", locale: "zh-Hans", limit: 3)
                #expect(!fallback.isEmpty)
                #expect(try await kb.search(workspaceID: beta.workspaceID, query: "USDT 提币 pending", locale: nil, limit: 3).isEmpty)

                let samples = try await kb.calibrationSamples(workspaceID: alpha.workspaceID)
                #expect(samples.contains { $0.question == "USDT 提币一直 pending" && $0.locale == "zh-Hans" })
                #expect(samples.contains { $0.question == "What are gas fees?" })
                #expect(try await kb.published(workspaceID: alpha.workspaceID, locale: "en").count == 13)
                #expect(await kb.buildCount(workspaceID: alpha.workspaceID) == 1)

                // Incremental updates: a new published article, an edit, an unpublish.
                let row = ArticleRow(workspaceID: alpha.workspaceID, title: "Staking rewards", slug: "staking-rewards",
                                     bodyMarkdown: "Rewards arrive every epoch.", locale: "en", translationGroup: UUID(), authorID: nil)
                row.status = ArticleStatus.published.rawValue
                try await row.create(on: persistence.db)
                await kb.articleSaved(row)
                #expect(try await kb.search(workspaceID: alpha.workspaceID, query: "epoch", locale: "en", limit: 1).first?.slug == "staking-rewards")
                row.bodyMarkdown = "Rewards arrive every day."
                try await row.save(on: persistence.db)
                await kb.articleSaved(row)
                #expect(try await kb.search(workspaceID: alpha.workspaceID, query: "epoch", locale: "en", limit: 1).isEmpty)
                row.status = ArticleStatus.draft.rawValue
                try await row.save(on: persistence.db)
                await kb.articleSaved(row)
                #expect(try await kb.search(workspaceID: alpha.workspaceID, query: "staking", locale: "en", limit: 1).isEmpty)
                #expect(await kb.buildCount(workspaceID: alpha.workspaceID) == 1)
            }
        }
    }
}

@Suite("Knowledge base in the API description")
struct KnowledgeBaseOpenAPITests {
    @Test("the OpenAPI document describes every knowledge-base endpoint")
    func documented() async throws {
        let routes: [(String, String)] = [
            ("get", "/api/v1/categories"), ("post", "/api/v1/categories"), ("get", "/api/v1/categories/{id}"),
            ("patch", "/api/v1/categories/{id}"), ("delete", "/api/v1/categories/{id}"),
            ("get", "/api/v1/articles"), ("post", "/api/v1/articles"), ("post", "/api/v1/articles/preview"),
            ("get", "/api/v1/articles/{id}"), ("patch", "/api/v1/articles/{id}"), ("delete", "/api/v1/articles/{id}"),
            ("get", "/api/v1/articles/{id}/revisions"), ("get", "/api/v1/articles/{id}/translations"),
            ("post", "/api/v1/articles/{id}/publish"), ("post", "/api/v1/articles/{id}/unpublish"),
        ]
        try await withDesk { desk in
            try await withApp(desk) { client in
                let document = try await client.call(.get, "/api/v1/openapi.json").json
                for (method, path) in routes {
                    #expect(!document["paths"][path][method].isNull, "\(method.uppercased()) \(path) is not in the OpenAPI document")
                }
            }
        }
    }
}

extension TestResponse {
    var apiResponse: APIResponse { APIResponse(status: status, headers: headers, text: String(buffer: body)) }
}
