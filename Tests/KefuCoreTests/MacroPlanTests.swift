import Foundation
import Testing
import KefuCore

@Suite("Macros: what a macro may hold, the order it runs in and what it leaves behind")
struct MacroPlanTests {
    static let agent = UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!
    static let team = UUID(uuidString: "00000000-0000-0000-0000-0000000000b2")!
    static let canned = UUID(uuidString: "00000000-0000-0000-0000-0000000000c3")!
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let open = MacroPlan.Fields(status: .open, priority: .normal, teamID: nil, assigneeID: nil, tags: ["new", "usdt"])

    @Test("refused macros", arguments: [
        ([MacroAction](), "a macro needs at least one action"),
        ([.status(.resolved), .status(.pending)], "status appears twice"),
        ([.status(.resolved), .snooze(hours: 4)], "snooze already sets the status"),
        ([.snooze(hours: 0)], "snooze for 1 to 720 hours"),
        ([.snooze(hours: 721)], "snooze for 1 to 720 hours"),
        ([.status(.snoozed)], "use snooze"),
        ([.note("   ")], "a note needs text"),
        ([.addTags([])], "name the tags"),
        (Array(repeating: MacroAction.note("x"), count: 21), "at most 20 actions"),
        (Array(repeating: MacroAction.reply(cannedReplyID: canned), count: 4), "at most 3 canned replies"),
    ] as [([MacroAction], String)])
    func refused(_ actions: [MacroAction], problem: String) {
        let problems = MacroPlan.problems(actions)
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
    }

    @Test("a macro of every kind is accepted")
    func accepted() {
        let actions: [MacroAction] = [.reply(cannedReplyID: Self.canned), .note("checked the chain"), .priority(.high), .team(Self.team),
                                      .assign(.me), .addTags(["refund"]), .removeTags(["new"]), .snooze(hours: 24)]
        #expect(MacroPlan.problems(actions).isEmpty)
    }

    @Test("messages first as written, then fields, the status last")
    func order() {
        let actions: [MacroAction] = [.status(.resolved), .addTags(["refund"]), .reply(cannedReplyID: Self.canned), .priority(.low), .note("done")]
        #expect(MacroPlan.ordered(actions) == [.reply(cannedReplyID: Self.canned), .note("done"), .addTags(["refund"]), .priority(.low), .status(.resolved)])
    }

    @Test("outcomes", arguments: [
        ([MacroAction.status(.resolved)], MacroPlan.Fields(status: .resolved, priority: .normal, teamID: nil, assigneeID: nil, tags: ["new", "usdt"])),
        ([.addTags(["refund", "usdt"]), .removeTags(["new"])], MacroPlan.Fields(status: .open, priority: .normal, teamID: nil, assigneeID: nil, tags: ["usdt", "refund"])),
        ([.assign(.me), .team(team), .priority(.urgent)], MacroPlan.Fields(status: .open, priority: .urgent, teamID: team, assigneeID: agent, tags: ["new", "usdt"])),
        ([.snooze(hours: 2), .note("waiting for the chain")],
         MacroPlan.Fields(status: .snoozed, priority: .normal, teamID: nil, assigneeID: nil, tags: ["new", "usdt"], snoozeUntil: now.addingTimeInterval(7_200))),
        ([.reply(cannedReplyID: canned)], open),
    ] as [([MacroAction], MacroPlan.Fields)])
    func outcome(_ actions: [MacroAction], expected: MacroPlan.Fields) {
        #expect(MacroPlan.outcome(of: actions, on: Self.open, by: Self.agent, now: Self.now) == expected)
    }

    @Test("taking the conversation off its agent and team")
    func unassign() {
        let taken = MacroPlan.Fields(status: .open, priority: .high, teamID: Self.team, assigneeID: Self.agent, tags: [])
        let outcome = MacroPlan.outcome(of: [.assign(.nobody), .team(nil)], on: taken, by: Self.agent, now: Self.now)
        #expect(outcome.assigneeID == nil && outcome.teamID == nil && outcome.priority == .high)
    }

    @Test("stored as one JSON object per action, and read back the same")
    func coding() throws {
        let actions: [MacroAction] = [.reply(cannedReplyID: Self.canned), .note("n"), .status(.pending), .priority(.low), .team(nil), .team(Self.team),
                                      .assign(.nobody), .addTags(["a"]), .removeTags(["b"]), .snooze(hours: 3)]
        let data = try JSONEncoder().encode(actions)
        #expect(try JSONDecoder().decode([MacroAction].self, from: data) == actions)
        let text = String(decoding: try JSONEncoder().encode([MacroAction.snooze(hours: 3)]), as: UTF8.self)
        #expect(text.contains("\"type\":\"snooze\"") && text.contains("\"hours\":3"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MacroAction.self, from: Data(#"{"type":"delete_everything"}"#.utf8)) }
    }
}
