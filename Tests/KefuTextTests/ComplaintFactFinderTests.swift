import Testing
import KefuText

@Suite("Complaint facts: amounts, assets and order numbers as customers write them")
struct ComplaintFactFinderTests {
    @Test("amounts", arguments: [
        ("我转了500 USDT到你们平台，一直没到账", ["500 USDT"]),
        ("提了 5万U 三天了", ["50000 USDT"]),
        ("sent 0.5 eth yesterday and 1,200.50 usdt today", ["0.5 ETH", "1200.5 USDT"]),
        ("损失了¥2,000，还有 300元 手续费", ["300 CNY", "2000 CNY"]),
        ("I lost $1,500 because of your app", ["1500 USD"]),
        ("充值 2k usdt", ["2000 USDT"]),
        ("my withdrawal of 0.01BTC is stuck", ["0.01 BTC"]),
        ("等了3天了", []),
        ("version 2.5 upgrade broke it", []),
        ("I have 3 units", []),
    ])
    func amounts(_ text: String, expected: [String]) {
        #expect(ComplaintFactFinder.find(text).amounts == expected)
    }

    @Test("assets named without an amount", arguments: [
        ("我的USDT提币一直没到", ["USDT"]),
        ("eth and btc both missing", ["ETH", "BTC"]),
        ("比特币转错地址了", ["BTC"]),
        ("the solution did not work", []),
        ("我要投诉", []),
    ])
    func assets(_ text: String, expected: [String]) {
        #expect(ComplaintFactFinder.find(text).assets == expected)
    }

    @Test("order numbers", arguments: [
        ("订单号：2026120112345 的退款呢", ["2026120112345"]),
        ("order #A1B2C3D4 was charged twice", ["A1B2C3D4"]),
        ("Order ID: ORD-889912 never arrived", ["ORD-889912"]),
        ("单号 88776655", ["88776655"]),
        ("I want to order a refund today", []),
        ("订单一直没处理", []),
    ])
    func orders(_ text: String, expected: [String]) {
        #expect(ComplaintFactFinder.find(text).orders == expected)
    }
}
