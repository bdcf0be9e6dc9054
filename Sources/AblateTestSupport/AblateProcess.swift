import AblateExecution
import Foundation

/// Runs the built `ablate` binary, as a user would, and captures what it prints: the end-to-end and
/// integration tests' way in.
public struct AblateProcess {
    /// What a command did.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// The package root: the nearest directory above this file that holds Package.swift.
    public static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/",
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    /// `ablate` next to the test bundle in the build directory.
    public static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("ablate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/ablate")
    }

    /// Runs `ablate ARGUMENTS` in `directory` with extra environment variables.
    public static func run(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:]
    ) throws -> Result {
        let result = try ProcessRunner().run(
            binary.path, arguments, in: directory,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
        return Result(status: result.status, stdout: result.output, stderr: result.error)
    }

    /// Runs another program (`pdflatex`, `scontrol`...) in `directory`; its stdout, then its stderr.
    public static func tool(
        _ path: String, _ arguments: [String], in directory: URL = packageRoot
    ) throws -> (
        status: Int32, output: String
    ) {
        let result = try ProcessRunner().run(path, arguments, in: directory)
        return (result.status, result.output + result.error)
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
