import Foundation

/// What the local backend needs to start one attempt of a job.
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
