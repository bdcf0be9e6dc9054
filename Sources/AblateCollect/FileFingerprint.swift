import AblateCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Fingerprints of files by name, size and modification time, without reading them.
enum FileFingerprint {
    /// A hex digest over `(path, size, mtime, inode)` of each file among `urls`, in path order; missing
    /// files count by name alone.
    static func of(_ urls: [URL]) -> String {
        var message: [UInt8] = Array("ablate-collect-v1\n".utf8)
        for url in urls.sorted(by: { $0.path < $1.path }) {
            let path = url.path
            message.append(contentsOf: path.utf8)
            var status = stat()
            if stat(path, &status) == 0 {
                message.append(
                    contentsOf:
                        "\t\(status.st_size)\t\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)\t\(status.st_ino)".utf8
                )
            }
            message.append(UInt8(ascii: "\n"))
        }
        return SHA256.hash(message).hex
    }

    /// The regular files directly in `folder` (not recursive).
    static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Reads and parses a JSON file.
    static func json(_ url: URL) throws(CollectionError) -> ParamValue {
        let bytes = try contents(url)
        do {
            return try JSONParser.parse(bytes: bytes)
        } catch {
            throw failure(url, error)
        }
    }

    /// The member `key` of the JSON object in a file (`nil` when it has none), building nothing else:
    /// HELMET's result files hold every example, and only their averaged metrics are needed.
    static func member(_ key: String, of url: URL) throws(CollectionError) -> ParamValue? {
        let bytes = try contents(url)
        do {
            return try JSONParser.member(key, in: bytes)
        } catch {
            if error.reason == "expected an object" { throw .malformed(url.path, reason: "is not a JSON object") }
            throw failure(url, error)
        }
    }

    private static func contents(_ url: URL) throws(CollectionError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .malformed(url.path, reason: "cannot be read")
        }
        return [UInt8](data)
    }

    private static func failure(_ url: URL, _ error: JSONParser.Failure) -> CollectionError {
        let truncated = error.reason.hasPrefix("missing") || error.reason.hasPrefix("unterminated")
        return .malformed(
            url.path,
            reason: truncated
                ? "is not complete JSON (truncated at byte \(error.offset)?); run the evaluation again or delete the file"
                : "is not valid JSON (\(error.reason) at byte \(error.offset))")
    }
}
