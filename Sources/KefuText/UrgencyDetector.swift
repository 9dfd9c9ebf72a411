/// Whether a conversation jumps the queue.
public enum Urgency: String, Sendable, Codable, CaseIterable {
    case urgent, normal

    public var displayName: LocalizedText {
        switch self {
        case .urgent: return LocalizedText(en: "Urgent", zhHans: "紧急")
        case .normal: return LocalizedText(en: "Normal", zhHans: "普通")
        }
    }
}

/// Why a message was found urgent.
public enum UrgencyReason: String, Sendable, Codable, CaseIterable {
    case theft
    case accountTakeover
    case scam
    case lostFunds
    case unauthorisedTransfer

    public var displayName: LocalizedText {
        switch self {
        case .theft: return LocalizedText(en: "Theft", zhHans: "资产被盗")
        case .accountTakeover: return LocalizedText(en: "Hacked account", zhHans: "账户被盗用")
        case .scam: return LocalizedText(en: "Scam", zhHans: "诈骗")
        case .lostFunds: return LocalizedText(en: "Lost funds", zhHans: "资金丢失")
        case .unauthorisedTransfer: return LocalizedText(en: "Unauthorised transfer", zhHans: "未经授权的转账")
        }
    }
}

public struct UrgencyAssessment: Sendable, Hashable {
    public let urgency: Urgency
    /// Every reason found, in `UrgencyReason` declaration order.
    public let reasons: [UrgencyReason]
}

/// Flags messages about stolen funds, hacked accounts, scams, lost funds and
/// transfers the customer did not make, in English and Chinese. It errs
/// towards urgent: a question such as "is this a scam?" is urgent too,
/// because the customer may be about to lose money.
public enum UrgencyDetector {
    public static func assess(_ text: String) -> UrgencyAssessment {
        let normalized = TextNormalizer.normalize(text)
        let words = Tokenizer.tokens(normalized: normalized)
        let scalars = Array(normalized.unicodeScalars)
        let found = Set(UrgencyLexicon.matcher.matches(words: words, scalars: scalars).map(\.value))
        let reasons = UrgencyReason.allCases.filter(found.contains)
        return UrgencyAssessment(urgency: reasons.isEmpty ? .normal : .urgent, reasons: reasons)
    }
}

enum UrgencyLexicon {
    static let matcher = PhraseMatcher<UrgencyReason>(entries)

    private static let funds = ["funds", "fund", "money", "coins", "crypto", "btc", "bitcoin", "eth", "usdt",
                                "tokens", "assets", "balance", "savings", "nft", "nfts", "wallet"]

    private static var entries: [(String, UrgencyReason)] {
        var list: [(String, UrgencyReason)] = [
            ("stolen", .theft), ("stole", .theft), ("steal*", .theft), ("theft", .theft), ("thief", .theft),
            ("thieves", .theft), ("robbed", .theft), ("drained", .theft),
            ("hacked", .accountTakeover), ("hacker*", .accountTakeover), ("hacking", .accountTakeover),
            ("compromised", .accountTakeover), ("taken over", .accountTakeover), ("took over", .accountTakeover),
            ("someone logged", .accountTakeover), ("someone changed my", .accountTakeover),
            ("scam*", .scam), ("phish*", .scam), ("fraud*", .scam), ("fake support", .scam),
            ("fake website", .scam), ("impersonat*", .scam),
            ("unauthori*", .unauthorisedTransfer), ("didn t authori*", .unauthorisedTransfer),
            ("did not authori*", .unauthorisedTransfer), ("not authori*", .unauthorisedTransfer),
            ("didn t make", .unauthorisedTransfer), ("did not make", .unauthorisedTransfer),
            ("wasn t me", .unauthorisedTransfer), ("was not me", .unauthorisedTransfer),
            ("don t recogni*", .unauthorisedTransfer), ("do not recogni*", .unauthorisedTransfer),
            ("unrecogni*", .unauthorisedTransfer), ("someone withdrew", .unauthorisedTransfer),
            ("someone transferred", .unauthorisedTransfer), ("someone sent", .unauthorisedTransfer),
            ("someone took", .theft),
            // Chinese, Simplified then Traditional where it differs.
            ("被盗", .theft), ("被盜", .theft), ("盗取", .theft), ("盗走", .theft), ("盜走", .theft),
            ("被偷", .theft), ("偷走", .theft), ("盗币", .theft),
            ("被黑", .accountTakeover), ("黑客", .accountTakeover), ("駭客", .accountTakeover),
            ("被駭", .accountTakeover), ("盗号", .accountTakeover), ("盜號", .accountTakeover),
            ("被入侵", .accountTakeover), ("异地登录", .accountTakeover), ("被人登录", .accountTakeover),
            ("密码被改", .accountTakeover), ("被改密码", .accountTakeover), ("密碼被改", .accountTakeover),
            ("诈骗", .scam), ("詐騙", .scam), ("骗子", .scam), ("騙子", .scam), ("被骗", .scam), ("被騙", .scam),
            ("骗局", .scam), ("钓鱼", .scam), ("釣魚", .scam), ("假客服", .scam), ("假冒", .scam),
            ("资金丢失", .lostFunds), ("資金丟失", .lostFunds), ("丢失", .lostFunds), ("丟失", .lostFunds),
            ("不见了", .lostFunds), ("不見了", .lostFunds), ("消失了", .lostFunds), ("币没了", .lostFunds),
            ("钱没了", .lostFunds), ("资产没了", .lostFunds), ("被清空", .lostFunds),
            ("未经授权", .unauthorisedTransfer), ("未經授權", .unauthorisedTransfer),
            ("未授权", .unauthorisedTransfer), ("被转走", .unauthorisedTransfer), ("被轉走", .unauthorisedTransfer),
            ("被转出", .unauthorisedTransfer), ("被提走", .unauthorisedTransfer), ("莫名转出", .unauthorisedTransfer),
            ("不是我操作", .unauthorisedTransfer), ("非本人操作", .unauthorisedTransfer),
            ("我没有操作", .unauthorisedTransfer), ("不是本人", .unauthorisedTransfer),
        ]
        for word in funds {
            list.append(("lost my \(word)", .lostFunds))
            list.append(("lost all my \(word)", .lostFunds))
            list.append(("lost \(word)", .lostFunds))
            list.append(("missing \(word)", .lostFunds))
            list.append(("\(word) missing", .lostFunds))
            list.append(("\(word) disappeared", .lostFunds))
            list.append(("\(word) gone", .lostFunds))
            list.append(("\(word) is gone", .lostFunds))
            list.append(("\(word) are gone", .lostFunds))
            list.append(("\(word) vanished", .lostFunds))
        }
        return list
    }
}
