import Foundation

/// The ten BIP-39 wordlists, indexed for lookup while scanning. Built once from the
/// bundled resources and shared read-only; a class so that passing it around copies
/// one reference, not a dozen arrays.
final class Lexicon: Sendable {
    static let shared = Lexicon(resources: BundledResources())

    static let listCount = Wordlist.allCases.count
    static let absent = UInt16.max

    let folding: KeyFolding
    /// Folded keys of every list, by list and word index.
    let keys: [[[UInt32]]]
    /// Which script each list is written in.
    let scripts: [ScalarClass]

    // Open-addressed table from a key's hash to an entry; an entry is one folded
    // key and its index in each list (or `absent`).
    private let slotHashes: [UInt64]
    private let slotEntries: [Int32]
    private let slotMask: Int
    private let entryKeyStart: [Int32]
    private let entryKeyLength: [UInt8]
    private let keyPool: [UInt32]
    private let entryIndices: [UInt16]
    let entryMasks: [UInt16]

    /// For each CJK unified ideograph U+4E00..U+9FFF: (simplified index + 1) | (traditional index + 1) << 16.
    private let han: [UInt32]
    static let hanBase: UInt32 = 0x4E00
    static let hanCount: UInt32 = 0x5200

    /// Longest and shortest folded keys of any list, so other tokens skip the lookup.
    let longestKey: Int
    let shortestKey: Int

    init(resources: BundledResources) {
        let folding = KeyFolding()
        self.folding = folding
        var keys: [[[UInt32]]] = []
        var scripts: [ScalarClass] = []
        for list in Wordlist.allCases {
            let words = resources.words(of: list)
            precondition(words.count == 2048, "BIP-39 wordlist \(list.rawValue) must hold 2048 words")
            let script = Self.script(of: list)
            scripts.append(script)
            keys.append(words.map { word in
                let scalars = word.unicodeScalars.map(\.value)
                var key: [UInt32] = []
                folding.fold(scalars, 0..<scalars.count, script: script, into: &key)
                return key
            })
        }
        self.keys = keys
        self.scripts = scripts

        var han = [UInt32](repeating: 0, count: Int(Self.hanCount))
        for (shift, list) in [(0, Wordlist.chineseSimplified), (16, .chineseTraditional)] {
            for (index, key) in keys[list.ordinal].enumerated() {
                han[Int(key[0] - Self.hanBase)] |= UInt32(index + 1) << UInt32(shift)
            }
        }
        self.han = han

        // Whole words, then the four-letter abbreviations that steel seed plates
        // use (every Latin list is unique in its first four letters).
        var entryOf: [[UInt32]: Int] = [:]
        var entryKeys: [[UInt32]] = []
        var indices: [UInt16] = []
        var masks: [UInt16] = []
        func add(_ key: [UInt32], list: Int, index: Int) {
            let entry: Int
            if let existing = entryOf[key] {
                entry = existing
            } else {
                entry = entryKeys.count
                entryOf[key] = entry
                entryKeys.append(key)
                indices.append(contentsOf: repeatElement(Self.absent, count: Self.listCount))
                masks.append(0)
            }
            if indices[entry * Self.listCount + list] == Self.absent {
                indices[entry * Self.listCount + list] = UInt16(index)
                masks[entry] |= 1 << UInt16(list)
            }
        }
        for list in Wordlist.allCases where scripts[list.ordinal] != .han {
            for (index, key) in keys[list.ordinal].enumerated() { add(key, list: list.ordinal, index: index) }
        }
        for list in Wordlist.allCases where scripts[list.ordinal] == .latin {
            for (index, key) in keys[list.ordinal].enumerated() where key.count > 4 {
                add(Array(key.prefix(4)), list: list.ordinal, index: index)
            }
        }

        var capacity = 1
        while capacity < entryKeys.count * 3 { capacity <<= 1 }
        var slotHashes = [UInt64](repeating: 0, count: capacity)
        var slotEntries = [Int32](repeating: -1, count: capacity)
        var pool: [UInt32] = []
        var starts: [Int32] = []
        var lengths: [UInt8] = []
        for (entry, key) in entryKeys.enumerated() {
            starts.append(Int32(pool.count))
            lengths.append(UInt8(key.count))
            pool.append(contentsOf: key)
            let hash = Self.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slotEntries[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slotHashes[slot] = hash
            slotEntries[slot] = Int32(entry)
        }
        self.slotHashes = slotHashes
        self.slotEntries = slotEntries
        self.slotMask = capacity - 1
        self.entryKeyStart = starts
        self.entryKeyLength = lengths
        self.keyPool = pool
        self.entryIndices = indices
        self.entryMasks = masks
        self.longestKey = entryKeys.map(\.count).max() ?? 0
        self.shortestKey = entryKeys.map(\.count).min() ?? 0
    }

    static func script(of list: Wordlist) -> ScalarClass {
        switch list {
        case .chineseSimplified, .chineseTraditional: .han
        case .japanese: .kana
        case .korean: .hangul
        default: .latin
        }
    }

    static func hash(_ key: [UInt32]) -> UInt64 {
        var hash = Hasher64()
        for v in key { hash.add(v) }
        return hash.value
    }

    /// The entry whose key is `scalars[range]` lower-cased, for words all in ASCII letters; or -1.
    @inline(__always)
    func entry(asciiWord scalars: [UInt32], _ range: Range<Int>, hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = slotEntries[slot]
            if entry < 0 { return -1 }
            if slotHashes[slot] == hash, sameKey(entry: Int(entry), asciiWord: scalars, range) { return entry }
            slot = (slot + 1) & slotMask
        }
    }

    private func sameKey(entry: Int, asciiWord scalars: [UInt32], _ range: Range<Int>) -> Bool {
        let length = Int(entryKeyLength[entry])
        guard length == range.count else { return false }
        var position = Int(entryKeyStart[entry])
        for i in range {
            if keyPool[position] != Scalars.lowerASCII(scalars[i]) { return false }
            position += 1
        }
        return true
    }

    /// The entry whose key equals `key`, or -1.
    func entry(for key: [UInt32], hash: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = slotEntries[slot]
            if entry < 0 { return -1 }
            if slotHashes[slot] == hash, sameKey(entry: Int(entry), key) { return entry }
            slot = (slot + 1) & slotMask
        }
    }

    private func sameKey(entry: Int, _ key: [UInt32]) -> Bool {
        let length = Int(entryKeyLength[entry])
        guard length == key.count else { return false }
        let start = Int(entryKeyStart[entry])
        for i in 0..<length where keyPool[start + i] != key[i] { return false }
        return true
    }

    /// The word index of `entry` in `list`, or nil.
    @inline(__always)
    func index(entry: Int32, list: Int) -> Int? {
        let index = entryIndices[Int(entry) * Self.listCount + list]
        return index == Self.absent ? nil : Int(index)
    }

    /// Bit mask of the Chinese lists holding `han`, as list ordinals.
    @inline(__always)
    func hanMask(_ v: UInt32) -> UInt16 {
        let offset = v &- Self.hanBase
        guard offset < Self.hanCount else { return 0 }
        let packed = han[Int(offset)]
        var mask: UInt16 = 0
        if packed & 0xFFFF != 0 { mask |= 1 << UInt16(Wordlist.chineseSimplified.ordinal) }
        if packed >> 16 != 0 { mask |= 1 << UInt16(Wordlist.chineseTraditional.ordinal) }
        return mask
    }

    @inline(__always)
    func hanIndex(_ v: UInt32, list: Int) -> Int? {
        let offset = v &- Self.hanBase
        guard offset < Self.hanCount else { return nil }
        let packed = han[Int(offset)]
        let stored = list == Wordlist.chineseSimplified.ordinal ? packed & 0xFFFF : packed >> 16
        return stored == 0 ? nil : Int(stored) - 1
    }
}

/// FNV-1a over 32-bit scalars: fast on the few letters of a word, and every hit is confirmed against the key.
struct Hasher64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    mutating func add(_ v: UInt32) {
        value = (value ^ UInt64(v)) &* 0x0000_0100_0000_01b3
    }
}

extension Wordlist {
    /// Position in `allCases`, used as a bit in list masks.
    var ordinal: Int {
        switch self {
        case .english: 0
        case .chineseSimplified: 1
        case .chineseTraditional: 2
        case .japanese: 3
        case .korean: 4
        case .spanish: 5
        case .french: 6
        case .italian: 7
        case .czech: 8
        case .portuguese: 9
        }
    }

    init(ordinal: Int) {
        self = Wordlist.allCases[ordinal]
    }
}
