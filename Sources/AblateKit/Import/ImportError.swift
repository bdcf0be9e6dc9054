import Foundation

/// A file that cannot be imported.
public enum ImportError: LocalizedError, Sendable, Equatable {
    /// A line or file is not in the expected format.
    case malformed(String, line: Int?, reason: String)
    /// Nothing importable was found.
    case empty(String, expected: String)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .malformed(let file, let line, let reason):
            "\(file)\(line.map { ":\($0)" } ?? ""): cannot import: \(reason)"
        case .empty(let file, let expected):
            "\(file): nothing to import; expected \(expected)"
        }
    }
}
