import FluentKit
import Foundation
import KefuCore
import SQLKit

/// Macros: named lists of actions an agent applies to a conversation in one click. A macro
/// is previewed against the conversation as it stands, then applied in one transaction —
/// its replies, notes and field changes are all written or none are — and every event it
/// causes names it.
struct MacroDesk: Sendable {
    let persistence: Persistence
    let writer: ConversationWriter
    let publish: PublishStep
    let replyGuard: ReplyGuardStep
    let openConversations: OpenConversationCache
    let clock: DeskClock
    let conversations = ConversationRepository()

    static let maxPerWorkspace = 500

    func visible(to agent: AgentPrincipal, on db: any Database) async throws -> [MacroRow] {
        let teams = try await Sharing.teams(of: agent, on: db)
        return try await MacroRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).sort(\.$name).limit(Self.maxPerWorkspace).all()
            .filter { $0.sharing.isVisible(to: agent, teams: teams) }
    }

    // MARK: saving

    /// The actions as they will be stored (tags lower-cased), or why they cannot be: each
    /// canned reply one the macro's users can see, each team this workspace's, each note
    /// one the reply guard lets through.
    func checked(_ actions: [MacroAction], sharing: Sharing, by agent: AgentPrincipal) async throws -> ([MacroAction], [Problem.FieldError]) {
        var problems = MacroPlan.problems(actions).map { Problem.FieldError(field: "actions", detail: $0) }
        let db = persistence.reader
        let replies = try await CannedReplies.visible(to: agent, on: db)
        var cleaned: [MacroAction] = []
        for (index, action) in actions.enumerated() {
            let field = "actions[\(index)]"
            switch action {
            case .reply(let id):
                if let reply = replies.first(where: { $0.id == id }) {
                    if sharing.scope != .personal && reply.scope == .personal {
                        problems.append(.init(field: field, detail: "a shared macro cannot send your personal canned reply /\(reply.shortcut) / 共享的宏不能使用个人快捷回复"))
                    }
                } else {
                    problems.append(.init(field: field, detail: "no canned reply you may use / 没有可用的该快捷回复"))
                }
                cleaned.append(action)
            case .team(let id?):
                if try await TeamRow.find(id, on: db)?.workspaceID != agent.workspaceID {
                    problems.append(.init(field: field, detail: "no such team in this workspace / 工作区中没有该团队"))
                }
                cleaned.append(action)
            case .addTags(let tags), .removeTags(let tags):
                var normalized: [String] = []
                for raw in tags {
                    if let tag = Tag.normalize(raw) { if !normalized.contains(tag) { normalized.append(tag) } } else {
                        problems.append(.init(field: field, detail: "tags are 1 to \(Limits.tag) characters without spaces, commas, % or \\ / 标签格式不正确"))
                    }
                }
                cleaned.append(action.kind == .addTags ? .addTags(normalized) : .removeTags(normalized))
            case .note(let text):
                for problem in try await replyGuard.problems(in: text, workspaceID: agent.workspaceID, isPrivate: true) {
                    problems.append(.init(field: field, detail: problem))
                }
                cleaned.append(action)
            default:
                cleaned.append(action)
            }
        }
        return (cleaned, problems)
    }

    // MARK: applying

    /// A macro worked out against one conversation: the messages it sends, the change it makes.
    struct Plan: Sendable {
        var replies: [Reply] = []
        var previews: [MacroPreview.Message] = []
        var change = ConversationChange()
        var problems: [String] = []
    }

    func plan(_ macro: MacroRow, on conversation: ConversationRecord, by agent: AgentPrincipal, now: Date) async throws -> Plan {
        let db = persistence.reader
        var plan = Plan()
        let replies = try await CannedReplies.visible(to: agent, on: db)
        let actions = MacroPlan.ordered(macro.actions)
        for action in actions {
            switch action {
            case .reply(let id):
                guard let row = replies.first(where: { $0.id == id }) else {
                    plan.problems.append("a canned reply of this macro was deleted or is not yours to use / 宏中的某条快捷回复已删除或不可用")
                    continue
                }
                let (text, chinese) = try await CannedReplies.fill(row, for: conversation, by: agent, on: db)
                var reply = Reply(workspaceID: agent.workspaceID, conversationID: conversation.id, authorKind: .agent, authorID: agent.agentID, text: text, isPrivate: false)
                reply.cannedReplyID = id
                plan.problems += try await replyGuard.problems(in: text, workspaceID: agent.workspaceID, isPrivate: false)
                plan.replies.append(reply)
                plan.previews.append(.init(kind: "reply", text: text, language: chinese ? "zh-Hans" : "en"))
            case .note(let text):
                plan.replies.append(Reply(workspaceID: agent.workspaceID, conversationID: conversation.id, authorKind: .agent, authorID: agent.agentID, text: text, isPrivate: true))
                plan.previews.append(.init(kind: "note", text: text, language: nil))
            default: break
            }
        }
        if conversation.status == .closed && plan.replies.contains(where: { !$0.isPrivate }) {
            plan.problems.append("this conversation is closed; its customer can no longer be answered in it / 会话已关闭，无法再回复客户")
        }
        let fields = MacroPlan.Fields(status: conversation.status, priority: conversation.priority, teamID: conversation.teamID,
                                      assigneeID: conversation.assigneeID, tags: conversation.tags)
        let outcome = MacroPlan.outcome(of: actions, on: fields, by: agent.agentID, now: now)
        if outcome.status != conversation.status && !conversation.status.canTransition(to: outcome.status) {
            plan.problems.append("a \(conversation.status.rawValue) conversation cannot become \(outcome.status.rawValue) / 当前状态无法变更为 \(outcome.status.rawValue)")
        }
        if outcome.tags.count > Limits.tagsPerConversation {
            plan.problems.append("a conversation has at most \(Limits.tagsPerConversation) tags / 会话最多 \(Limits.tagsPerConversation) 个标签")
        }
        if !outcome.status.isActive, conversation.status.isActive, try await ComplaintRepository.isComplaint(conversation.id, on: db) {
            plan.problems.append("a complaint is resolved with an outcome written for the customer / 投诉需要填写给客户的处理结果后才能解决")
        }
        var change = ConversationChange()
        if let until = outcome.snoozeUntil { change.snoozeUntil = until } else if outcome.status != conversation.status { change.status = outcome.status }
        if outcome.priority != conversation.priority { change.priority = outcome.priority }
        if outcome.teamID != conversation.teamID { change.team = outcome.teamID.map { .value($0) } ?? .null }
        if outcome.assigneeID != conversation.assigneeID { change.assignee = outcome.assigneeID.map { .value($0) } ?? .null }
        if outcome.tags != conversation.tags { change.tags = outcome.tags }
        plan.change = change
        return plan
    }

    func preview(_ macro: MacroRow, conversationID: UUID, by agent: AgentPrincipal) async throws -> MacroPreview {
        let db = persistence.reader
        guard let conversation = try await conversations.find(conversationID, workspaceID: agent.workspaceID, on: db) else { throw Problem.notFound("Conversation") }
        let now = clock.now()
        let plan = try await plan(macro, on: conversation, by: agent, now: now)
        let teams = try await TeamRow.query(on: db).filter(\.$workspaceID == agent.workspaceID).all()
        func teamName(_ id: UUID?) -> String? { id.flatMap { id in teams.first { $0.id == id }?.name } }
        func agentName(_ id: UUID?) async throws -> String? {
            guard let id else { return nil }
            return try await AgentRow.find(id, on: db)?.name
        }
        var changes: [MacroPreview.Change] = []
        let change = plan.change
        let status = change.snoozeUntil == nil ? change.status : .snoozed
        if let status, status != conversation.status { changes.append(.init(field: "status", from: conversation.status.rawValue, to: status.rawValue)) }
        if let priority = change.priority { changes.append(.init(field: "priority", from: conversation.priority.rawValue, to: priority.rawValue)) }
        switch change.team {
        case .absent: break
        case .null: changes.append(.init(field: "team", from: teamName(conversation.teamID), to: nil))
        case .value(let id): changes.append(.init(field: "team", from: teamName(conversation.teamID), to: teamName(id)))
        }
        switch change.assignee {
        case .absent: break
        case .null: changes.append(.init(field: "assignee", from: try await agentName(conversation.assigneeID), to: nil))
        case .value(let id): changes.append(.init(field: "assignee", from: try await agentName(conversation.assigneeID), to: try await agentName(id)))
        }
        if let tags = change.tags { changes.append(.init(field: "tags", from: conversation.tags.joined(separator: ", "), to: tags.joined(separator: ", "))) }
        return MacroPreview(macroId: macro.id!, name: macro.name, messages: plan.previews, changes: changes, snoozedUntil: change.snoozeUntil, problems: plan.problems)
    }

    /// Applies the macro in one transaction; refused whole (422) if any step could not be taken.
    func apply(_ macro: MacroRow, conversationID: UUID, by agent: AgentPrincipal) async throws -> ConversationView {
        for attempt in 1...ConversationPipeline.attempts {
            if attempt > 1 { await ConversationPipeline.pause(before: attempt) }
            let now = clock.now()
            guard let read = try await conversations.find(conversationID, workspaceID: agent.workspaceID, on: persistence.reader) else {
                throw Problem.notFound("Conversation")
            }
            // Worked out on what was read; the transaction writes it under that version, so a
            // change in between makes it work the macro out again rather than apply it stale.
            let plan = try await plan(macro, on: read, by: agent, now: now)
            if !plan.problems.isEmpty { throw Problem.invalid(plan.problems.map { .init(field: "macro", detail: $0) }) }
            do {
                let committed = try await persistence.transaction { [writer, conversations] db in
                    guard let before = try await conversations.find(conversationID, workspaceID: agent.workspaceID, on: db), before.version == read.version else {
                        throw ConversationRepository.VersionConflict()
                    }
                    var write = ConversationWrite(before: before, after: before)
                    for reply in plan.replies { try await CommitStep.add(reply, to: &write, now: now, on: db) }
                    let changed = try plan.change.applied(to: write.after, by: agent, now: now)
                    write.after = changed.after
                    write.events += changed.events
                    write.snoozeUntil = changed.snoozeUntil
                    write.snoozedBy = changed.snoozedBy
                    for index in write.events.indices { write.events[index].data["macroId"] = macro.id!.uuidString }
                    write.events.append(EventRecord(.macroApplied, in: before, by: .agent, agent.agentID,
                                                    data: ["macroId": macro.id!.uuidString, "name": macro.name,
                                                           "actions": MacroPlan.ordered(macro.actions).map(\.kind.rawValue).joined(separator: ",")], at: now))
                    try await (db as! any SQLDatabase).raw("""
                        UPDATE macros SET usage_count = usage_count + 1, last_used_ms = \(bind: now.millisSince1970) WHERE id = \(bind: macro.id!)
                        """).run()
                    return try await writer.write(write, on: db)
                }
                openConversations.remember(committed.conversation)
                await publish.committed(committed)
                var view = committed.conversation.view
                if committed.conversation.status == .snoozed { view.snoozedUntil = plan.change.snoozeUntil }
                return view
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while the macro was applied; reload it and try again.")
    }
}
