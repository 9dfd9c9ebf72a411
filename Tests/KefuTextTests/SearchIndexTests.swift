import Testing
@testable import KefuText

@Suite struct SearchIndexTests {
    static func sampleIndex() -> SearchIndex {
        var index = SearchIndex()
        index.upsert(id: "withdraw-pending", title: "Why is my withdrawal pending?",
                     body: "Withdrawals of USDT on TRC20 need network confirmations. A pending withdrawal usually completes within 30 minutes.")
        index.upsert(id: "deposit-missing", title: "My deposit has not arrived",
                     body: "Check the transaction hash on the explorer and make sure you used the right network for the deposit.")
        index.upsert(id: "reset-2fa", title: "Reset two-factor authentication",
                     body: "If you lost your authenticator, start a 2FA reset from the login page and verify your identity.")
        index.upsert(id: "zh-withdraw", title: "提币一直处于待处理状态怎么办",
                     body: "USDT 提币需要区块确认，通常三十分钟内到账。如果超过两小时仍未到账，请联系客服。",
                     locale: "zh-Hans")
        index.upsert(id: "zh-deposit", title: "充值未到账",
                     body: "请在区块浏览器中查询交易哈希，并确认充值时选择了正确的网络。", locale: "zh-Hans")
        index.upsert(id: "zh-phishing", title: "如何识别钓鱼网站和假客服",
                     body: "官方客服不会索要助记词或私钥。任何要求你提供助记词的人都是骗子。", locale: "zh-Hans")
        return index
    }

    @Test(arguments: [
        ("withdrawal pending", "withdraw-pending"),
        ("deposit not arrived", "deposit-missing"),
        ("lost authenticator 2fa", "reset-2fa"),
        ("充值没到账", "zh-deposit"),
        ("假客服要助记词", "zh-phishing"),
        ("钓", "zh-phishing"),
    ])
    func ranksTheRightArticleFirst(query: String, expected: String) {
        #expect(Self.sampleIndex().search(query).first?.id == expected)
    }

    @Test func mixedQueryFindsBothLanguagesAndKeepsToOneOnRequest() {
        let index = Self.sampleIndex()
        let everywhere = index.search("USDT 提币 pending").map(\.id)
        #expect(Set(everywhere.prefix(2)) == ["withdraw-pending", "zh-withdraw"])
        #expect(index.search("USDT 提币 pending", locale: "zh-Hans").first?.id == "zh-withdraw")
        #expect(index.search("USDT 提币 pending", locale: "zh-Hans").allSatisfy { $0.id.hasPrefix("zh-") })
    }

    @Test func titleMatchOutranksTheSameWordInABody() {
        var index = SearchIndex()
        index.upsert(id: "body", title: "Account limits", body: "Limits on staking rewards and other things for your account.")
        index.upsert(id: "title", title: "Staking rewards", body: "How we pay out and when, for your account.")
        #expect(index.search("staking").map(\.id) == ["title", "body"])
    }

    @Test func updateReplacesTheOldText() {
        var index = Self.sampleIndex()
        index.upsert(id: "reset-2fa", title: "Change your email address", body: "Open settings and edit the email.")
        #expect(index.search("authenticator").isEmpty)
        #expect(index.search("email address").first?.id == "reset-2fa")
        #expect(index.count == 6)
    }

    @Test func removeTakesEffect() {
        var index = Self.sampleIndex()
        index.remove(id: "zh-deposit")
        #expect(!index.search("充值").contains { $0.id == "zh-deposit" })
        #expect(index.count == 5)
        #expect(!index.contains(id: "zh-deposit"))
        index.upsert(id: "new", title: "充值", body: "到账")
        #expect(index.search("充值").first?.id == "new")
    }

    @Test func limitAndScoresAreOrdered() {
        let hits = Self.sampleIndex().search("withdrawal deposit network", limit: 2)
        #expect(hits.count == 2)
        #expect(hits[0].score >= hits[1].score)
    }

    @Test func unknownWordsFindNothing() {
        #expect(Self.sampleIndex().search("xylophone").isEmpty)
        #expect(SearchIndex().search("anything").isEmpty)
    }
}
