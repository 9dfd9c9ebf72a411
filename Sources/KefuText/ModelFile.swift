import Foundation

/// The category model on disk: a magic number, a JSON header with everything
/// small, then the vocabulary and weights as little-endian binary arrays.
extension CategoryClassifier {
    private static let magic = Array("KEFUCAT1".utf8)

    private struct Header: Codable {
        var categories: [String]
        var temperature: Double
        var abstentionThreshold: Double
        var validation: ValidationSummary?
        var features: TextFeatures.Settings
        var featureCount: Int
    }

    public struct ModelFormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: LocalizedText
        public var description: String { message.en }

        static let invalid = ModelFormatError(message: LocalizedText(
            en: "not a category model file, or a damaged one", zhHans: "不是分类模型文件，或文件已损坏"))
    }

    public func serialized() -> Data {
        let header = Header(
            categories: categories, temperature: temperature, abstentionThreshold: abstentionThreshold,
            validation: validation, features: vectorizer.settings, featureCount: vectorizer.featureCount)
        let encoder = JSONEncoder()
        // Sorted keys make the same model serialise to the same bytes.
        encoder.outputFormatting = [.sortedKeys]
        let headerData = (try? encoder.encode(header)) ?? Data()
        var writer = BinaryWriter()
        writer.bytes(Self.magic)
        writer.uint64(UInt64(headerData.count))
        writer.bytes(Array(headerData))
        var keys = [UInt64](repeating: 0, count: vectorizer.featureCount)
        for (key, column) in vectorizer.columnsByKey { keys[Int(column)] = key }
        keys.forEach { writer.uint64($0) }
        vectorizer.idf.forEach { writer.float($0) }
        weights.biases.forEach { writer.float($0) }
        let (levels, scales) = weights.quantized()
        scales.forEach { writer.float($0) }
        writer.bytes(levels.map { UInt8(bitPattern: $0) })
        return Data(writer.buffer)
    }

    public init(serialized data: Data) throws(ModelFormatError) {
        var reader = BinaryReader(Array(data))
        guard reader.bytes(Self.magic.count) == Self.magic,
              let headerLength = reader.uint64(), headerLength < UInt64(data.count),
              let headerBytes = reader.bytes(Int(headerLength)),
              let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)),
              header.categories.count >= 2, header.featureCount >= 0, header.featureCount <= data.count,
              header.temperature > 0
        else { throw .invalid }
        let classCount = header.categories.count
        let featureCount = header.featureCount
        guard let keys = reader.uint64s(featureCount),
              let idf = reader.floats(featureCount),
              let biases = reader.floats(classCount),
              let scales = reader.floats(featureCount),
              let levels = reader.bytes(featureCount * classCount),
              reader.isAtEnd
        else { throw .invalid }
        let columnsByKey = Dictionary(keys.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        self.init(
            categories: header.categories, temperature: header.temperature,
            abstentionThreshold: header.abstentionThreshold, validation: header.validation,
            vectorizer: TfidfVectorizer(settings: header.features, columnsByKey: columnsByKey, idf: idf),
            weights: LinearWeights(classCount: classCount, levels: levels.map { Int8(bitPattern: $0) },
                                   scales: scales, biases: biases))
    }
}

struct BinaryWriter {
    private(set) var buffer: [UInt8] = []

    mutating func bytes(_ values: [UInt8]) { buffer.append(contentsOf: values) }

    mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func float(_ value: Float) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
    }
}

struct BinaryReader {
    private let data: [UInt8]
    private var position = 0

    init(_ data: [UInt8]) { self.data = data }

    var isAtEnd: Bool { position == data.count }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= data.count - position else { return nil }
        defer { position += count }
        return Array(data[position..<(position + count)])
    }

    mutating func uint64() -> UInt64? {
        guard let raw = bytes(8) else { return nil }
        return raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    mutating func float() -> Float? {
        guard let raw = bytes(4) else { return nil }
        return Float(bitPattern: raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    mutating func uint64s(_ count: Int) -> [UInt64]? {
        guard count >= 0, count <= (data.count - position) / 8 else { return nil }
        return (0..<count).map { _ in uint64()! }
    }

    mutating func floats(_ count: Int) -> [Float]? {
        guard count >= 0, count <= (data.count - position) / 4 else { return nil }
        return (0..<count).map { _ in float()! }
    }
}
