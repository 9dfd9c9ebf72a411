import Foundation
import Synchronization

/// Time-ordered UUIDs (RFC 9562 version 7), so that ordering rows by id is ordering them
/// by creation, and a list cursor can simply be the last id seen.
enum TimeOrderedID {
    private static let state = Mutex<(millis: UInt64, counter: UInt16)>((0, 0))

    static func make(now: Date = Date()) -> UUID {
        let wallMillis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        // Within one millisecond a 12-bit counter keeps ids increasing in this process.
        let (millis, counter) = state.withLock { value -> (UInt64, UInt16) in
            if wallMillis > value.millis {
                value = (wallMillis, UInt16.random(in: 0..<0x400))
            } else if value.counter < 0xFFF {
                value.counter += 1
            } else {
                value = (value.millis + 1, 0)
            }
            return value
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8((millis >> (8 * (5 - UInt64(i)))) & 0xFF) }
        bytes[6] = 0x70 | UInt8((counter >> 8) & 0x0F)
        bytes[7] = UInt8(counter & 0xFF)
        var random = SystemRandomNumberGenerator()
        for i in 8..<16 { bytes[i] = UInt8.random(in: 0...255, using: &random) }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension Date {
    var millisSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    init(millisSince1970 millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
