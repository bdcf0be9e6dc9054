import Foundation

/// Problems with the results database or with what was asked of it.
public enum StoreError: LocalizedError, Sendable, Equatable {
    /// The database file could not be opened or migrated.
    case cannotOpen(String, reason: String)
    /// The path names something that is not a regular file (a device, a directory).
    case notAFile(String)
    /// There is no database file at the path.
    case missingDatabase(String)
    /// The file is SQLite but was not made by Ablate.
    case notAnAblateDatabase(String)
    /// No run or job has an ID starting with the prefix.
    case unknownID(String)
    /// Several runs or jobs have IDs starting with the prefix.
    case ambiguousID(String, candidates: [String])
    /// `ablate sql` was given a statement that would modify the database.
    case writeRefused(String)
    /// A SQL statement failed.
    case sqlFailed(String, reason: String)
    /// `ablate sql` was given no statement (only white space or a comment).
    case emptyQuery
    /// A query ran past its time limit and was stopped.
    case queryTimedOut(String, seconds: Double)
    /// The database holds a state this version of Ablate does not know.
    case unknownStoredValue(String, String)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the results database '\(path)': \(reason)"
        case .notAFile(let path):
            "'\(path)' is not a regular file (a device or a directory), so it cannot hold a results database; give a file path such as .ablate/ablate.db"
        case .missingDatabase(let path):
            "no results database at '\(path)'; run 'ablate run SPEC' first, or pass --db PATH (or set ABLATE_DB)"
        case .notAnAblateDatabase(let path):
            "'\(path)' is not an Ablate results database; pass the right --db PATH"
        case .unknownID(let prefix):
            "no run or job has an ID starting with '\(prefix)'; 'ablate runs' lists run IDs"
        case .ambiguousID(let prefix, let candidates):
            "ID prefix '\(prefix)' is ambiguous: it matches \(candidates.joined(separator: ", ")); give more characters"
        case .writeRefused(let sql):
            "'ablate sql' is read-only and will not run '\(sql)'; it would modify the database"
        case .sqlFailed(let sql, let reason):
            "SQL failed: \(reason) (in '\(sql)')"
        case .emptyQuery:
            "the query holds no SQL statement (only white space or a comment); give one, such as 'SELECT * FROM runs'"
        case .queryTimedOut(let sql, let seconds):
            "the query ran longer than \(seconds) s and was stopped (in '\(sql)'); raise --timeout, or narrow it with WHERE or LIMIT"
        case .unknownStoredValue(let type, let value):
            "the results database holds the \(type) '\(value)', which this version of Ablate does not know; use the Ablate version that wrote it"
        }
    }
}
