import Foundation
import KefuChain
import Testing

// Node answers: Bitcoin ones recorded from litecoind in regtest; EVM ones recorded from
// eth-tester's EVM (the hashes, addresses and block of a real transfer) in the JSON-RPC
// shape geth documents; TRON ones representative answers from the TRON HTTP API
// documentation, numbers changed to make the arithmetic visible.

@Suite("EVM client")
struct EVMClientTests {
    static let minedReceipt = """
        {"jsonrpc":"2.0","id":1,"result":{"blockHash":"0x84870989a54090ad376b620ed321b20f7738c4f83d97b46c0550dfb6a886c187",\
        "blockNumber":"0x1","contractAddress":null,"cumulativeGasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00",\
        "from":"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf","gasUsed":"0x5208","logs":[],"status":"0x1",\
        "to":"0x2b5ad5c4795c026514f8317c7a215e218dccd6cf","transactionHash":"\(Hashes.evm)","transactionIndex":"0x0","type":"0x2"}}
        """

    @Test("a mined transaction is confirmed, counting its own block")
    func confirmed() async throws {
        let transport = ReplayTransport([
            "eth_getTransactionReceipt": .json(Self.minedReceipt),
            "eth_blockNumber": .json(#"{"jsonrpc":"2.0","id":1,"result":"0x3"}"#),
        ])
        let status = try await EVMClient(transport: transport).transaction(Hashes.evm.uppercased().replacingOccurrences(of: "0X", with: "0x"))
        #expect(status.state == .confirmed)
        #expect(status.confirmations == 3)
        #expect(status.blockNumber == 1)
        #expect(status.hash == Hashes.evm)
        #expect(transport.bodies(for: "eth_getTransactionReceipt").first?.contains(Hashes.evm) == true)
    }

    @Test("a receipt with status 0x0 is a failed transaction")
    func failed() async throws {
        let transport = ReplayTransport([
            "eth_getTransactionReceipt": .json(Self.minedReceipt.replacingOccurrences(of: #""status":"0x1""#, with: #""status":"0x0""#)),
            "eth_blockNumber": .json(#"{"jsonrpc":"2.0","id":1,"result":"0x1"}"#),
        ])
        let status = try await EVMClient(transport: transport).transaction(Hashes.evm)
        #expect(status.state == .failed)
        #expect(status.confirmations == 1)
    }

    @Test("no receipt but a known transaction is pending; neither is not found")
    func pendingAndNotFound() async throws {
        let pending = ReplayTransport([
            "eth_getTransactionReceipt": .json(#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            "eth_getTransactionByHash": .json(#"{"jsonrpc":"2.0","id":1,"result":{"hash":"\#(Hashes.evm)","blockNumber":null,"blockHash":null,"nonce":"0x0"}}"#),
        ])
        let pendingStatus = try await EVMClient(transport: pending).transaction(Hashes.evm)
        #expect(pendingStatus.state == .pending)
        #expect(pendingStatus.confirmations == 0)
        #expect(pendingStatus.blockNumber == nil)

        let unknown = ReplayTransport([
            "eth_getTransactionReceipt": .json(#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            "eth_getTransactionByHash": .json(#"{"jsonrpc":"2.0","id":1,"result":null}"#),
        ])
        #expect(try await EVMClient(transport: unknown).transaction(Hashes.evm).state == .notFound)
        #expect(unknown.keys == ["eth_getTransactionReceipt", "eth_getTransactionByHash"])
    }

    @Test("JSON-RPC errors, HTML and garbage become typed errors")
    func errors() async throws {
        let rpcError = ReplayTransport(["eth_getTransactionReceipt": .json(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method does not exist"}}"#)])
        await #expect(throws: ChainLookupError.rpcError(code: -32601, message: "the method does not exist")) {
            try await EVMClient(transport: rpcError).transaction(Hashes.evm)
        }
        let html = ReplayTransport(["eth_getTransactionReceipt": .json("<html>Bad Gateway</html>", status: 502)])
        await #expect(throws: ChainLookupError.badResponse("HTTP 502 to eth_getTransactionReceipt")) {
            try await EVMClient(transport: html).transaction(Hashes.evm)
        }
        let badQuantity = ReplayTransport([
            "eth_getTransactionReceipt": .json(Self.minedReceipt),
            "eth_blockNumber": .json(#"{"jsonrpc":"2.0","id":1,"result":"three"}"#),
        ])
        await #expect(throws: ChainLookupError.badResponse("blockNumber is not a hex quantity")) {
            try await EVMClient(transport: badQuantity).transaction(Hashes.evm)
        }
        let down = ReplayTransport(["eth_getTransactionReceipt": .failure(.timeout)])
        await #expect(throws: ChainLookupError.timeout) { try await EVMClient(transport: down).transaction(Hashes.evm) }
    }
}

@Suite("Bitcoin client")
struct BitcoinClientTests {
    // Recorded from litecoind 0.21 in regtest (vin, vout and hex shortened).
    static let txid = "59cdbbd8e8018481ac7876ceaa9a1aa0bf30d78fe10239fe4b805e1328bdb2b8"
    static let mempool = #"{"result":{"txid":"59cdbbd8e8018481ac7876ceaa9a1aa0bf30d78fe10239fe4b805e1328bdb2b8","hash":"f625cff980d09bbe3d1aca9a6a6c96ae246b0acb924262476ac93d6364b0fbea","version":2,"size":222,"vsize":141,"weight":561,"locktime":101,"vin":[],"vout":[],"hex":"0200000000010107"},"error":null,"id":1}"#
    static let confirmed = #"{"result":{"txid":"59cdbbd8e8018481ac7876ceaa9a1aa0bf30d78fe10239fe4b805e1328bdb2b8","hash":"f625cff980d09bbe3d1aca9a6a6c96ae246b0acb924262476ac93d6364b0fbea","version":2,"size":222,"vsize":141,"weight":561,"locktime":101,"vin":[],"vout":[],"hex":"0200000000010107","blockhash":"6ec99fcc12f986fa55f577f2c4a79f5d016f1aab45f8dbf4c271367a437ca28d","confirmations":3,"time":1795469336,"blocktime":1795469336},"error":null,"id":1}"#
    static let header = #"{"result":{"hash":"6ec99fcc12f986fa55f577f2c4a79f5d016f1aab45f8dbf4c271367a437ca28d","confirmations":3,"height":102,"version":536870912,"versionHex":"20000000","merkleroot":"ea932e7c2a1091595cf0d0cc1091b86941e00fdc9087ec1cde35b2fed7b04138","time":1795469336,"mediantime":1795469335,"nonce":0,"bits":"207fffff","difficulty":4.656542373906925e-10,"chainwork":"00000000000000000000000000000000000000000000000000000000000000ce","nTx":2,"previousblockhash":"717938e28e84cd04e8d0932b0e5c317109a6082e612cbc09fc12759ddf499d42","nextblockhash":"c3c99e26d27a1ce78a26cae2a45a7f58a13a2295961758028dc13b0c9b273363"},"error":null,"id":1}"#
    static let unknown = #"{"result":null,"error":{"code":-5,"message":"No such mempool or blockchain transaction. Use gettransaction for wallet transactions."},"id":1}"#

    @Test("a transaction in a block is confirmed with the node's confirmations and the block height")
    func confirmed() async throws {
        let transport = ReplayTransport(["getrawtransaction": .json(Self.confirmed), "getblockheader": .json(Self.header)])
        let status = try await BitcoinClient(transport: transport).transaction(Self.txid.uppercased())
        #expect(status.state == .confirmed)
        #expect(status.confirmations == 3)
        #expect(status.blockNumber == 102)
        #expect(status.hash == Self.txid)
        let request = try #require(transport.bodies(for: "getrawtransaction").first)
        #expect(request.contains(#""params":["\#(Self.txid)",true]"#))
        #expect(request.contains(#""jsonrpc":"1.0""#))
        #expect(transport.bodies(for: "getblockheader").first?.contains("6ec99fcc12f986fa55f577f2c4a79f5d016f1aab45f8dbf4c271367a437ca28d") == true)
    }

    @Test("a mempool transaction (no confirmations field) is pending")
    func pending() async throws {
        let transport = ReplayTransport(["getrawtransaction": .json(Self.mempool)])
        let status = try await BitcoinClient(transport: transport).transaction(Self.txid)
        #expect(status.state == .pending)
        #expect(status.confirmations == 0)
        #expect(transport.keys == ["getrawtransaction"])
    }

    @Test("error -5 (sent with HTTP 500, as Bitcoin Core does) is not found; other RPC errors stay errors")
    func errors() async throws {
        let unknown = ReplayTransport(["getrawtransaction": .json(Self.unknown, status: 500)])
        #expect(try await BitcoinClient(transport: unknown).transaction(Hashes.bitcoin).state == .notFound)

        let warmingUp = ReplayTransport([
            "getrawtransaction": .json(#"{"result":null,"error":{"code":-28,"message":"Loading block index..."},"id":1}"#, status: 500),
        ])
        await #expect(throws: ChainLookupError.rpcError(code: -28, message: "Loading block index...")) {
            try await BitcoinClient(transport: warmingUp).transaction(Hashes.bitcoin)
        }
        let wrongPassword = ReplayTransport(["getrawtransaction": .json("", status: 401)])
        await #expect(throws: ChainLookupError.rpcError(code: 401, message: "the node refused the RPC credentials (HTTP 401)")) {
            try await BitcoinClient(transport: wrongPassword).transaction(Hashes.bitcoin)
        }
    }
}

@Suite("TRON client")
struct TronClientTests {
    static let nowBlock = #"{"blockID":"0000000003a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b","block_header":{"raw_data":{"number":60927690,"txTrieRoot":"0000000000000000000000000000000000000000000000000000000000000000","witness_address":"41b4a428ab7092c2f1395f376ce297033b3bb446c1","parentHash":"0000000003a1b2c2","version":30,"timestamp":1763931000000},"witness_signature":"aa"}}"#

    @Test("a TRX transfer in a block (receipt without result) is confirmed")
    func confirmed() async throws {
        let transport = ReplayTransport([
            "/wallet/gettransactioninfobyid": .json(#"{"id":"\#(Hashes.tron)","blockNumber":60927671,"blockTimeStamp":1763930943000,"contractResult":[""],"receipt":{"net_usage":268}}"#),
            "/wallet/getnowblock": .json(Self.nowBlock),
        ])
        let status = try await TronClient(transport: transport).transaction(Hashes.tron)
        #expect(status.state == .confirmed)
        #expect(status.confirmations == 20)
        #expect(status.blockNumber == 60927671)
        #expect(transport.bodies(for: "/wallet/gettransactioninfobyid") == [#"{"value":"\#(Hashes.tron)"}"#])
    }

    @Test("a contract call whose receipt says REVERT, or whose result is FAILED, has failed")
    func failed() async throws {
        for info in [
            #"{"id":"\#(Hashes.tron)","blockNumber":60927689,"contractResult":["08c379a0"],"contract_address":"41a614f803b6fd780986a42c78ec9c7f77e6ded13c","receipt":{"energy_usage_total":13009,"net_usage":345,"result":"REVERT"},"result":"FAILED","resMessage":"5245564552543a"}"#,
            #"{"id":"\#(Hashes.tron)","blockNumber":60927689,"receipt":{"energy_usage_total":64285,"result":"OUT_OF_ENERGY"}}"#,
        ] {
            let transport = ReplayTransport(["/wallet/gettransactioninfobyid": .json(info), "/wallet/getnowblock": .json(Self.nowBlock)])
            let status = try await TronClient(transport: transport).transaction(Hashes.tron)
            #expect(status.state == .failed)
            #expect(status.confirmations == 2)
        }
        let succeeded = ReplayTransport([
            "/wallet/gettransactioninfobyid": .json(#"{"id":"\#(Hashes.tron)","blockNumber":60927690,"receipt":{"energy_usage_total":29631,"net_usage":345,"result":"SUCCESS"},"log":[]}"#),
            "/wallet/getnowblock": .json(Self.nowBlock),
        ])
        let status = try await TronClient(transport: succeeded).transaction(Hashes.tron)
        #expect(status.state == .confirmed)
        #expect(status.confirmations == 1)
    }

    @Test("an empty info object is pending when the node has the transaction, else not found")
    func pendingAndNotFound() async throws {
        let pending = ReplayTransport([
            "/wallet/gettransactioninfobyid": .json("{}"),
            "/wallet/gettransactionbyid": .json(#"{"ret":[{"contractRet":"SUCCESS"}],"txID":"\#(Hashes.tron)","raw_data":{"contract":[{"type":"TransferContract"}],"ref_block_bytes":"b2c3","expiration":1763931060000,"timestamp":1763931000000}}"#),
        ])
        #expect(try await TronClient(transport: pending).transaction(Hashes.tron).state == .pending)
        let unknown = ReplayTransport(["/wallet/gettransactioninfobyid": .json("{}"), "/wallet/gettransactionbyid": .json("{}")])
        #expect(try await TronClient(transport: unknown).transaction(Hashes.tron).state == .notFound)
        #expect(unknown.keys == ["/wallet/gettransactioninfobyid", "/wallet/gettransactionbyid"])
    }

    @Test("the API's Error objects and non-JSON answers become typed errors")
    func errors() async throws {
        let refused = ReplayTransport(["/wallet/gettransactioninfobyid": .json(#"{"Error":"class java.lang.IllegalArgumentException : invalid hex"}"#)])
        await #expect(throws: ChainLookupError.rpcError(code: 0, message: "class java.lang.IllegalArgumentException : invalid hex")) {
            try await TronClient(transport: refused).transaction(Hashes.tron)
        }
        let broken = ReplayTransport(["/wallet/gettransactioninfobyid": .json("not json")])
        await #expect(throws: ChainLookupError.badResponse("/wallet/gettransactioninfobyid answered with unexpected JSON")) {
            try await TronClient(transport: broken).transaction(Hashes.tron)
        }
    }
}
