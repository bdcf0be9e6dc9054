import AblateCore
import Foundation

/// Fingerprints of files by name, size and modification time, without reading them.
enum FileFingerprint {
    /// A hex digest over `(path, size, mtime)` of each regular file among `urls`, in path order; missing
    /// files count by name alone.
    static func of(_ urls: [URL]) -> String {
        var message: [UInt8] = Array("ablate-collect-v1\n".utf8)
        for url in urls.sorted(by: { $0.path < $1.path }) {
            message.append(contentsOf: url.path.utf8)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) {
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                message.append(contentsOf: "\t\(size)\t\(time)".utf8)
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
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .malformed(url.path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(url.path, reason: "is not UTF-8 text")
        }
        do {
            return try JSONParser.parse(text)
        } catch {
            let truncated = error.reason.hasPrefix("missing") || error.reason.hasPrefix("unterminated")
            throw .malformed(
                url.path,
                reason: truncated
                    ? "is not complete JSON (truncated at byte \(error.offset)?); run the evaluation again or delete the file"
                    : "is not valid JSON (\(error.reason) at byte \(error.offset))")
        }
    }
}
