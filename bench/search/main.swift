import Foundation
import KefuText

// Measures BM25 search latency over generated articles: Zipf-distributed
// pseudo-words (English-like) and Han characters (Chinese-like), the way real
// help-centre text is distributed. Usage: kefu-bench-search [articles] [queries]

/// The same seedable generator the classifier trains with, so runs repeat exactly.
typealias Generator = SplitMix64

extension SplitMix64 {
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Draws ranks 0..<count with probability proportional to 1 / (rank + 1)^s.
struct Zipf {
    private let cumulative: [Double]

    init(count: Int, exponent: Double = 1.07) {
        var total = 0.0
        cumulative = (1...count).map { rank in
            total += 1 / pow(Double(rank), exponent)
            return total
        }
    }

    func draw(_ generator: inout Generator) -> Int {
        let target = generator.unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

func runBenchmark() {
    let arguments = CommandLine.arguments
    let articleCount = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
    let queryCount = arguments.count > 2 ? Int(arguments[2]) ?? 2_000 : 2_000

    var generator = Generator(seed: 2026)
    let syllables = ["ka", "to", "ri", "wen", "sal", "dro", "mi", "pex", "lu", "tor", "an", "ve", "qui", "bar",
                     "sen", "po", "dal", "fi", "gro", "nu", "ter", "os", "lan", "chi", "mar", "ex", "ul", "zen"]
    let englishWords: [String] = (0..<20_000).map { _ in
        (0..<(2 + generator.below(3))).map { _ in syllables[generator.below(syllables.count)] }.joined()
    }
    let hanCharacters: [Character] = (0..<3_000).map { Character(Unicode.Scalar(0x4E00 + UInt32($0 * 5))!) }
    let wordZipf = Zipf(count: englishWords.count)
    let hanZipf = Zipf(count: hanCharacters.count)

    func englishText(words: Int) -> String {
        (0..<words).map { _ in englishWords[wordZipf.draw(&generator)] }.joined(separator: " ")
    }

    func chineseText(characters: Int) -> String {
        String((0..<characters).map { _ in hanCharacters[hanZipf.draw(&generator)] })
    }

    var articles: [(id: String, title: String, body: String)] = []
    for number in 0..<articleCount {
        if number % 10 < 3 {
            articles.append(("a\(number)", chineseText(characters: 8 + generator.below(8)),
                             chineseText(characters: 300 + generator.below(500))))
        } else {
            articles.append(("a\(number)", englishText(words: 4 + generator.below(6)),
                             englishText(words: 150 + generator.below(300))))
        }
    }

    let clock = ContinuousClock()
    var index = SearchIndex()
    let buildTime = clock.measure {
        for article in articles { index.upsert(id: article.id, title: article.title, body: article.body) }
    }

    var queries: [String] = []
    for number in 0..<queryCount {
        switch number % 4 {
        case 0: queries.append(chineseText(characters: 2 + generator.below(5)))
        case 1: queries.append(englishText(words: 2) + " " + chineseText(characters: 2))
        default: queries.append(englishText(words: 1 + generator.below(4)))
        }
    }

    for query in queries.prefix(200) { _ = index.search(query) }
    var latencies: [Double] = []
    var hits = 0
    for query in queries {
        let elapsed = clock.measure { hits += index.search(query, limit: 10).count }
        latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }

    var updateLatencies: [Double] = []
    for number in 0..<500 {
        let article = articles[generator.below(articles.count)]
        let elapsed = clock.measure {
            index.upsert(id: article.id, title: article.title + " \(number)", body: article.body)
        }
        updateLatencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
    }
    updateLatencies.sort()

    print("articles / 文章数: \(articleCount) (30% Chinese / 30% 中文)")
    print(String(format: "index build / 建索引耗时: %.2f s", Double(buildTime.components.seconds) + Double(buildTime.components.attoseconds) / 1e18))
    print("queries / 查询数: \(queryCount), hits / 命中: \(hits)")
    print(String(format: "search p50 / 搜索 p50: %.3f ms", percentile(0.50)))
    print(String(format: "search p99 / 搜索 p99: %.3f ms", percentile(0.99)))
    print(String(format: "search max / 搜索最大: %.3f ms", latencies.last ?? 0))
    print(String(format: "update p50 / 更新 p50: %.3f ms, p99: %.3f ms",
                 updateLatencies[updateLatencies.count / 2], updateLatencies[updateLatencies.count * 99 / 100]))
}

runBenchmark()
