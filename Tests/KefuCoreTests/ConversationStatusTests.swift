import Testing
@testable import KefuCore

@Suite("Conversation status")
struct ConversationStatusTests {
    @Test("an active conversation may move to any status")
    func activeMovesAnywhere() {
        for from in [ConversationStatus.open, .pending, .snoozed] {
            for to in ConversationStatus.allCases {
                #expect(from.canTransition(to: to), "\(from) → \(to)")
            }
        }
    }

    @Test("a resolved conversation can only be reopened or closed")
    func resolvedReopensOrCloses() {
        #expect(ConversationStatus.resolved.canTransition(to: .open))
        #expect(ConversationStatus.resolved.canTransition(to: .closed))
        #expect(!ConversationStatus.resolved.canTransition(to: .pending))
        #expect(!ConversationStatus.resolved.canTransition(to: .snoozed))
    }

    @Test("closed is final")
    func closedIsFinal() throws {
        for to in ConversationStatus.allCases where to != .closed {
            #expect(throws: StatusTransitionError(from: .closed, to: to)) { try ConversationStatus.closed.transition(to: to) }
        }
    }

    @Test("a customer message reopens everything but a closed conversation")
    func customerMessageReopens() {
        #expect(ConversationStatus.pending.afterCustomerMessage == .open)
        #expect(ConversationStatus.snoozed.afterCustomerMessage == .open)
        #expect(ConversationStatus.resolved.afterCustomerMessage == .open)
        #expect(ConversationStatus.closed.afterCustomerMessage == .closed)
        #expect(!ConversationStatus.closed.acceptsCustomerMessages)
    }

    @Test("priorities are ordered from low to urgent")
    func priorityOrder() {
        #expect(Priority.allCases.sorted() == [.low, .normal, .high, .urgent])
        #expect(Priority.urgent > .high)
    }
}

@Suite("Round-robin routing")
struct RoundRobinTests {
    let router = RoundRobin()

    @Test("the online agent who waited longest gets the next conversation")
    func longestWaitingWins() {
        let pick = router.pick(from: [
            .init(agentID: "a", availability: .online, lastAssignedAt: 3_000),
            .init(agentID: "b", availability: .online, lastAssignedAt: 1_000),
            .init(agentID: "c", availability: .online, lastAssignedAt: 2_000),
        ])
        #expect(pick == "b")
    }

    @Test("an agent never assigned goes first")
    func neverAssignedFirst() {
        let pick = router.pick(from: [
            .init(agentID: "a", availability: .online, lastAssignedAt: 1),
            .init(agentID: "z", availability: .online, lastAssignedAt: nil),
        ])
        #expect(pick == "z")
    }

    @Test("away and offline agents are skipped; nobody online means no assignment")
    func onlyOnline() {
        #expect(router.pick(from: [
            .init(agentID: "a", availability: .away, lastAssignedAt: nil),
            .init(agentID: "b", availability: .online, lastAssignedAt: 10),
        ]) == "b")
        #expect(router.pick(from: [.init(agentID: "a", availability: .offline, lastAssignedAt: nil)]) == nil)
        #expect(router.pick(from: []) == nil)
    }

    @Test("assigning in turn spreads conversations evenly")
    func spreadsEvenly() {
        var last: [String: Int64] = [:]
        var counts: [String: Int] = [:]
        for tick in 1...30 {
            let candidates = ["a", "b", "c"].map { RoundRobin.Candidate(agentID: $0, availability: .online, lastAssignedAt: last[$0]) }
            let picked = router.pick(from: candidates)!
            last[picked] = Int64(tick)
            counts[picked, default: 0] += 1
        }
        #expect(counts == ["a": 10, "b": 10, "c": 10])
    }
}

@Suite("Tags and durations")
struct TagTests {
    @Test("tags are trimmed and lower-cased; list separators and wildcards are refused")
    func normalize() {
        #expect(Tag.normalize("  KYC ") == "kyc")
        #expect(Tag.normalize("提币") == "提币")
        #expect(Tag.normalize("kyc_issue") == "kyc_issue")
        #expect(Tag.normalize("a,b") == nil)
        #expect(Tag.normalize("100%") == nil)
        #expect(Tag.normalize("two words") == nil)
        #expect(Tag.normalize("") == nil)
        #expect(Tag.normalize(String(repeating: "x", count: 51)) == nil)
    }

    @Test("elapsed time is whole seconds and never negative")
    func elapsed() {
        #expect(elapsedSeconds(fromMillis: 1_000, toMillis: 62_999) == 61)
        #expect(elapsedSeconds(fromMillis: 5_000, toMillis: 4_000) == 0)
    }
}
