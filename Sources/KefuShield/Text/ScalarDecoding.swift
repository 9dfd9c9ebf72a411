extension String {
    /// The string's Unicode scalar values, decoded straight from its UTF-8 in one pass
    /// (Swift strings are always valid UTF-8, so no byte needs checking twice).
    var scalarValues: [UInt32] {
        var string = self
        return string.withUTF8 { utf8 in
            [UInt32](unsafeUninitializedCapacity: utf8.count) { buffer, initialized in
                var i = 0
                var n = 0
                let count = utf8.count
                while i < count {
                    let lead = UInt32(utf8[i])
                    if lead < 0x80 {
                        buffer[n] = lead
                        i += 1
                    } else if lead < 0xE0 {
                        buffer[n] = (lead & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                        i += 2
                    } else if lead < 0xF0 {
                        buffer[n] = (lead & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                        i += 3
                    } else {
                        buffer[n] = (lead & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12
                            | UInt32(utf8[i + 2] & 0x3F) << 6 | UInt32(utf8[i + 3] & 0x3F)
                        i += 4
                    }
                    n += 1
                }
                initialized = n
            }
        }
    }
}
