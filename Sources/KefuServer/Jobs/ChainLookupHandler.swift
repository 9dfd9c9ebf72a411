import AsyncHTTPClient
import FluentKit
import Foundation
import KefuChain
import Logging
import Synchronization

/// Makes the client for a workspace's node. Tests hand in doubles; the desk uses `live`.
struct ChainClientSource: Sendable {
    let make: @Sendable (ChainKind, _ rpcURL: String) throws -> any ChainClient

    /// Real nodes over HTTP, each behind a short-lived answer cache shared by every lookup
    /// that goes to the same node.
    static func live(httpClient: HTTPClient = .shared, timeout: Duration = .seconds(5)) -> ChainClientSource {
        let pool = Mutex<[String: CachingChainClient]>([:])
        return ChainClientSource { chain, rpcURL in
            let key = chain.rawValue + " " + rpcURL
            if let cached = pool.withLock({ $0[key] }) { return cached }
            let client = CachingChainClient(try ChainClients.make(chain, rpcURL: rpcURL, httpClient: httpClient, timeout: timeout))
            return pool.withLock { clients in
                // Endpoints change rarely; an edited URL leaves its old client behind until the pool is refilled.
                if clients.count >= 256 { clients.removeAll() }
                if let existing = clients[key] { return existing }
                clients[key] = client
                return client
            }
        }
    }
}

/// Looks one quoted transaction up on the workspace's node, records the answer, tells the
/// agents, and checks again while the transaction is still pending.
struct ChainLookupHandler: JobHandler {
    static let kindName = "chain.lookup"
    var kind: String { Self.kindName }
    var timeout: Duration { .seconds(30) }
    /// Attempts per round when the node cannot be reached (the queue's backoff: 2 s … 64 s).
    static let maxAttempts = 6
    /// A pending transaction is checked again this much later…
    static let recheckDelayMillis: Int64 = 30_000
    /// …at most this many times (about ten minutes).
    static let maxRounds = 20
    /// A hash the node does not know may not have reached it yet: a few more looks.
    static let notFoundRounds = 3

    struct Payload: Codable, Sendable {
        let lookupID: UUID
        let workspaceID: UUID
        let round: Int
    }

    struct NodeUnavailable: Error, CustomStringConvertible { let description: String }

    let persistence: Persistence
    let hub: any RealtimeHub
    let clients: ChainClientSource
    /// Tells the customer what changed, when the bot still speaks for the conversation.
    var customerUpdates: TransactionUpdates?
    var now: @Sendable () -> Date = { Date() }

    func run(payload: String) async throws {
        guard let job = try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8)) else {
            throw PermanentJobFailure(reason: "unreadable lookup payload")
        }
        guard let row = try await ChainLookupRow.query(on: persistence.db)
            .filter(\.$id == job.lookupID).filter(\.$workspaceID == job.workspaceID).first() else {
            throw PermanentJobFailure(reason: "the lookup was removed")
        }
        guard let chain = ChainKind(rawValue: row.chain) else { throw PermanentJobFailure(reason: "unknown chain") }
        guard let endpoint = try await ChainEndpointRow.query(on: persistence.db)
            .filter(\.$workspaceID == job.workspaceID).filter(\.$chain == chain.rawValue).first() else {
            try await record(row, unknownBecause: "no node is configured for this chain any more")
            throw PermanentJobFailure(reason: "no endpoint for the chain")
        }
        do {
            let status = try await clients.make(chain, endpoint.rpcURL).transaction(row.hash)
            let previous = row.state
            row.state = status.state.rawValue
            row.confirmations = status.confirmations
            row.blockNumber = status.blockNumber
            row.error = nil
            row.checkedMillis = now().millisSince1970
            try await row.update(on: persistence.db)
            await publish(row)
            do {
                try await customerUpdates?.stateChanged(row, from: previous, chainName: endpoint.name)
            } catch {
                // The lookup is recorded and agents see it; a missed customer update is not worth a retry.
            }
            if let delay = nextCheck(after: status.state, round: job.round) {
                try await JobQueue(persistence: persistence).enqueue(
                    kind: Self.kindName, payload: StoredJSON.encode(Payload(lookupID: job.lookupID, workspaceID: job.workspaceID, round: job.round + 1)),
                    on: persistence.db, delayMillis: delay, maxAttempts: Self.maxAttempts, workspaceID: job.workspaceID)
            }
        } catch let error as ChainLookupError {
            try await record(row, unknownBecause: error.description)
            // The queue's backoff retries a node that is down; a bad hash or URL will not improve.
            if error.isTransient { throw NodeUnavailable(description: error.description) }
            throw PermanentJobFailure(reason: "lookup cannot succeed")
        }
    }

    func nextCheck(after state: TransactionState, round: Int) -> Int64? {
        switch state {
        case .pending where round < Self.maxRounds: Self.recheckDelayMillis
        case .notFound where round < Self.notFoundRounds: Self.recheckDelayMillis
        default: nil
        }
    }

    private func record(_ row: ChainLookupRow, unknownBecause reason: String) async throws {
        row.state = "unknown"
        row.error = String(reason.prefix(300))
        row.checkedMillis = now().millisSince1970
        try await row.update(on: persistence.db)
        await publish(row)
    }

    /// Agents only: what a node says about a customer's transaction is for the team to relay.
    private func publish(_ row: ChainLookupRow) async {
        let contactID = try? await ConversationRow.query(on: persistence.db)
            .filter(\.$id == row.conversationID).filter(\.$workspaceID == row.workspaceID).first()?.contactID
        await hub.publish(RealtimeEvent(type: "lookup.updated", workspaceID: row.workspaceID, conversationID: row.conversationID,
                                        contactID: contactID, visibleToContact: false, payload: ChainLookupView(row)))
    }
}
