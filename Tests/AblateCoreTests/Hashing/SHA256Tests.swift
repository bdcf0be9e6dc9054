import Foundation
import Testing

@testable import AblateCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hash(Array(message.utf8)).hex == expected)
    }

    @Test func millionAs() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func splitUpdatesMatchOneShot() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let expected = SHA256.hash(message)
        for split in [1, 55, 56, 63, 64, 65, 128, 299] {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
    }

    @Test(arguments: [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 200])
    func midstateFastPathMatchesPlainHash(length: Int) {
        let prefix = Array("ablate-job-v1\nstage\n".utf8)
        let body = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let hasher = SHA256(blockAlignedPrefix: prefix)
        let fast = body.withUnsafeBufferPointer { hasher.digest(appending: $0) }
        var padded = prefix + [UInt8](repeating: 0, count: 64 - prefix.count % 64)
        padded += body
        #expect(fast == SHA256.hash(padded))
    }

    @Test func agreesWithSha256sum() throws {
        let message = "ablate {\"long_data\":\"book-65536@0.6\",\"seed\":1}\n" + String(repeating: "x", count: 130)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(message.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.prefix(64) == Substring(SHA256.hash(Array(message.utf8)).hex))
    }
}
