import Testing
@testable import KefuCore

@Suite("Routing policy")
struct RoutingPolicyTests {
    typealias Agent = RoutingPolicy.Agent

    static let anna = Agent(id: "anna", availability: .online, locale: "en", lastAssignedAt: 300)
    static let bo = Agent(id: "bo", availability: .online, locale: "zh-CN", lastAssignedAt: 200, teamIDs: ["deposits"])
    static let cai = Agent(id: "cai", availability: .online, locale: "zh-Hans", lastAssignedAt: 100)
    static let dora = Agent(id: "dora", availability: .away, locale: "zh-Hant", lastAssignedAt: nil, teamIDs: ["deposits"])
    static let teams = [RoutingPolicy.Team(id: "deposits", name: "Deposits")]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let category: String?
        let language: String?
        let teamID: String?
        let agents: [Agent]
        let team: String?
        let agent: String?
        let reason: RoutingPolicy.Reason?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "longest waiting online agent when no language is known", category: nil, language: nil, teamID: nil,
             agents: [anna, bo, cai, dora], team: nil, agent: "cai", reason: .roundRobin),
        Case(name: "speakers of the customer's language first, whatever the script", category: nil, language: "zh-Hant", teamID: nil,
             agents: [anna, bo, cai], team: nil, agent: "cai", reason: .roundRobinLanguage),
        Case(name: "an English customer goes to the English speaker even if others waited longer", category: nil, language: "en", teamID: nil,
             agents: [anna, bo, cai], team: nil, agent: "anna", reason: .roundRobinLanguage),
        Case(name: "nobody speaks it: anyone online", category: nil, language: "ko", teamID: nil,
             agents: [anna, bo], team: nil, agent: "bo", reason: .roundRobin),
        Case(name: "a category names a team: the team takes it and its online members come first", category: "deposits", language: "en", teamID: nil,
             agents: [anna, bo, cai, dora], team: "deposits", agent: "bo", reason: .roundRobin),
        Case(name: "a team already set is kept and not announced again", category: "deposits", language: nil, teamID: "deposits",
             agents: [anna, bo], team: nil, agent: "bo", reason: .roundRobin),
        Case(name: "a team with nobody online falls back to the inbox's online agents", category: "Deposits", language: nil, teamID: nil,
             agents: [anna, cai, dora], team: "deposits", agent: "cai", reason: .roundRobin),
        Case(name: "nobody online: the conversation waits unassigned", category: "deposits", language: "en", teamID: nil,
             agents: [dora], team: "deposits", agent: nil, reason: nil),
    ]

    @Test("who takes a new conversation", arguments: cases)
    func route(_ test: Case) {
        let outcome = RoutingPolicy().route(.init(category: test.category, language: test.language, teamID: test.teamID),
                                            teams: Self.teams, agents: test.agents)
        #expect(outcome.team == test.team)
        #expect(outcome.agent == test.agent)
        #expect(outcome.reason == test.reason)
    }
}

@Suite("Which language a customer is answered in")
struct CustomerLanguageTests {
    @Test("locale tags in every form name their primary language",
          arguments: [("zh-Hant-TW", "zh"), ("zh_CN", "zh"), ("ZH", "zh"), ("en-US", "en"), ("", nil), (nil, nil)] as [(String?, String?)])
    func primary(tag: String?, language: String?) {
        #expect(LocaleTag.primaryLanguage(tag) == language)
    }

    @Test("Chinese when the customer chose it or writes it, in any script",
          arguments: [("zh-CN", "en", true), ("en", "zh-Hans", true), ("en-US", "zh-Hant", true), (nil, "zh-Hant", true),
                      ("zh-TW", nil, true), ("en", "en", false), (nil, nil, false), ("ja", "ko", false)] as [(String?, String?, Bool)])
    func rule(locale: String?, writes: String?, chinese: Bool) {
        #expect(CustomerLanguage.answersInChinese(locale: locale, writes: writes) == chinese)
    }

    @Test("one bilingual text gives either language, or both for a reader we cannot know")
    func bilingual() {
        let text = BilingualText(english: "Closed", chinese: "已关闭")
        #expect(text.text(chinese: true) == "已关闭")
        #expect(text.text(chinese: false) == "Closed")
        #expect(text.both == "Closed / 已关闭")
    }
}
