import AsyncHTTPClient

/// Builds the client for a chain and a node URL.
public enum ChainClients {
    public static func make(_ chain: ChainKind, rpcURL: String, httpClient: HTTPClient = .shared,
                            timeout: Duration = .seconds(5)) throws(ChainLookupError) -> any ChainClient {
        let transport = HTTPChainTransport(endpoint: try ChainEndpoint(rpcURL), httpClient: httpClient, timeout: timeout)
        return make(chain, transport: transport)
    }

    public static func make(_ chain: ChainKind, transport: any ChainTransport) -> any ChainClient {
        switch chain {
        case .evm: EVMClient(transport: transport)
        case .bitcoin: BitcoinClient(transport: transport)
        case .tron: TronClient(transport: transport)
        }
    }
}
