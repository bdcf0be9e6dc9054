/// A parsed `--where` expression.
public indirect enum FilterExpression: Sendable, Equatable {
    /// A literal value in a comparison.
    public enum Literal: Sendable, Equatable {
        /// A number (`65536`, `0.9`, `1e-5`).
        case number(Double, text: String)
        /// A quoted or bare string (`books`, `'tulu v2'`).
        case string(String)
    }

    /// A comparison operator.
    public enum Operator: String, Sendable, Equatable, CaseIterable {
        /// `=` (also `==`).
        case equal = "="
        /// `!=`.
        case notEqual = "!="
        /// `<`.
        case less = "<"
        /// `<=`.
        case lessOrEqual = "<="
        /// `>`.
        case greater = ">"
        /// `>=`.
        case greaterOrEqual = ">="
    }

    /// `field OP value`.
    case comparison(field: String, op: Operator, value: Literal)
    /// `field in (values)`.
    case membership(field: String, values: [Literal])
    /// `a and b`.
    case and(FilterExpression, FilterExpression)
    /// `a or b`.
    case or(FilterExpression, FilterExpression)
    /// `not a`.
    case not(FilterExpression)
}
