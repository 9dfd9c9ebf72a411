import Foundation

/// One hit from `SearchIndex.search`, best first.
public struct SearchHit: Sendable, Hashable {
    public let id: String
    public let score: Double
}

/// A BM25F index over documents with a title and a body. Documents can be
/// added, replaced and removed one at a time, because articles are published
/// and edited while the desk runs.
///
/// A value type: copies are independent (copy-on-write), so a server can
/// publish a new index to readers after each change without locks.
public struct SearchIndex: Sendable {
    public struct Parameters: Sendable, Hashable {
        /// Term-frequency saturation.
        public var k1: Double
        /// Length normalisation for the body.
        public var b: Double
        /// Length normalisation for the title; titles are all short, so
        /// normalising them hard would only add noise.
        public var titleB: Double
        /// How many body occurrences one title occurrence is worth.
        public var titleWeight: Double

        public init(k1: Double = 1.2, b: Double = 0.75, titleB: Double = 0.5, titleWeight: Double = 3.0) {
            self.k1 = k1
            self.b = b
            self.titleB = titleB
            self.titleWeight = titleWeight
        }
    }

    private struct Frequencies: Sendable {
        var title: Float
        var body: Float
    }

    private struct Slot: Sendable {
        let id: String
        let locale: String?
        let titleLength: Float
        let bodyLength: Float
        let terms: [Int32]
    }

    public let parameters: Parameters
    private var termIDs: [String: Int32] = [:]
    private var postings: [[Int32: Frequencies]] = []
    private var slots: [Slot?] = []
    private var freeSlots: [Int32] = []
    private var slotByID: [String: Int32] = [:]
    private var totalTitleLength: Double = 0
    private var totalBodyLength: Double = 0

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Number of documents in the index.
    public var count: Int { slotByID.count }

    public func contains(id: String) -> Bool { slotByID[id] != nil }

    /// Adds the document, or replaces the one with the same id. `locale`
    /// (such as "en" or "zh-Hans") lets a search keep to one language.
    public mutating func upsert(id: String, title: String, body: String, locale: String? = nil) {
        remove(id: id)
        let titleTokens = Tokenizer.tokens(title, for: .document)
        let bodyTokens = Tokenizer.tokens(body, for: .document)

        var frequencies: [Int32: Frequencies] = [:]
        for token in titleTokens { frequencies[termID(for: token), default: .init(title: 0, body: 0)].title += 1 }
        for token in bodyTokens { frequencies[termID(for: token), default: .init(title: 0, body: 0)].body += 1 }

        let slotNumber: Int32
        if let reused = freeSlots.popLast() {
            slotNumber = reused
        } else {
            slotNumber = Int32(slots.count)
            slots.append(nil)
        }
        for (term, frequency) in frequencies {
            postings[Int(term)][slotNumber] = frequency
        }
        slots[Int(slotNumber)] = Slot(
            id: id,
            locale: locale,
            titleLength: Float(titleTokens.count),
            bodyLength: Float(bodyTokens.count),
            terms: Array(frequencies.keys)
        )
        slotByID[id] = slotNumber
        totalTitleLength += Double(titleTokens.count)
        totalBodyLength += Double(bodyTokens.count)
    }

    /// Removes the document if present.
    public mutating func remove(id: String) {
        guard let slotNumber = slotByID.removeValue(forKey: id), let slot = slots[Int(slotNumber)] else { return }
        for term in slot.terms {
            postings[Int(term)].removeValue(forKey: slotNumber)
        }
        totalTitleLength -= Double(slot.titleLength)
        totalBodyLength -= Double(slot.bodyLength)
        slots[Int(slotNumber)] = nil
        freeSlots.append(slotNumber)
    }

    /// Documents matching any query term, best first, at most `limit`; only
    /// those of `locale` when one is given. Statistics stay those of the whole
    /// index, so scores are comparable across locales.
    public func search(_ query: String, limit: Int = 10, locale: String? = nil) -> [SearchHit] {
        let documentCount = Double(count)
        guard documentCount > 0, limit > 0 else { return [] }

        var queryTerms: [Int32: Double] = [:]
        for token in Tokenizer.tokens(query, for: .query) {
            if let term = termIDs[token], !postings[Int(term)].isEmpty {
                queryTerms[term, default: 0] += 1
            }
        }
        guard !queryTerms.isEmpty else { return [] }

        let k1 = Float(parameters.k1)
        let b = Float(parameters.b)
        let titleB = Float(parameters.titleB)
        let titleWeight = Float(parameters.titleWeight)
        let averageTitle = Float(max(totalTitleLength / documentCount, 1))
        let averageBody = Float(max(totalBodyLength / documentCount, 1))

        var scores = [Float](repeating: 0, count: slots.count)
        var touched: [Int32] = []
        for (term, queryFrequency) in queryTerms {
            let list = postings[Int(term)]
            let df = Double(list.count)
            let idf = Float(queryFrequency * log1p((documentCount - df + 0.5) / (df + 0.5)))
            for (slotNumber, frequency) in list {
                guard let slot = slots[Int(slotNumber)], locale == nil || slot.locale == locale else { continue }
                let title = frequency.title / (1 - titleB + titleB * slot.titleLength / averageTitle)
                let body = frequency.body / (1 - b + b * slot.bodyLength / averageBody)
                let weighted = titleWeight * title + body
                let index = Int(slotNumber)
                if scores[index] == 0 { touched.append(slotNumber) }
                scores[index] += idf * weighted * (k1 + 1) / (k1 + weighted)
            }
        }

        let best = touched.topK(limit) { lhs, rhs in
            let l = scores[Int(lhs)], r = scores[Int(rhs)]
            return l != r ? l > r : slots[Int(lhs)]!.id < slots[Int(rhs)]!.id
        }
        return best.map { SearchHit(id: slots[Int($0)]!.id, score: Double(scores[Int($0)])) }
    }

    private mutating func termID(for token: String) -> Int32 {
        if let existing = termIDs[token] { return existing }
        let id = Int32(postings.count)
        termIDs[token] = id
        postings.append([:])
        return id
    }
}

extension Array {
    /// The first `k` elements in `areInOrder` order, without sorting everything.
    func topK(_ k: Int, by areInOrder: (Element, Element) -> Bool) -> [Element] {
        if count <= k * 4 {
            return Array(sorted(by: areInOrder).prefix(k))
        }
        var kept: [Element] = []
        kept.reserveCapacity(k + 1)
        for element in self {
            if kept.count == k, let last = kept.last, !areInOrder(element, last) { continue }
            let position = kept.firstIndex { areInOrder(element, $0) } ?? kept.count
            kept.insert(element, at: position)
            if kept.count > k { kept.removeLast() }
        }
        return kept
    }
}
