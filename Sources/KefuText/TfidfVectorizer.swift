import Foundation

/// Turns a text into its weighted feature vector: sublinear TF-IDF per view,
/// each view scaled to unit length and then by its weight, so that no view
/// dominates just because it produces more n-grams.
struct TfidfVectorizer: Sendable {
    let settings: TextFeatures.Settings
    /// Feature key → column.
    private(set) var columnsByKey: [UInt64: Int32]
    /// Column → inverse document frequency.
    private(set) var idf: [Float]

    var featureCount: Int { idf.count }

    init(settings: TextFeatures.Settings, columnsByKey: [UInt64: Int32], idf: [Float]) {
        self.settings = settings
        self.columnsByKey = columnsByKey
        self.idf = idf
    }

    /// Learns the vocabulary and document frequencies from `texts` and returns
    /// their vectors alongside.
    static func fit(_ texts: [String], settings: TextFeatures.Settings) -> (TfidfVectorizer, SparseMatrix) {
        let features = texts.map { TextFeatures($0, settings: settings) }
        var columnsByKey: [UInt64: Int32] = [:]
        var documentFrequency: [Float] = []
        for text in features {
            for view in TextFeatures.View.allCases {
                // Sorted, because dictionary order changes from run to run and
                // column order decides the floating-point summation order.
                for key in (text.counts[view] ?? [:]).keys.sorted() {
                    if let column = columnsByKey[key] {
                        documentFrequency[Int(column)] += 1
                    } else {
                        columnsByKey[key] = Int32(documentFrequency.count)
                        documentFrequency.append(1)
                    }
                }
            }
        }
        let n = Float(texts.count)
        let idf = documentFrequency.map { logf((1 + n) / (1 + $0)) + 1 }
        let vectorizer = TfidfVectorizer(settings: settings, columnsByKey: columnsByKey, idf: idf)
        var matrix = SparseMatrix()
        for text in features { matrix.append(vectorizer.vector(text)) }
        return (vectorizer, matrix)
    }

    func vector(_ text: String) -> SparseVector {
        vector(TextFeatures(text, settings: settings))
    }

    /// The text's vector and how many of its words were seen in training.
    func encode(_ text: String) -> (vector: SparseVector, knownWords: Int) {
        let features = TextFeatures(text, settings: settings)
        let known = features.unigramKeys.filter { columnsByKey[$0] != nil }.count
        return (vector(features), known)
    }

    private func vector(_ features: TextFeatures) -> SparseVector {
        var entries: [(Int32, Float)] = []
        for view in TextFeatures.View.allCases {
            guard let counts = features.counts[view], !counts.isEmpty else { continue }
            var viewEntries: [(Int32, Float)] = []
            for (key, count) in counts {
                guard let column = columnsByKey[key] else { continue }
                viewEntries.append((column, (1 + logf(count)) * idf[Int(column)]))
            }
            // In column order, so the norm is summed the same way every run.
            viewEntries.sort { $0.0 < $1.0 }
            let squaredNorm = viewEntries.reduce(Float(0)) { $0 + $1.1 * $1.1 }
            guard squaredNorm > 0 else { continue }
            let scale = weight(of: view) / squaredNorm.squareRoot()
            entries += viewEntries.map { ($0.0, $0.1 * scale) }
        }
        entries.sort { $0.0 < $1.0 }
        return SparseVector(columns: entries.map(\.0), values: entries.map(\.1))
    }

    private func weight(of view: TextFeatures.View) -> Float {
        switch view {
        case .word: return 1
        case .char: return settings.charWeight
        case .skip: return settings.skipWeight
        }
    }
}
