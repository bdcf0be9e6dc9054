import Foundation

/// A file that cannot be imported.
public enum ImportError: LocalizedError, Sendable, Equatable {
    /// A line or file is not in the expected format.
    case malformed(String, line: Int?, reason: String)
    /// Nothing importable was found.
    case empty(String, expected: String)
    /// The file or directory to import does not exist.
    case missing(String)
    /// The file exists but cannot be read as text.
    case unreadable(String, reason: String)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .malformed(let file, let line, let reason):
            "\(file)\(line.map { ":\($0)" } ?? ""): cannot import: \(reason)"
        case .empty(let file, let expected):
            "\(file): nothing to import; expected \(expected)"
        case .missing(let path):
            "no such file or directory '\(path)' to import; check the path"
        case .unreadable(let path, let reason):
            "cannot import '\(path)': \(reason)"
        }
    }
}
