import Foundation
import Testing
@testable import KefuShield

@Suite("Keccak-256 as Ethereum uses it")
struct KeccakTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test("published digests of the empty string, \"abc\" and the quick brown fox")
    func publishedVectors() {
        #expect(hex(Keccak256.hash([UInt8]())) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(hex(Keccak256.hash(Array("abc".utf8))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(hex(Keccak256.hash(Array("The quick brown fox jumps over the lazy dog".utf8)))
            == "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")
    }

    @Test("messages longer than one 136-byte block, checked against pycryptodome's Keccak")
    func multiBlockMessages() {
        #expect(hex(Keccak256.hash([UInt8](repeating: 0x61, count: 200)))
            == "96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d")
        let bytes = (0..<512).map { UInt8($0 % 256) }
        #expect(hex(Keccak256.hash(bytes)) == "f55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1")
    }

    @Test("a message of exactly one block still gets a padding block")
    func exactBlock() {
        #expect(hex(Keccak256.hash([UInt8](repeating: 0, count: 136))) != hex(Keccak256.hash([UInt8](repeating: 0, count: 135))))
    }
}
