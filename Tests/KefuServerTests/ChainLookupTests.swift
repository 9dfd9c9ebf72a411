import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KefuChain
import Logging
import Synchronization
import Testing
@testable import KefuServer

/// A node that answers from a script, one answer per call, and counts the hashes it was asked.
final class ScriptedChain: Sendable {
    let answers: Mutex<[Result<TransactionState, ChainLookupError>]>
    let asked = Mutex<[String]>([])
    let urls = Mutex<[String]>([])

    init(_ answers: [Result<TransactionState, ChainLookupError>]) { self.answers = Mutex(answers) }

    struct Client: ChainClient {
        let chain: ChainKind
        let script: ScriptedChain
        func transaction(_ hash: String) async throws -> TransactionStatus {
            script.asked.withLock { $0.append(hash) }
            let next = script.answers.withLock { $0.isEmpty ? .success(.pending) : $0.removeFirst() }
            let state = try next.get()
            let mined = state == .confirmed || state == .failed
            return TransactionStatus(chain: chain, hash: hash, state: state, confirmations: mined ? 3 : 0, blockNumber: mined ? 120 : nil)
        }
    }

    var source: ChainClientSource {
        ChainClientSource { chain, url in
            self.urls.withLock { $0.append(url) }
            return Client(chain: chain, script: self)
        }
    }
}

/// The desk without its background worker, so a test runs each lookup job itself.
func withQuietDesk(_ body: @escaping @Sendable (TestDesk, Persistence) async throws -> Void) async throws {
    try await withDesk { desk in
        var configuration = desk.configuration
        configuration.runWorker = false
        let quiet = TestDesk(configuration: configuration)
        try await quiet.workspace("Bootstrap", owner: "bootstrap@kefu.test")
        let persistence = try Persistence(location: configuration.database, logger: Logger(label: "test.chain"))
        do {
            try await body(quiet, persistence)
        } catch {
            await persistence.shutdown()
            throw error
        }
        await persistence.shutdown()
    }
}

enum ChainJobs {
    static func claim(_ persistence: Persistence) async throws -> JobQueue.Claimed? {
        let queue = JobQueue(persistence: persistence)
        // Far in the future, so jobs enqueued with a delay are due too.
        guard let job = try await queue.claim(now: Date().millisSince1970 + 3_600_000) else { return nil }
        #expect(job.kind == ChainLookupHandler.kindName)
        return job
    }

    static func queued(_ persistence: Persistence) async throws -> [JobRow] {
        try await JobRow.query(on: persistence.db).filter(\.$kind == ChainLookupHandler.kindName).filter(\.$status == "queued").all()
    }
}

let evmHash = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"

@Suite("Chain endpoints")
struct ChainEndpointTests {
    @Test("owners set, list (password masked) and remove a node per chain; bad input is 4xx; agents and other workspaces see nothing")
    func endpoints() async throws {
        try await withDesk { desk in
            try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Other", owner: "owner@other.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let put = try await client.call(.put, "/api/v1/chain-endpoints/bitcoin", token: owner,
                                                json: body(["name": "Bitcoin", "rpcUrl": "http://kefu:hunter2@127.0.0.1:8332"]))
                #expect(put.status == .ok)
                #expect(put.json["rpcUrl"].string == "http://kefu:***@127.0.0.1:8332")
                #expect(!put.text.contains("hunter2"))
                let replaced = try await client.call(.put, "/api/v1/chain-endpoints/bitcoin", token: owner,
                                                     json: body(["name": "Bitcoin Core", "rpcUrl": "http://kefu:hunter3@127.0.0.1:8332"]))
                #expect(replaced.json["name"].string == "Bitcoin Core")
                _ = try await client.call(.put, "/api/v1/chain-endpoints/evm", token: owner, json: body(["name": "Ethereum", "rpcUrl": "https://eth.example.com/rpc"]))

                let list = try await client.call(.get, "/api/v1/chain-endpoints", token: owner)
                #expect(list.status == .ok)
                #expect(list.json["items"].array.count == 2)
                #expect(list.json["items"][0]["chain"].string == "bitcoin")
                #expect(!list.text.contains("hunter"))

                let invalid = try await client.call(.put, "/api/v1/chain-endpoints/evm", token: owner, json: body(["name": "", "rpcUrl": "ftp://node"]))
                #expect(invalid.status == .unprocessableContent)
                #expect(invalid.json["errors"].array.count == 2)
                #expect(try await client.call(.put, "/api/v1/chain-endpoints/solana", token: owner,
                                              json: body(["name": "Solana", "rpcUrl": "http://127.0.0.1:8899"])).status == .notFound)
                #expect(try await client.call(.put, "/api/v1/chain-endpoints/evm", token: owner, json: "[1]").status == .badRequest)

                let other = try await client.signIn("owner@other.test")
                #expect(try await client.call(.get, "/api/v1/chain-endpoints", token: other).json["items"].array.count == 0)
                #expect(try await client.call(.delete, "/api/v1/chain-endpoints/evm", token: other).status == .notFound)

                let agent = try await client.call(.post, "/api/v1/agents", token: owner,
                                                  json: body(["email": "agent@acme.test", "name": "Agent", "password": TestDesk.password, "role": "agent"]))
                #expect(agent.status == .created)
                let agentToken = try await client.signIn("agent@acme.test")
                #expect(try await client.call(.get, "/api/v1/chain-endpoints", token: agentToken).status == .forbidden)

                #expect(try await client.call(.delete, "/api/v1/chain-endpoints/evm", token: owner).status == .noContent)
                #expect(try await client.call(.delete, "/api/v1/chain-endpoints/evm", token: owner).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/chain-endpoints", token: owner).json["items"].array.count == 1)
            }
        }
    }
}

@Suite("Chain lookups")
struct ChainLookupTests {
    @Test("a quoted hash is looked up on the workspace's node, re-checked while pending, and told to agents only")
    func pendingThenConfirmed() async throws {
        try await withQuietDesk { desk, persistence in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await desk.workspace("Other", owner: "owner@other.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                _ = try await client.call(.put, "/api/v1/chain-endpoints/evm", token: owner,
                                          json: body(["name": "Ethereum", "rpcUrl": "http://127.0.0.1:8545"]))
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let message = try await client.say("where is my transfer? tx \(evmHash.uppercased().replacingOccurrences(of: "0X", with: "0x"))", visitorToken: visitor.token)
                let conversationID = try #require(message["conversationId"].string)

                let checking = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner)
                #expect(checking.status == .ok)
                #expect(checking.json["items"].array.count == 1)
                #expect(checking.json["items"][0]["state"].string == "checking")
                #expect(checking.json["items"][0]["hash"].string == evmHash)
                #expect(checking.json["items"][0]["chain"].string == "evm")
                #expect(checking.json["items"][0]["messageId"].string == message["id"].string)

                // Saying it again while the first lookup runs starts no second one.
                _ = try await client.say("tx \(evmHash) please", visitorToken: visitor.token)
                #expect(try await ChainJobs.queued(persistence).count == 1)

                let hub = InProcessHub()
                let agents = hub.subscribe(.workspace(workspace.workspaceID))
                let customer = hub.subscribe(.contact(workspaceID: workspace.workspaceID, contactID: UUID(uuidString: visitor.contactID)!))
                let node = ScriptedChain([.success(.pending), .success(.confirmed)])
                let handler = ChainLookupHandler(persistence: persistence, hub: hub, clients: node.source)

                let first = try #require(try await ChainJobs.claim(persistence))
                try await handler.run(payload: first.payload)
                try await JobQueue(persistence: persistence).complete(first)
                #expect(node.asked.withLock { $0 } == [evmHash])
                #expect(node.urls.withLock { $0 } == ["http://127.0.0.1:8545"])
                var event = try #require(await agents.events.first { _ in true })
                #expect(event.type == "lookup.updated")
                #expect(event.conversationID?.uuidString == conversationID)
                #expect(event.payloadJSON.contains(#""state":"pending""#))
                let pending = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner)
                #expect(pending.json["items"][0]["state"].string == "pending")
                #expect(pending.json["items"][0]["checkedAt"].string != nil)
                let recheck = try #require(try await ChainJobs.queued(persistence).first)
                #expect(recheck.runAfterMillis - Date().millisSince1970 > 20_000)

                let second = try #require(try await ChainJobs.claim(persistence))
                try await handler.run(payload: second.payload)
                try await JobQueue(persistence: persistence).complete(second)
                event = try #require(await agents.events.first { _ in true })
                #expect(event.payloadJSON.contains(#""state":"confirmed""#))
                let confirmed = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner)
                #expect(confirmed.json["items"][0]["state"].string == "confirmed")
                #expect(confirmed.json["items"][0]["confirmations"].int == 3)
                #expect(confirmed.json["items"][0]["blockNumber"].int == 120)
                #expect(try await ChainJobs.queued(persistence).isEmpty, "a confirmed transaction is not checked again")

                customer.close()
                let heardByCustomer = await customer.events.first { $0.type == "lookup.updated" }
                #expect(heardByCustomer == nil)
                agents.close()

                let views = try await ChainLookups.latest(conversationID: UUID(uuidString: conversationID)!, workspaceID: workspace.workspaceID, on: persistence.db)
                #expect(views.map(\.state) == ["confirmed"])
                let other = try await client.signIn("owner@other.test")
                #expect(try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: other).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/conversations/not-an-id/lookups", token: owner).status == .notFound)
                let elsewhere = try await ChainLookups.latest(conversationID: UUID(uuidString: conversationID)!, workspaceID: UUID(), on: persistence.db)
                #expect(elsewhere.isEmpty)
            }
        }
    }

    @Test("an unreachable node records unknown with the reason and leaves the job to the queue's retries")
    func unreachable() async throws {
        try await withQuietDesk { desk, persistence in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                _ = try await client.call(.put, "/api/v1/chain-endpoints/bitcoin", token: owner,
                                          json: body(["name": "Bitcoin", "rpcUrl": "http://u:secret@127.0.0.1:8332"]))
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let txid = String(repeating: "ab", count: 32)
                let message = try await client.say("btc txid \(txid)", visitorToken: visitor.token)
                let conversationID = try #require(message["conversationId"].string)

                let node = ScriptedChain([.failure(.unreachable("connection refused")), .success(.notFound)])
                let handler = ChainLookupHandler(persistence: persistence, hub: InProcessHub(), clients: node.source)
                let job = try #require(try await ChainJobs.claim(persistence))
                await #expect(throws: ChainLookupHandler.NodeUnavailable.self) { try await handler.run(payload: job.payload) }
                #expect(node.urls.withLock { $0 } == ["http://u:secret@127.0.0.1:8332"])
                let lookups = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner)
                #expect(lookups.json["items"][0]["state"].string == "unknown")
                #expect(lookups.json["items"][0]["error"].string == "the node could not be reached: connection refused")
                #expect(!lookups.text.contains("secret"))

                // The retry finds nothing yet: not found, looked at again a few times only.
                try await handler.run(payload: job.payload)
                let after = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner)
                #expect(after.json["items"][0]["state"].string == "not_found")
                #expect(after.json["items"][0]["error"].isNull)
                #expect(handler.nextCheck(after: .notFound, round: ChainLookupHandler.notFoundRounds) == nil)
                #expect(handler.nextCheck(after: .pending, round: ChainLookupHandler.maxRounds) == nil)
                #expect(handler.nextCheck(after: .pending, round: 1) == ChainLookupHandler.recheckDelayMillis)
            }
        }
    }

    @Test("hashes go only to chains the workspace has a node for; no node, no lookup; the message is stored either way")
    func choosingChains() async throws {
        try await withQuietDesk { desk, persistence in
            let workspace = try await desk.workspace("Acme", owner: "owner@acme.test")
            try await withApp(desk) { client in
                let owner = try await client.signIn("owner@acme.test")
                let visitor = try await client.visitor(inboxToken: workspace.widgetPublicToken!)
                let bare = String(repeating: "cd", count: 32)
                _ = try await client.say("my transaction \(bare) and tx \(evmHash)", visitorToken: visitor.token)
                #expect(try await ChainJobs.queued(persistence).isEmpty)

                _ = try await client.call(.put, "/api/v1/chain-endpoints/tron", token: owner, json: body(["name": "TRON", "rpcUrl": "http://127.0.0.1:8090"]))
                _ = try await client.call(.put, "/api/v1/chain-endpoints/bitcoin", token: owner, json: body(["name": "Bitcoin", "rpcUrl": "http://127.0.0.1:8332"]))
                let message = try await client.say("my transaction \(bare) and tx \(evmHash)", visitorToken: visitor.token)
                let conversationID = try #require(message["conversationId"].string)
                let items = try await client.call(.get, "/api/v1/conversations/\(conversationID)/lookups", token: owner).json["items"].array
                // A bare 64-hex hash could be Bitcoin or TRON; the 0x hash is EVM, which has no node here.
                #expect(Set(items.compactMap { $0["chain"].string }) == ["bitcoin", "tron"])
                #expect(Set(items.compactMap { $0["hash"].string }) == [bare])
                #expect(try await ChainJobs.queued(persistence).count == 2)
            }
        }
    }
}
