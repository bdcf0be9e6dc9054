import Foundation

/// A job of a submission: its key, attempt number, array task index and directory.
public struct SubmittedJob: Sendable, Equatable {
    /// The job key.
    public var key: String
    /// The attempt number.
    public var attempt: Int
    /// The array task index, or `nil` for a single job.
    public var arrayIndex: Int?
    /// The job directory.
    public var directory: String

    /// Creates a submitted job.
    public init(key: String, attempt: Int, arrayIndex: Int?, directory: String) {
        self.key = key
        self.attempt = attempt
        self.arrayIndex = arrayIndex
        self.directory = directory
    }
}
