import Testing

@testable import AblateCore

@Suite struct DigestTests {
    @Test func hexRoundTrips() throws {
        let digest = SHA256.hash(Array("abc".utf8))
        let parsed = try #require(Digest(hex: digest.hex))
        #expect(parsed == digest)
        #expect(Digest(hex: digest.hex.uppercased()) == digest)
        #expect(digest.short == "ba7816bf8f01")
        #expect(digest.bytes.count == 32)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 64), String(repeating: "0", count: 63)])
    func rejectsMalformedHex(text: String) {
        #expect(Digest(hex: text) == nil)
    }
}
