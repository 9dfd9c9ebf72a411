import FluentKit
import FluentSQLiteDriver
import Foundation

/// The one path every customer message takes, and its mirror for replies. Each step is a
/// small value with one job, in its own file, numbered in order; this only sequences them.
struct ConversationPipeline: Sendable {
    let identify: IdentifyStep
    let shield: ShieldStep
    let understand: UnderstandStep
    let decide: DecideStep
    let commit: CommitStep
    let publish: PublishStep
    let replyGuard: ReplyGuardStep
    private let perContact = KeyedLock()
    /// Another writer (an agent, another node) may change the conversation between the
    /// read and the write; the message is then decided again on what is stored.
    static let attempts = 6

    /// A short, growing, random pause before deciding again, so two nodes racing for one
    /// conversation stop colliding.
    static func pause(before attempt: Int) async {
        try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
    }

    func receive(_ inbound: Inbound) async throws -> Delivered {
        try await perContact.withLock(inbound.contactID) {
            let shielded = await shield.apply(to: inbound)
            for attempt in 1...Self.attempts {
                if attempt > 1 { await Self.pause(before: attempt) }
                let joining = try await identify.conversation(for: inbound)
                let understanding = await understand.apply(to: shielded, opening: joining == nil)
                let now = Date()
                let decision = try await decide.customerMessage(shielded, understanding: understanding, joining: joining, now: now)
                do {
                    let committed = try await commit.customerMessage(decision, now: now)
                    identify.remember(committed.conversation)
                    await publish.committed(committed)
                    return Delivered(message: committed.messages[0].view, conversation: committed.conversation.view)
                } catch where (error as? any DatabaseError)?.isConstraintFailure == true {
                    // Stored before (a client's retry), or another node opened this customer's conversation first.
                    if let replay = try await identify.replay(of: inbound) { return replay }
                    identify.forget(contact: inbound.contactID, inbox: inbound.inboxID)
                    if attempt == Self.attempts { throw error }
                } catch is ConversationRepository.VersionConflict {
                    identify.forget(contact: inbound.contactID, inbox: inbound.inboxID)
                } catch let busy as SQLiteError where DatabaseOutage.isBusy(busy) && attempt < Self.attempts {
                    // Another process wrote to the file between this transaction's read and its write.
                    identify.forget(contact: inbound.contactID, inbox: inbound.inboxID)
                }
            }
            throw Problem.conflict("The conversation kept changing while this message was stored; send it again.")
        }
    }

    func reply(_ reply: Reply) async throws -> Delivered {
        let checked = try await replyGuard.check(reply)
        for attempt in 1...Self.attempts {
            if attempt > 1 { await Self.pause(before: attempt) }
            do {
                let committed = try await commit.reply(checked, now: Date())
                identify.remember(committed.conversation)
                await publish.committed(committed)
                return Delivered(message: committed.messages[0].view, conversation: committed.conversation.view)
            } catch is ConversationRepository.VersionConflict {
                continue
            }
        }
        throw Problem.conflict("The conversation kept changing while this reply was stored; send it again.")
    }
}
