import Foundation
import KefuShield

/// What the customer reads at once after sending a look-alike of the workspace's site.
enum PhishingWarning {
    static func text(chinese: Bool, hosts: [(host: String, imitates: String)], officialDomains: [String]) -> String {
        let official = officialDomains.map(HostName.displayed)
        let lines = hosts.map { found -> String in
            let host = HostName.displayed(found.host)
            let imitates = HostName.displayed(found.imitates)
            return chinese
                ? "⚠️ 您发送的链接（\(host)）不是我们的官方网站，它在冒充 \(imitates)。请不要在那里输入助记词，也不要连接您的钱包。"
                : "⚠️ The link you sent (\(host)) is NOT our official site; it imitates \(imitates). Do not enter your recovery phrase or connect your wallet there."
        }
        let list = chinese ? "我们的官方网站：" + official.joined(separator: "、") + "。" : "Our official sites: " + official.joined(separator: ", ") + "."
        return (lines + [list]).joined(separator: " ")
    }
}

/// What the customer reads at once after exposing a recovery phrase or private key.
enum SecurityWarning {
    static func text(chinese: Bool, kinds: [String]) -> String {
        let phrase = kinds.contains("mnemonic")
        if chinese {
            let what = phrase ? "助记词" : "私钥"
            return "⚠️ 我们已隐藏您发送的\(what)，客服看不到它。但它已经离开了您的设备，请视为已泄露：任何得到它的人都能转走您的资产。"
                + "请立即创建一个新钱包（新的助记词），并把全部资产转入新钱包。我们的客服永远不会索要您的助记词、私钥或密码。"
        }
        let what = phrase ? "recovery phrase" : "private key"
        return "⚠️ We hid the \(what) you sent, so our team cannot see it. It has still left your device, so treat it as exposed: "
            + "anyone who has it can take your funds. Create a new wallet (with a new recovery phrase) now and move all your assets to it. "
            + "Our support team will never ask for your recovery phrase, private key or password."
    }
}

/// What a customer reporting theft, a hacked account or a scam reads at once: a person is
/// coming, and what to do (and not do) until then. Scammers wait for exactly this moment.
enum SecurityReportNotice {
    static func text(chinese: Bool) -> String {
        if chinese {
            return "⚠️ 您的问题已标记为紧急，并已直接转给我们的客服人员，请在这里等待回复。在此期间：不要向任何人发送资金或\"解冻费\"，"
                + "不要点击私信里的链接，也不要与主动联系您的\"客服\"沟通。我们的客服永远不会索要您的助记词、私钥或密码。"
        }
        return "⚠️ We have marked this as urgent and passed it straight to our support team; please wait for their reply here. Until then: "
            + "do not send funds or \"unlock fees\" to anyone, do not open links sent to you in private messages, and do not talk to \"support\" "
            + "that contacts you first. Our team will never ask for your recovery phrase, private key or password."
    }
}
