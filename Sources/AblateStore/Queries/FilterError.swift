import Foundation

/// A `--where` expression that cannot be understood, with the 1-based column of the problem.
public struct FilterError: LocalizedError, Sendable, Equatable {
    /// The expression as given.
    public var expression: String
    /// The 1-based column where the problem starts.
    public var column: Int
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(expression: String, column: Int, message: String) {
        self.expression = expression
        self.column = column
        self.message = message
    }

    /// `--where:COL: error: MESSAGE`, the expression, and a caret under the column.
    public var errorDescription: String? {
        "--where:\(column): error: \(message)\n  \(expression)\n  " + String(repeating: " ", count: column - 1) + "^"
    }
}
