import Foundation

/// What a complaining customer said that the teams handling it will need beside the
/// transactions and addresses the shield finds: how much of which asset, and the order
/// numbers they quote. English and Chinese, as customers write them: "500 USDT", "5万U",
/// "¥2,000", "0.5 eth", "订单号：2026120112345", "order #A1B2C3".
public enum ComplaintFactFinder {
    public struct Found: Sendable, Equatable {
        /// "500 USDT", "50000 CNY": the number as a plain decimal, then the asset's symbol.
        public var amounts: [String] = []
        /// Assets named, with or without an amount: "USDT", "ETH".
        public var assets: [String] = []
        public var orders: [String] = []
        public init(amounts: [String] = [], assets: [String] = [], orders: [String] = []) {
            self.amounts = amounts; self.assets = assets; self.orders = orders
        }
    }

    public static func find(_ text: String) -> Found {
        var found = Found()
        func add(_ value: String, to list: WritableKeyPath<Found, [String]>) {
            if !found[keyPath: list].contains(value) { found[keyPath: list].append(value) }
        }
        for match in text.matches(of: amountAfter) {
            guard let asset = symbol(String(match.output.asset)), let amount = decimal(String(match.output.number), scale: match.output.scale.map(String.init)) else { continue }
            add("\(amount) \(asset)", to: \.amounts)
            add(asset, to: \.assets)
        }
        for match in text.matches(of: amountBefore) {
            guard let asset = symbol(String(match.output.sign)), let amount = decimal(String(match.output.number), scale: nil) else { continue }
            add("\(amount) \(asset)", to: \.amounts)
        }
        for match in text.matches(of: assetNamed) {
            if let asset = symbol(String(match.output.1)), !isMoney(asset) { add(asset, to: \.assets) }
        }
        for match in text.matches(of: order) where match.output.id.contains(where: { $0.isASCII && $0.isNumber }) {
            add(String(match.output.id), to: \.orders)
        }
        return found
    }

    // MARK: vocabulary

    /// What customers call an asset, by the symbol it is filed under.
    private static let symbols: [String: String] = [
        "usdt": "USDT", "u": "USDT", "泰达币": "USDT", "usdc": "USDC", "btc": "BTC", "比特币": "BTC", "eth": "ETH", "以太坊": "ETH", "以太币": "ETH",
        "trx": "TRX", "波场": "TRX", "bnb": "BNB", "sol": "SOL", "dai": "DAI", "matic": "MATIC", "pol": "POL", "doge": "DOGE", "狗狗币": "DOGE",
        "ltc": "LTC", "莱特币": "LTC", "xrp": "XRP", "ton": "TON",
        "元": "CNY", "块": "CNY", "人民币": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY",
        "美元": "USD", "美金": "USD", "usd": "USD", "$": "USD", "dollars": "USD", "dollar": "USD",
    ]

    private static func symbol(_ raw: String) -> String? { symbols[raw.lowercased()] }
    private static func isMoney(_ symbol: String) -> Bool { symbol == "CNY" || symbol == "USD" }

    /// "1,000.5" with "万" → "10005000": a plain decimal, without grouping or trailing zeros.
    private static func decimal(_ number: String, scale: String?) -> String? {
        guard var value = Decimal(string: number.replacingOccurrences(of: ",", with: ""), locale: Locale(identifier: "en_US_POSIX")), value > 0 else { return nil }
        switch scale?.lowercased() {
        case "k", "千": value *= 1_000
        case "w", "万": value *= 10_000
        default: break
        }
        return NSDecimalNumber(decimal: value).stringValue
    }

    // `Regex` is not `Sendable`; these are constants, never changed, and matching only reads them.
    nonisolated(unsafe) private static let amountAfter = #/(?i)(?:^|[^0-9a-z.,])(?<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s?(?<scale>[kw千万])?\s?(?<asset>usdt|usdc|btc|eth|trx|bnb|sol|dai|matic|pol|doge|ltc|xrp|ton|rmb|cny|usd|dollars?|u|泰达币|比特币|以太坊|以太币|波场|狗狗币|莱特币|元|块|人民币|美元|美金)(?![a-z])/#
    nonisolated(unsafe) private static let amountBefore = #/(?<sign>[¥￥$])\s?(?<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)/#
    nonisolated(unsafe) private static let assetNamed = #/(?i)(?:^|[^a-z])(usdt|usdc|btc|eth|trx|bnb|sol|doge|ltc|xrp|泰达币|比特币|以太坊|以太币|波场)(?![a-z])/#
    nonisolated(unsafe) private static let order = #/(?i)(?:order(?:\s?(?:id|no\.?|number))?|订单号?|单号|工单号?)\s?[:：#＃]?\s?(?<id>[a-z0-9][a-z0-9-]{5,31})(?![a-z0-9])/#
}
