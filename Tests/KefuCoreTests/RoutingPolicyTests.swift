import Foundation
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

    static func agent(_ id: String, load: Int, capacity: Int = 5, last: Int64? = 0, languages: Set<String> = [], skills: Set<String> = [],
                      availability: Availability = .online) -> Agent {
        Agent(id: id, availability: availability, locale: nil, lastAssignedAt: last, languages: languages, skills: skills, capacity: capacity, load: load)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        var category: String? = nil
        var language: String? = nil
        var teamID: String? = nil
        var previous: String? = nil
        let agents: [Agent]
        var team: String? = nil
        let agent: String?
        let reason: RoutingPolicy.Reason?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "equal loads: the agent who waited longest since their last conversation", agents: [anna, bo, cai, dora],
             agent: "cai", reason: .lowestLoad),
        Case(name: "speakers of the customer's language first, whatever the script", language: "zh-Hant", agents: [anna, bo, cai],
             agent: "cai", reason: .lowestLoad),
        Case(name: "an English customer goes to the English speaker even if others waited longer", language: "en", agents: [anna, bo, cai],
             agent: "anna", reason: .lowestLoad),
        Case(name: "nobody speaks it: anyone online", language: "ko", agents: [anna, bo], agent: "bo", reason: .lowestLoad),
        Case(name: "a category names a team: the team takes it and its online members come first", category: "deposits", language: "en",
             agents: [anna, bo, cai, dora], team: "deposits", agent: "bo", reason: .lowestLoad),
        Case(name: "a team already set is kept and not announced again", category: "deposits", teamID: "deposits", agents: [anna, bo],
             agent: "bo", reason: .lowestLoad),
        Case(name: "a team with nobody online falls back to the inbox's online agents", category: "Deposits", agents: [anna, cai, dora],
             team: "deposits", agent: "cai", reason: .lowestLoad),
        Case(name: "nobody online: the conversation waits, and says why", category: "deposits", language: "en", agents: [dora],
             team: "deposits", agent: nil, reason: .nobodyOnline),
        Case(name: "the lowest load for the capacity wins over the longest wait",
             agents: [agent("li", load: 3, last: 0), agent("mei", load: 1, last: 900)], agent: "mei", reason: .lowestLoad),
        Case(name: "load is weighed against capacity: 2 of 10 is lighter than 1 of 3",
             agents: [agent("li", load: 1, capacity: 3), agent("mei", load: 2, capacity: 10)], agent: "mei", reason: .lowestLoad),
        Case(name: "an agent at capacity takes nothing more", agents: [agent("li", load: 5), agent("mei", load: 4, last: 999)],
             agent: "mei", reason: .lowestLoad),
        Case(name: "everyone eligible full: the conversation waits in the queue", agents: [agent("li", load: 5), agent("mei", load: 2, capacity: 2)],
             agent: nil, reason: .allFull),
        Case(name: "a Chinese customer waits for the full Chinese speaker rather than go to an idle English one", language: "zh",
             agents: [agent("li", load: 5, languages: ["zh"]), agent("anna", load: 0, languages: ["en"])], agent: nil, reason: .allFull),
        Case(name: "given languages count instead of the locale", language: "ja",
             agents: [agent("li", load: 0, languages: ["zh"]), agent("kenji", load: 3, languages: ["en", "ja"])], agent: "kenji", reason: .lowestLoad),
        Case(name: "the category's skill when anyone online has it", category: "NFT",
             agents: [agent("li", load: 0), agent("mei", load: 2, skills: ["nft", "staking"])], agent: "mei", reason: .lowestLoad),
        Case(name: "nobody has the skill: anyone eligible", category: "staking", agents: [agent("li", load: 1), agent("mei", load: 0)],
             agent: "mei", reason: .lowestLoad),
        Case(name: "a reopened conversation goes back to its agent when they are online with room", previous: "li",
             agents: [agent("li", load: 4), agent("mei", load: 0)], agent: "li", reason: .returning),
        Case(name: "its agent is full: routed like a new one", previous: "li", agents: [agent("li", load: 5), agent("mei", load: 0)],
             agent: "mei", reason: .lowestLoad),
        Case(name: "its agent is away: routed like a new one", previous: "li",
             agents: [agent("li", load: 0, availability: .away), agent("mei", load: 3)], agent: "mei", reason: .lowestLoad),
    ]

    @Test("who takes a conversation", arguments: cases)
    func route(_ test: Case) {
        let outcome = RoutingPolicy().route(.init(category: test.category, language: test.language, teamID: test.teamID, previousAssignee: test.previous),
                                            teams: Self.teams, agents: test.agents)
        #expect(outcome.team == test.team)
        #expect(outcome.agent == test.agent)
        #expect(outcome.reason == test.reason)
    }

    @Test("an outcome names what decided it: the language, the skill and the load")
    func explained() {
        let outcome = RoutingPolicy().route(.init(category: "NFT", language: "zh-CN", teamID: nil),
                                            teams: [], agents: [Self.agent("mei", load: 2, languages: ["zh"], skills: ["nft"])])
        #expect(outcome.language == "zh")
        #expect(outcome.skill == "nft")
        #expect(outcome.load == "2/5")
    }
}

@Suite("The queue: who is served first when agents free up")
struct RoutingQueueTests {
    static let start = Date(timeIntervalSince1970: 1_801_447_200)
    static func entry(_ id: String, priority: Priority = .normal, tier: ContactTier = .standard, due: Double? = nil, queued: Double,
                      language: String? = nil) -> RoutingQueue.Entry {
        RoutingQueue.Entry(conversationID: id, conversation: .init(category: nil, language: language, teamID: nil), priority: priority, tier: tier,
                           slaDue: due.map { start.addingTimeInterval($0) }, queuedAt: start.addingTimeInterval(queued))
    }

    @Test("priority first, then VIP, then the soonest target, then who has waited longest")
    func order() {
        let entries = [
            Self.entry("old", queued: 0),
            Self.entry("newer", queued: 10),
            Self.entry("due-soon", due: 100, queued: 20),
            Self.entry("due-later", due: 500, queued: 5),
            Self.entry("vip", tier: .vip, queued: 30),
            Self.entry("urgent", priority: .urgent, queued: 40),
            Self.entry("low", priority: .low, queued: -100),
        ]
        #expect(RoutingQueue.ordered(entries).map(\.conversationID) == ["urgent", "vip", "due-soon", "due-later", "old", "newer", "low"])
    }

    @Test("freed capacity goes down the queue; each agent's load rises as they take one")
    func dispatch() {
        let agents = [RoutingPolicyTests.agent("li", load: 4), RoutingPolicyTests.agent("mei", load: 3, capacity: 4)]
        let served = RoutingQueue().dispatch([Self.entry("a", queued: 0), Self.entry("b", queued: 1), Self.entry("c", queued: 2)],
                                             teams: [], agents: agents, now: 1_000)
        #expect(served.map(\.conversationID) == ["a", "b"])
        #expect(Set(served.compactMap(\.outcome.agent)) == ["li", "mei"])
    }

    @Test("a customer only a busy specialist can help does not hold up those behind them")
    func noHeadOfLineBlocking() {
        let agents = [RoutingPolicyTests.agent("li", load: 5, languages: ["zh"]), RoutingPolicyTests.agent("anna", load: 0, languages: ["en"])]
        let served = RoutingQueue().dispatch([Self.entry("zh", queued: 0, language: "zh"), Self.entry("en", queued: 1, language: "en")],
                                             teams: [], agents: agents, now: 1_000)
        #expect(served.map(\.conversationID) == ["en"])
    }

    @Test("served before someone who waited longer: it says why")
    func servedFirstBecause() {
        let served = RoutingQueue().dispatch([Self.entry("old", queued: 0), Self.entry("vip", tier: .vip, queued: 30)],
                                             teams: [], agents: [RoutingPolicyTests.agent("li", load: 4)], now: 1_000)
        #expect(served.map(\.conversationID) == ["vip"])
        #expect(served.first?.servedFirstBecause == "VIP first")
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
