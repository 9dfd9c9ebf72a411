import Testing
import KefuCore

@Suite("Canned replies: variables filled from the conversation, unknown ones refused")
struct CannedReplyTemplateTests {
    static let values = ["contact.name": "李雷", "conversation.number": "42", "agent.name": "Wang", "contact.email": ""]

    @Test("rendering", arguments: [
        ("您好 {{contact.name}}，关于 #{{conversation.number}}", "您好 李雷，关于 #42"),
        ("Hi {{ contact.name }}, I'm {{agent.name}}.", "Hi 李雷, I'm Wang."),
        ("No variables at all", "No variables at all"),
        ("Mail: {{contact.email}}", "Mail: there"),
        ("Broken {{contact.name", "Broken {{contact.name"),
        ("{{workspace.name}} team", "{{workspace.name}} team"),
    ])
    func render(_ body: String, expected: String) {
        #expect(CannedReplyTemplate.render(body, values: Self.values, fallbacks: ["contact.email": "there"]) == expected)
    }

    @Test("unknown variables", arguments: [
        ("Dear {{contact.nmae}}", ["contact.nmae"]),
        ("{{contact.name}} {{agent.name}} {{conversation.number}}", []),
        ("{{ order.id }} and {{order.id}}", ["order.id"]),
        ("plain", []),
    ])
    func unknown(_ body: String, expected: [String]) {
        #expect(CannedReplyTemplate.unknownVariables(in: body) == expected)
    }
}
