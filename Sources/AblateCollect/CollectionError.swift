/// Why a collector recorded nothing: each names the file or folder and says what to do.
public enum CollectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder (or file) the collector reads does not exist.
    case missing(String, expected: String)
    /// The folder holds no result file of the collector's kind.
    case empty(String, expected: String)
    /// A file is not what the collector reads (truncated, another harness's output, not JSON).
    case malformed(String, reason: String)

    /// The message shown and recorded.
    public var description: String {
        switch self {
        case .missing(let path, let expected): "\(path): no such file or folder; expected \(expected)"
        case .empty(let path, let expected): "\(path): no results found; expected \(expected)"
        case .malformed(let path, let reason): "\(path): \(reason)"
        }
    }
}
