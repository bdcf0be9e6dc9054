/// Computes job keys for one stage.
///
/// A job key is `SHA-256(P ‖ B)` where
/// - `P` is `ablate-job-v1\n`, the stage name, `\n`, the byte length of the `run` template in decimal,
///   `\n` and the template — followed, for a stage with `code: key`, by `\ncode `, the byte length of
///   the code identity in decimal, `\n` and the identity — zero-padded to a multiple of 64 bytes (so
///   its hash state is computed once per stage), and
/// - `B` is the canonical JSON of the job's `uses` map, `\n`, then for each upstream stage in name
///   order: its name, `=`, the upstream job's key in hex and `\n`.
///
/// Sweep names, run order, resources, retries and timeouts are not part of the key, so two sweeps (or
/// two points) that need the same job share it.
public struct JobKeyHasher: Sendable {
    private let prefixState: SHA256

    /// Prepares the hasher for `stageName` with the command `template` and, for `code: key`, the
    /// identity of the code it runs.
    public init(stageName: String, template: String, code: String? = nil) {
        var prefix = Array("ablate-job-v1\n".utf8)
        prefix.append(contentsOf: stageName.utf8)
        prefix.append(UInt8(ascii: "\n"))
        prefix.append(contentsOf: String(template.utf8.count).utf8)
        prefix.append(UInt8(ascii: "\n"))
        prefix.append(contentsOf: template.utf8)
        if let code {
            prefix.append(contentsOf: "\ncode \(code.utf8.count)\n".utf8)
            prefix.append(contentsOf: code.utf8)
        }
        prefixState = SHA256(blockAlignedPrefix: prefix)
    }

    /// The key of a job whose `uses` map is `params` and whose upstream jobs are `upstream`.
    public func key(params: [String: ParamValue], upstream: [(stage: String, key: Digest)]) -> Digest {
        var body: [UInt8] = []
        CanonicalJSON.append(.object(params), to: &body)
        body.append(UInt8(ascii: "\n"))
        for (stage, key) in upstream.sorted(by: { $0.stage.utf8.lexicographicallyPrecedes($1.stage.utf8) }) {
            Self.appendUpstream(stage: Array(stage.utf8), key: key, to: &body)
        }
        return key(body: body)
    }

    /// The key for an already encoded body `B`.
    func key(body: [UInt8]) -> Digest {
        body.withUnsafeBufferPointer { prefixState.digest(appending: $0) }
    }

    static func appendUpstream(stage: [UInt8], key: Digest, to body: inout [UInt8]) {
        body.append(contentsOf: stage)
        body.append(UInt8(ascii: "="))
        appendHex(key, to: &body)
        body.append(UInt8(ascii: "\n"))
    }

    static func appendHex(_ digest: Digest, to out: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for word in [digest.words.0, digest.words.1, digest.words.2, digest.words.3] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    out.append(table[Int((word >> UInt64(shift)) & 0xf)])
                }
            }
        }
    }
}
