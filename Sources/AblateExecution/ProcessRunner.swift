import Foundation

/// Runs a short command to completion and captures its output: the Slurm client tools, `nvidia-smi`, and
/// the tests' and benchmarks' runs of the built binaries.
public struct ProcessRunner: Sendable {
    /// What a command printed and how it ended.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
    }

    /// Creates a runner.
    public init() {}

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`; no shell is involved.
    ///
    /// - Parameters:
    ///   - directory: The working directory (default: this process's).
    ///   - environment: The complete environment (default: this process's).
    public func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> Result {
        guard let path = Self.resolve(executable) else { throw ExecutionError.missingCommand(executable) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so that neither fills up and blocks the command.
        let errorBox = DataBox()
        let errorHandle = error.fileHandleForReading
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errorBox.data = errorHandle.readDataToEndOfFile()
            done.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let errorData = errorBox.data
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }

    /// The full path of `name`: as given when it contains a `/`, else the first match on `PATH`.
    public static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Bytes read on another thread, handed over after a semaphore.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
