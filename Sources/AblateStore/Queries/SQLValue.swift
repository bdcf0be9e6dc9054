import Foundation

/// One value of a row that `ablate sql` returns: SQLite's five storage classes, without exposing the
/// database library to callers.
public enum SQLValue: Sendable, Hashable {
    /// NULL.
    case null
    /// An integer.
    case integer(Int64)
    /// A floating-point number, exactly as stored.
    case real(Double)
    /// Text.
    case text(String)
    /// A blob.
    case blob(Data)

    /// Whether the value is a number or NULL (a column of only these is right-aligned).
    public var isNumericOrNull: Bool {
        switch self {
        case .null, .integer, .real: true
        case .text, .blob: false
        }
    }
}
