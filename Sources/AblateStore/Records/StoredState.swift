import AblateCore
import GRDB

/// The state enums the store keeps as text, through GRDB's support for `RawRepresentable` values.
///
/// SQL that tests a state is built from these enums (``sql``, ``sqlList(_:)``), never from literals, so
/// that a state is spelled once, in its enum (and in the migrations, which never change once shipped).
protocol StoredState: RawRepresentable, DatabaseValueConvertible, CaseIterable, Sendable where RawValue == String {}

extension JobState: DatabaseValueConvertible, StoredState {}
extension AttemptState: DatabaseValueConvertible, StoredState {}
extension RunStatus: DatabaseValueConvertible, StoredState {}
extension SubmissionState: DatabaseValueConvertible, StoredState {}
extension BackendKind: DatabaseValueConvertible, StoredState {}

extension StoredState {
    /// The value as a SQL string literal.
    var sql: String { "'\(rawValue)'" }

    /// `('a', 'b')`, for `IN` tests.
    static func sqlList(_ values: some Sequence<Self>) -> String {
        "(" + values.map(\.sql).joined(separator: ", ") + ")"
    }

    /// Reads a stored value. One this version does not know (a newer Ablate wrote it, or the file was
    /// edited by hand) is a clear error, never a crash.
    static func stored(_ text: String?) throws -> Self {
        guard let text, let value = Self(rawValue: text) else {
            throw StoreError.unknownStoredValue(String(describing: Self.self), text ?? "NULL")
        }
        return value
    }
}

extension JobState {
    /// The final job states, as a SQL list.
    static var finalSQL: String { sqlList(allCases.filter(\.isFinal)) }
    /// The job states that are not final, as a SQL list.
    static var openSQL: String { sqlList(allCases.filter { !$0.isFinal }) }
}

extension AttemptState {
    /// The attempt outcomes that count against `retries`, as a SQL list.
    static var failureSQL: String { sqlList(allCases.filter(\.isFailure)) }
}
