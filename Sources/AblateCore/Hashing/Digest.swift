/// A 32-byte SHA-256 digest: the content address of a job or a run.
///
/// Digests print as 64 lower-case hexadecimal characters; ``short`` gives the 12-character prefix
/// that the command line shows (any unique prefix is accepted where an ID is expected).
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The digest as four big-endian 64-bit words, most significant first.
    public let words: (UInt64, UInt64, UInt64, UInt64)

    init(state s: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) {
        words = (
            UInt64(s.0) << 32 | UInt64(s.1), UInt64(s.2) << 32 | UInt64(s.3),
            UInt64(s.4) << 32 | UInt64(s.5), UInt64(s.6) << 32 | UInt64(s.7)
        )
    }

    /// Parses 64 hexadecimal characters; returns `nil` for anything else.
    public init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64 else { return nil }
        var parsed: [UInt64] = []
        for chunk in 0..<4 {
            var word: UInt64 = 0
            for byte in bytes[(chunk * 16)..<(chunk * 16 + 16)] {
                guard let nibble = Digest.nibble(byte) else { return nil }
                word = word << 4 | UInt64(nibble)
            }
            parsed.append(word)
        }
        words = (parsed[0], parsed[1], parsed[2], parsed[3])
    }

    /// The 32 raw bytes of the digest.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    /// The 64-character lower-case hexadecimal form.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 12-character prefix used for display.
    public var short: String { String(hex.prefix(12)) }

    /// Same as ``hex``.
    public var description: String { hex }

    /// Whether two values are equal (see the type's discussion for what counts).
    public static func == (lhs: Digest, rhs: Digest) -> Bool {
        lhs.words == rhs.words
    }

    /// Orders values for stable, sorted output.
    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        lhs.words < rhs.words
    }

    /// Hashes the parts that equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
