import Foundation

/// Why the identity of a stage's code (`code: key`) could not be determined.
public struct CodeIdentityUnavailable: LocalizedError, Sendable, Equatable {
    /// What went wrong, as a clause ("'../ProLong' is not a git repository").
    public var reason: String

    /// Creates the error.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var errorDescription: String? { reason }
}
