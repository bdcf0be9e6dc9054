import AblateKit
import Foundation

/// Prints log files, then (when following) whatever is appended to them until the job ends.
public struct LogFollower: Sendable {
    /// The files, printed in this order.
    public var files: [String]

    /// Follows `files`.
    public init(files: [String]) {
        self.files = files
    }

    /// Prints each file; with `follow`, polls for new bytes while `stillRunning` says so.
    public func run(follow: Bool, stillRunning: () throws -> Bool) async throws {
        var offsets = [UInt64](repeating: 0, count: files.count)
        func drain() {
            for (index, file) in files.enumerated() {
                guard let handle = FileHandle(forReadingAtPath: file) else { continue }
                defer { try? handle.close() }
                try? handle.seek(toOffset: offsets[index])
                if let data = try? handle.readToEnd(), !data.isEmpty {
                    if !follow, files.count > 1 { FileHandle.standardOutput.write(Data("==> \(file) <==\n".utf8)) }
                    FileHandle.standardOutput.write(data)
                    offsets[index] += UInt64(data.count)
                }
            }
        }
        drain()
        guard follow else { return }
        while try stillRunning() {
            try await Task.sleep(for: .milliseconds(300))
            drain()
        }
        drain()
    }
}
