import Foundation

/// What a backend needs to start one attempt of a job.
public struct LaunchRequest: Sendable {
    /// The job's directory (logs, status files, outputs).
    public var directory: URL
    /// The attempt number.
    public var attempt: Int
    /// The rendered command, for `/bin/sh -c`.
    public var command: String
    /// The complete environment of the command.
    public var environment: [String: String]

    /// Creates a request.
    public init(directory: URL, attempt: Int, command: String, environment: [String: String]) {
        self.directory = directory
        self.attempt = attempt
        self.command = command
        self.environment = environment
    }
}

/// Where jobs run. The local backend starts processes on this machine; each attempt is supervised by
/// `ablate-wrap`, which records its exit status in the job directory.
public protocol Backend: Sendable {
    /// `local` or `slurm`.
    var name: String { get }

    /// Starts an attempt and returns the supervisor's process ID (also its process group).
    ///
    /// - Throws: ``ExecutionError`` when the attempt cannot be started at all.
    func launch(_ request: LaunchRequest) throws -> Int32
}
