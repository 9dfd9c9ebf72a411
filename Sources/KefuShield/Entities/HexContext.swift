/// Reads the words just before a 64-hex string to tell a transaction hash (public,
/// kept) from a private key (secret, redacted). Without a transaction word the
/// string is treated as a key: hiding a hash by mistake costs little, showing a key
/// costs everything.
struct HexContext {
    /// How far back, in scalars, the words that decide are looked for.
    static let window = 30

    struct Verdict: Equatable {
        var isTransaction: Bool
        var chain: Chain?
    }

    private static let transactionWords: Set<String> = [
        "tx", "txs", "txid", "txids", "txhash", "txn", "txns", "hash", "hashes", "transaction", "transactions",
        "transfer", "transfers",
    ]
    private static let keyWords: Set<String> = ["private", "privkey", "priv", "privatekey", "secret", "wif"]
    private static let transactionPhrases = ["交易", "哈希", "转账", "转帐", "轉賬", "轉帳", "交易号", "交易號"]
    private static let keyPhrases = ["私钥", "私鑰", "密钥", "密鑰"]
    private static let chainWords: [String: Chain] = [
        "btc": .bitcoin, "bitcoin": .bitcoin, "mempool": .bitcoin, "blockstream": .bitcoin,
        "tron": .tron, "trx": .tron, "trc20": .tron, "tronscan": .tron,
        "eth": .evm, "ethereum": .evm, "erc20": .evm, "etherscan": .evm, "bsc": .evm, "bep20": .evm,
        "bscscan": .evm, "polygon": .evm, "polygonscan": .evm, "arbiscan": .evm,
    ]
    private static let chainPhrases: [(String, Chain)] = [("比特币", .bitcoin), ("波场", .tron), ("以太坊", .evm)]

    /// `start` is where the hex (or its `0x`) begins; `previousTransactionEnd` is where
    /// an earlier transaction hash ended, so a list of hashes after one "tx hashes:" stays hashes.
    static func verdict(_ scalars: [UInt32], start: Int, previousTransactionEnd: Int?) -> Verdict {
        let from = max(0, start - window)
        var transactionAt = -1
        var keyAt = -1
        var chain: Chain?
        if let previousTransactionEnd, previousTransactionEnd >= from { transactionAt = previousTransactionEnd }

        var i = from
        while i < start {
            let v = scalars[i]
            if Scalars.isASCIILetter(v) {
                var end = i + 1
                while end < start, Scalars.isASCIIAlphanumeric(scalars[end]) { end += 1 }
                // A word cut by the window's edge is not a word.
                if i == from && from > 0 && Scalars.isASCIIAlphanumeric(scalars[from - 1]) {
                    i = end
                    continue
                }
                let word = String(String.UnicodeScalarView(scalars[i..<end].compactMap { Unicode.Scalar(Scalars.lowerASCII($0)) }))
                if transactionWords.contains(word) { transactionAt = i }
                if keyWords.contains(word) { keyAt = i }
                if let named = chainWords[word] { chain = named }
                i = end
                continue
            }
            if v >= 0x4E00 {
                for phrase in transactionPhrases where matches(phrase, scalars, at: i) { transactionAt = i }
                for phrase in keyPhrases where matches(phrase, scalars, at: i) { keyAt = i }
                for (phrase, named) in chainPhrases where matches(phrase, scalars, at: i) { chain = named }
            }
            i += 1
        }
        return Verdict(isTransaction: transactionAt >= 0 && transactionAt > keyAt, chain: chain)
    }

    private static func matches(_ phrase: String, _ scalars: [UInt32], at i: Int) -> Bool {
        var j = i
        for scalar in phrase.unicodeScalars {
            guard j < scalars.count, scalars[j] == scalar.value else { return false }
            j += 1
        }
        return true
    }
}
