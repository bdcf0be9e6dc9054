import Foundation

/// A fast parser for one line of `metrics.jsonl`: a JSON object whose numeric top-level fields are
/// metrics. `step` and `time` are taken out; other non-numeric fields (strings, lists, maps, booleans,
/// null) are skipped. Python's `NaN`, `Infinity` and `-Infinity` are accepted as numbers, since
/// `json.dumps` writes them by default.
public struct MetricLineParser {
    /// One parsed line.
    public struct Line {
        /// The `step` field, if present.
        public var step: Double?
        /// The `time` field, if present.
        public var time: Double?
        /// Whether the line has a `step` field (a time-series point).
        public var hasStep = false
        /// The other numeric fields, in order.
        public var fields: [(key: String, value: Double)] = []

        /// An empty line.
        public init() {}
    }

    /// Why a line was rejected.
    public struct Failure: Error {
        /// What is wrong with the line.
        public var reason: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses the whole buffer as one object, appending its fields to `line`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into line: inout Line) throws(Failure) {
        var parser = MetricLineParser(bytes)
        try parser.parseObject(into: &line)
    }

    private mutating func parseObject(into line: inout Line) throws(Failure) {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw Failure(reason: "not a JSON object") }
        index += 1
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return try expectEnd()
        }
        // Keys seen so far: a short list scanned linearly, a set once the line is wide.
        var seen: [String] = []
        var seenSet: Set<String> = []
        while true {
            skipSpace()
            let key = try parseString()
            if seenSet.isEmpty {
                if seen.contains(key) { throw Failure(reason: "duplicate key '\(key)'") }
                seen.append(key)
                if seen.count > 32 { seenSet = Set(seen) }
            } else if !seenSet.insert(key).inserted {
                throw Failure(reason: "duplicate key '\(key)'")
            }
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw Failure(reason: "expected ':' after key '\(key)'") }
            index += 1
            skipSpace()
            if let number = try parseNumberIfPresent() {
                switch key {
                case "step":
                    line.step = number
                    line.hasStep = true
                case "time":
                    guard number.isFinite else { throw Failure(reason: "'time' must be a finite number of seconds") }
                    line.time = number
                default:
                    line.fields.append((key, number))
                }
            } else {
                if key == "step" { throw Failure(reason: "'step' must be a number") }
                try skipValue()
            }
            skipSpace()
            guard let next = peek() else { throw Failure(reason: "unterminated object") }
            index += 1
            if next == UInt8(ascii: "}") { return try expectEnd() }
            guard next == UInt8(ascii: ",") else { throw Failure(reason: "expected ',' or '}' in object") }
        }
    }

    private mutating func expectEnd() throws(Failure) {
        skipSpace()
        guard index == bytes.count else { throw Failure(reason: "unexpected text after the object") }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0d, 0x0a: index += 1
            default: return
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw Failure(reason: "expected a string key") }
        index += 1
        let start = index
        var hasEscape = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if !hasEscape { return String(decoding: raw, as: UTF8.self) }
                return try Self.unescape(raw)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += 2
                continue
            }
            if byte < 0x20 { throw Failure(reason: "control character in string") }
            index += 1
        }
        throw Failure(reason: "unterminated string")
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        var quoted = [UInt8(ascii: "\"")]
        quoted.append(contentsOf: raw)
        quoted.append(UInt8(ascii: "\""))
        guard let text = try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed) as? String
        else { throw Failure(reason: "invalid escape in string") }
        return text
    }

    /// Parses a number (or NaN/Infinity) at the current position, or returns `nil` if the value is not one.
    private mutating func parseNumberIfPresent() throws(Failure) -> Double? {
        guard let first = peek() else { throw Failure(reason: "missing value") }
        if first == UInt8(ascii: "N") { return try literal("NaN", .nan) }
        if first == UInt8(ascii: "I") { return try literal("Infinity", .infinity) }
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        if first == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "I") {
            index += 1
            return -(try literal("Infinity", .infinity))
        }
        let start = index
        // Fast path: an integer or a plain decimal.
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var integer: UInt64 = 0
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            integer = integer &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw Failure(reason: "invalid number") }
        let next = peek()
        if next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E"), digits <= 15 {
            return negative ? -Double(integer) : Double(integer)
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                UInt8(ascii: "+"), UInt8(ascii: "-"):
                index += 1
            default:
                return try Self.strtod(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
        }
        return try Self.strtod(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    private static func strtod(_ text: UnsafeBufferPointer<UInt8>) throws(Failure) -> Double {
        guard text.count < 64 else { throw Failure(reason: "number too long") }
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buffer) { raw throws(Failure) -> Double in
            for (offset, byte) in text.enumerated() { raw[offset] = byte }
            let start = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>?
            let value = Foundation.strtod(start, &end)
            guard let end, end - start == text.count else { throw Failure(reason: "invalid number") }
            return value
        }
    }

    private mutating func literal(_ word: String, _ value: Double) throws(Failure) -> Double {
        for byte in word.utf8 {
            guard peek() == byte else { throw Failure(reason: "invalid literal") }
            index += 1
        }
        return value
    }

    /// Skips any JSON value (string, object, array, true, false, null).
    private mutating func skipValue() throws(Failure) {
        guard let first = peek() else { throw Failure(reason: "missing value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try parseString()
        case UInt8(ascii: "t"): _ = try literal("true", 0)
        case UInt8(ascii: "f"): _ = try literal("false", 0)
        case UInt8(ascii: "n"): _ = try literal("null", 0)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    _ = try parseString()
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
                index += 1
                if depth == 0 { return }
            }
            throw Failure(reason: "unterminated value")
        default:
            throw Failure(reason: "invalid value")
        }
    }
}
