import FluentKit
import Foundation
import Logging

/// Group commit: customers' messages that arrive while a transaction is being written wait
/// for the next one, and go in together — one UPDATE per conversation and one multi-row
/// INSERT each for their messages, events and outbox rows, and one upsert for the bot's
/// sessions. On SQLite's single writer the number of statements per message, not the work in them, sets the pace (docs/benchmarks.md).
///
/// Each change is still all or nothing: a change whose conversation moved meanwhile gets
/// its `VersionConflict` alone, and any other failure sends every change of that batch
/// through a transaction of its own, so only the one at fault fails.
actor WriteBatcher {
    struct Change: Sendable {
        /// Runs first, inside the transaction: routing a new conversation, say.
        let prepare: @Sendable (ConversationWrite, RoutingBatch, any Database) async throws -> ConversationWrite
        let write: ConversationWrite
        /// The answer bot's state in this conversation afterwards, saved with the batch's others.
        var botSession: BotSessionChange? = nil
        /// Runs after the change's rows are written, inside the same transaction; what it
        /// adds (the desk's acknowledgement of a complaint, say) is announced with the rest.
        let finish: @Sendable (Committed, any Database) async throws -> Committed
    }

    private struct Waiting {
        let change: Change
        let continuation: CheckedContinuation<Committed, any Error>
    }

    /// Larger batches gain little once a batch's statements outnumber its changes by so little.
    static let maxBatch = 64

    let persistence: Persistence
    let writer: ConversationWriter
    let logger: Logger
    let metrics: KefuMetrics
    private var waiting: [Waiting] = []
    private var draining = false
    /// On SQLite the batcher lives on the connection's event loop (see `EventLoopExecutor`).
    private let executor: EventLoopExecutor

    init(persistence: Persistence, writer: ConversationWriter, metrics: KefuMetrics, logger: Logger) {
        self.persistence = persistence
        self.metrics = metrics
        self.writer = writer
        self.logger = logger
        self.executor = persistence.writerExecutor()
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func commit(_ change: Change) async throws -> Committed {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(change: change, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.maxBatch))
            waiting.removeFirst(batch.count)
            // The transaction's closures are not isolated to this actor: the preference keeps
            // them on the same loop as well.
            let started = ContinuousClock.now
            await withTaskExecutorPreference(executor) { await self.run(batch) }
            metrics.batchCommitted(size: batch.count, duration: ContinuousClock.now - started)
        }
        draining = false
    }

    private func run(_ batch: [Waiting]) async {
        if batch.count > 1 {
            do {
                let results = try await persistence.transaction { [writer] db in
                    try await writer.writeMany(batch.map(\.change), on: db)
                }
                for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
                return
            } catch {
                logger.debug("a batch failed; its changes are written one by one", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        for waiting in batch {
            do {
                let committed = try await persistence.transaction { [writer] db in
                    try await writer.writeMany([waiting.change], on: db)[0].get()
                }
                waiting.continuation.resume(returning: committed)
            } catch {
                waiting.continuation.resume(throwing: error)
            }
        }
    }
}

extension ConversationWriter {
    /// Writes several changes in the caller's transaction, in as few statements as their
    /// rows allow. A change whose conversation moved meanwhile gets its conflict as its
    /// result; any other error is thrown and rolls the whole transaction back.
    func writeMany(_ changes: [WriteBatcher.Change], on db: any Database) async throws -> [Result<Committed, any Error>] {
        var results: [Result<Committed, any Error>?] = Array(repeating: nil, count: changes.count)
        var saved: [(index: Int, write: ConversationWrite, conversation: ConversationRecord)] = []
        var updates: [(index: Int, write: ConversationWrite)] = []
        var openings: [(index: Int, write: ConversationWrite)] = []
        let routing = RoutingBatch()
        for (index, change) in changes.enumerated() {
            let write = try await change.prepare(change.write, routing, db)
            if write.before == nil { openings.append((index, write)) } else { updates.append((index, write)) }
        }
        let opened = try await conversations.insertMany(openings.map(\.write.after), on: db)
        for (opening, conversation) in zip(openings, opened) { saved.append((opening.index, opening.write, conversation)) }
        // Conversations that already exist are saved together, each under the version it was read at.
        let records = updates.map { update -> ConversationRecord in
            var after = update.write.after
            after.version = update.write.before!.version
            return after
        }
        let savedIDs = try await conversations.saveMany(records, on: db)
        for (update, record) in zip(updates, records) {
            if savedIDs.contains(record.id) {
                var stored = record
                stored.version += 1
                saved.append((update.index, update.write, stored))
            } else {
                results[update.index] = .failure(ConversationRepository.VersionConflict())
            }
        }
        saved.sort { $0.index < $1.index }
        try await routing.save(on: db, stored: Set(saved.map(\.conversation.id)))
        try await timeline.insert(saved.flatMap(\.write.events), on: db)
        try await timeline.insert(saved.flatMap(\.write.messages), on: db)
        var committed = saved.map { Self.committed($0.write, saved: $0.conversation) }
        try await ServiceLevelWatches.touch(committed.map(\.conversation), now: Date().millisSince1970, on: db)
        try await RoutingQueueRepository.remove(RoutingQueueRepository.leaving(saved.map { ($0.write.before, $0.conversation) }), on: db)
        try await BotSessionChange.saveAll(zip(saved, committed).compactMap { entry, done in
            changes[entry.index].botSession.map { ($0, done.conversation) }
        }, now: Date(), on: db)
        for (position, entry) in saved.enumerated() {
            committed[position] = try await changes[entry.index].finish(committed[position], db)
            results[entry.index] = .success(committed[position])
        }
        let announcements = committed.flatMap(\.announcements)
        try await outbox.write(announcements, on: db)
        for workspace in Set(announcements.map(\.workspaceID)) {
            try await webhooks.enqueue(announcements.filter { $0.workspaceID == workspace }, on: db)
        }
        return results.map { $0! }
    }

    /// The conversation itself: inserted with its number, or saved under the version it was read at.
    func store(_ write: ConversationWrite, on db: any Database) async throws -> ConversationRecord {
        guard let before = write.before else { return try await conversations.insert(write.after, on: db) }
        var after = write.after
        after.version = before.version
        return try await conversations.save(after, on: db)
    }

    /// What a written change announces: its conversation's creation or update, then each message.
    static func committed(_ write: ConversationWrite, saved: ConversationRecord) -> Committed {
        let created = write.before == nil
        let changed = !created && saved.differs(from: write.before!)
        let announcements = write.encoded ?? announcements(write, saved: saved, created: created, changed: changed)
        let freed = write.before.map { before in
            before.assigneeID != nil && (saved.assigneeID != before.assigneeID || (before.status.isActive && !saved.status.isActive))
        } ?? false
        return Committed(conversation: saved, messages: write.messages, announcements: announcements, created: created, changed: changed, freedCapacity: freed)
    }

    static func announcements(_ write: ConversationWrite, saved: ConversationRecord, created: Bool, changed: Bool) -> [RealtimeEvent] {
        var announcements: [RealtimeEvent] = []
        if created {
            announcements.append(announce("conversation.created", saved))
        } else if changed {
            announcements.append(announce("conversation.updated", saved))
        }
        for message in write.messages {
            announcements.append(RealtimeEvent(type: "message.created", workspaceID: saved.workspaceID, conversationID: saved.id,
                                               contactID: saved.contactID, visibleToContact: !message.isPrivate, payload: message.view))
        }
        return announcements + write.extraAnnouncements
    }
}
