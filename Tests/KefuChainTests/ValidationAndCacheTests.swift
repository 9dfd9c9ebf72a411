import Foundation
import KefuChain
import Testing

@Suite("Hash validation")
struct HashValidationTests {
    @Test("each chain takes its own hash shape, normalised to lower case")
    func accepted() throws {
        #expect(try TransactionHash.normalized("  0X" + String(repeating: "AB", count: 32) + "\n", for: .evm) == "0x" + String(repeating: "ab", count: 32))
        #expect(try TransactionHash.normalized(String(repeating: "C", count: 64), for: .bitcoin) == String(repeating: "c", count: 64))
        #expect(try TransactionHash.normalized(Hashes.tron, for: .tron) == Hashes.tron)
    }

    @Test("wrong lengths, prefixes and alphabets are refused", arguments: [
        (ChainKind.evm, String(repeating: "a", count: 64)),
        (.evm, "0x" + String(repeating: "a", count: 63)),
        (.evm, "0x" + String(repeating: "g", count: 64)),
        (.bitcoin, "0x" + String(repeating: "a", count: 64)),
        (.bitcoin, String(repeating: "a", count: 65)),
        (.tron, "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf"),
        (.tron, ""),
        (.bitcoin, String(repeating: "é", count: 64)),
    ])
    func refused(chain: ChainKind, hash: String) {
        #expect(throws: ChainLookupError.self) { try TransactionHash.normalized(hash, for: chain) }
    }

    @Test("no request is sent for an invalid hash")
    func noRequest() async {
        let transport = ReplayTransport([:])
        for chain in ChainKind.allCases {
            await #expect(throws: ChainLookupError.self) { try await ChainClients.make(chain, transport: transport).transaction("not-a-hash") }
        }
        #expect(transport.keys.isEmpty)
    }
}

@Suite("Endpoints and errors")
struct EndpointTests {
    @Test("credentials in the URL become a Basic header and leave the URL")
    func credentials() throws {
        let endpoint = try ChainEndpoint("http://kefu:s3cret@127.0.0.1:19332/")
        #expect(endpoint.url == "http://127.0.0.1:19332/")
        #expect(endpoint.authorization == "Basic " + Data("kefu:s3cret".utf8).base64EncodedString())
        #expect(ChainEndpoint.masked("http://kefu:s3cret@127.0.0.1:19332/") == "http://kefu:***@127.0.0.1:19332/")
        #expect(ChainEndpoint.masked("https://eth.example.com/v1") == "https://eth.example.com/v1")
        #expect(try ChainEndpoint("https://eth.example.com/v1").authorization == nil)
    }

    @Test("only http and https URLs with a host are endpoints", arguments: ["ftp://node", "127.0.0.1:8545", "http://", "", "http://node/?key=1"])
    func refused(url: String) {
        #expect(throws: ChainLookupError.self) { try ChainEndpoint(url) }
    }

    @Test("a closed port is unreachable and a silent one times out, within the deadline")
    func network() async throws {
        let closed = try ChainClients.make(.evm, rpcURL: "http://127.0.0.1:9", timeout: .seconds(2))
        await #expect(throws: ChainLookupError.unreachable("connection refused")) { try await closed.transaction(Hashes.evm) }

        // A socket that accepts and never answers.
        let server = try SilentServer()
        defer { server.close() }
        let silent = try ChainClients.make(.bitcoin, rpcURL: "http://user:pw@127.0.0.1:\(server.port)", timeout: .milliseconds(300))
        let started = ContinuousClock.now
        await #expect(throws: ChainLookupError.timeout) { try await silent.transaction(Hashes.bitcoin) }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test("messages never carry the endpoint")
    func messages() {
        let errors: [ChainLookupError] = [.timeout, .unreachable("connection refused"), .badResponse("HTTP 502 to eth_blockNumber"), .rpcError(code: -5, message: "No such transaction")]
        for error in errors { #expect(!error.description.contains("http")) }
        #expect(ChainLookupError.timeout.isTransient)
        #expect(!ChainLookupError.invalidHash(chain: .evm, reason: "x").isTransient)
    }

    @Test("the status JSON uses camelCase keys and ISO-8601 time, and reads back")
    func json() throws {
        let status = TransactionStatus(chain: .tron, hash: Hashes.tron, state: .notFound, confirmations: 0, blockNumber: nil,
                                       checkedAt: Date(timeIntervalSince1970: 1_763_931_000))
        let data = try JSONEncoder().encode(status)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["state"] as? String == "not_found")
        #expect(object["checkedAt"] as? String == "2025-11-23T20:50:00Z")
        #expect(object["blockNumber"] is NSNull)
        #expect(Set(object.keys) == ["chain", "hash", "state", "confirmations", "blockNumber", "checkedAt"])
        #expect(try JSONDecoder().decode(TransactionStatus.self, from: data) == status)
    }
}

@Suite("Cache")
struct CacheTests {
    @Test("pending answers expire sooner than confirmed ones; errors are not kept")
    func lifetimes() async throws {
        let base = CountingClient()
        let clock = ManualClock()
        let cache = CachingChainClient(base, lifetimes: .init(failed: .seconds(600), confirmed: .seconds(60), pending: .seconds(10), notFound: .seconds(10)),
                                       now: { clock.now })
        _ = try await cache.transaction(Hashes.evm)
        _ = try await cache.transaction(Hashes.evm.uppercased().replacingOccurrences(of: "0X", with: "0x"))
        #expect(base.calls == 1)
        clock.advance(.seconds(11))
        base.answer(.success(.confirmed))
        #expect(try await cache.transaction(Hashes.evm).state == .confirmed)
        #expect(base.calls == 2)
        clock.advance(.seconds(30))
        #expect(try await cache.transaction(Hashes.evm).state == .confirmed)
        #expect(base.calls == 2)
        clock.advance(.seconds(31))
        _ = try await cache.transaction(Hashes.evm)
        #expect(base.calls == 3)

        let other = "0x" + String(repeating: "1", count: 64)
        base.answer(.failure(.timeout))
        await #expect(throws: ChainLookupError.timeout) { try await cache.transaction(other) }
        await #expect(throws: ChainLookupError.timeout) { try await cache.transaction(other) }
        #expect(base.calls == 5)
        await #expect(throws: ChainLookupError.self) { try await cache.transaction("0x12") }
        #expect(base.calls == 5)
    }

    @Test("a full cache stays within its capacity")
    func capacity() async throws {
        let base = CountingClient(chain: .bitcoin)
        let cache = CachingChainClient(base, capacity: 3)
        for i in 0..<10 { _ = try await cache.transaction(String(format: "%064x", i)) }
        #expect(await cache.count == 3)
    }
}
