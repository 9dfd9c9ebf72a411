/// RFC 3492 decoding, so an `xn--` label can be compared by what it displays.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700

    static func decodeLabel(_ label: String) -> String? {
        guard label.lowercased().hasPrefix("xn--") else { return label }
        return decode(String(label.dropFirst(4)))
    }

    static func decode(_ input: String) -> String? {
        let scalars = Array(input.unicodeScalars)
        var output: [UInt32] = []
        var position = 0
        if let delimiter = scalars.lastIndex(of: "-") {
            for scalar in scalars[..<delimiter] {
                guard scalar.isASCII else { return nil }
                output.append(scalar.value)
            }
            position = delimiter + 1
        }
        var n = 128
        var i = 0
        var bias = 72
        while position < scalars.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard position < scalars.count, let digit = digitValue(scalars[position]) else { return nil }
                position += 1
                guard digit <= (Int.max - i) / weight else { return nil }
                i += digit * weight
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                guard weight <= Int.max / (base - t) else { return nil }
                weight *= base - t
                k += base
            }
            bias = adapt(i - oldI, numPoints: output.count + 1, firstTime: oldI == 0)
            let (next, overflow) = n.addingReportingOverflow(i / (output.count + 1))
            guard !overflow else { return nil }
            n = next
            i %= output.count + 1
            guard n <= 0x10FFFF, Unicode.Scalar(UInt32(n)) != nil else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        return String(String.UnicodeScalarView(output.compactMap(Unicode.Scalar.init)))
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value) - 0x30 + 26
        case 0x41...0x5A: Int(scalar.value) - 0x41
        case 0x61...0x7A: Int(scalar.value) - 0x61
        default: nil
        }
    }

    private static func adapt(_ delta: Int, numPoints: Int, firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
