import Foundation

/// A libgit2 call that failed for a reason other than "not a repository".
public struct GitError: LocalizedError, Sendable, Equatable {
    /// The libgit2 function that failed.
    public var operation: String
    /// libgit2's error code (negative).
    public var code: Int32
    /// libgit2's message.
    public var message: String

    /// Creates an error.
    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// The message shown to the user.
    public var errorDescription: String? {
        "git: \(operation) failed (\(code)): \(message)"
    }
}
