import GRDB

/// Compiles a ``FilterExpression`` into a parameterized SQL condition over the `runs` table. Values
/// never enter the SQL text; they are bound as arguments.
///
/// Each condition selects run IDs from an index (`run_params`, `run_metrics`, `run_revisions`), so
/// SQLite evaluates it once rather than once per run. A run that lacks a parameter or metric matches
/// no comparison on it (so `x != 1` excludes runs without `x`, and `not x = 1` includes them).
public struct FilterCompiler {
    /// The SQL condition and its arguments.
    public struct Compiled: Sendable {
        /// A boolean SQL expression over `runs`.
        public var sql: String
        /// The bound values, in order.
        public var arguments: StatementArguments
    }

    /// Compiles `expression`.
    public static func compile(_ expression: FilterExpression) -> Compiled {
        var arguments = StatementArguments()
        let sql = compile(expression, &arguments)
        return Compiled(sql: sql, arguments: arguments)
    }

    private static func compile(_ expression: FilterExpression, _ arguments: inout StatementArguments) -> String {
        switch expression {
        case .and(let left, let right):
            return "(\(compile(left, &arguments)) AND \(compile(right, &arguments)))"
        case .or(let left, let right):
            return "(\(compile(left, &arguments)) OR \(compile(right, &arguments)))"
        case .not(let inner):
            return "(NOT \(compile(inner, &arguments)))"
        case .membership(let field, let values):
            let parts = values.map { compile(.comparison(field: field, op: .equal, value: $0), &arguments) }
            return "(" + parts.joined(separator: " OR ") + ")"
        case .comparison(let field, let op, let value):
            return comparison(field: field, op: op, value: value, &arguments)
        }
    }

    private static func comparison(
        field: String, op: FilterExpression.Operator, value: FilterExpression.Literal,
        _ arguments: inout StatementArguments
    ) -> String {
        let sqlOp = op.rawValue
        switch field {
        case "status":
            arguments += [text(value)]
            return "runs.status \(sqlOp) ?"
        case "sweep":
            arguments += [text(value)]
            return "runs.sweep_id IN (SELECT id FROM sweeps WHERE name \(sqlOp) ?)"
        case "id":
            arguments += [text(value) + "%"]
            return op == .notEqual ? "runs.id NOT LIKE ?" : "runs.id LIKE ?"
        case "git.commit", "git.branch", "git.dirty":
            let condition: String
            switch field {
            case "git.commit" where op == .equal || op == .notEqual:
                arguments += [text(value).lowercased() + "%"]
                condition = "g.commit_sha LIKE ?"
            case "git.commit":
                arguments += [text(value)]
                condition = "g.commit_sha \(sqlOp) ?"
            case "git.branch":
                arguments += [text(value)]
                condition = "g.branch \(sqlOp) ?"
            default:
                arguments += [truth(value)]
                condition = "g.dirty \(sqlOp) ?"
            }
            let negate = op == .notEqual && field == "git.commit"
            return """
                runs.id \(negate ? "NOT IN" : "IN") (SELECT rr.run_id FROM run_revisions rr \
                JOIN git_revisions g ON g.id = rr.revision_id WHERE \(condition))
                """
        default:
            if field.hasPrefix("metric.") {
                let key = String(field.dropFirst("metric.".count))
                let keyCondition: String
                if let dot = key.firstIndex(of: ".") {
                    // `metric.eval.recall`: the key `eval.recall`, or `recall` of stage `eval`.
                    keyCondition = "(key = ? OR (stage = ? AND key = ?))"
                    arguments += [key, String(key[..<dot]), String(key[key.index(after: dot)...])]
                } else {
                    keyCondition = "key = ?"
                    arguments += [key]
                }
                arguments += [number(value)]
                return "runs.id IN (SELECT run_id FROM run_metrics WHERE \(keyCondition) AND value \(sqlOp) ?)"
            }
            let name = field.hasPrefix("params.") ? String(field.dropFirst("params.".count)) : field
            switch (value, op) {
            case (.number(let number, let textForm), .equal):
                arguments += [name, number, textForm]
                return "runs.id IN (SELECT run_id FROM run_params WHERE name = ? AND (value_num = ? OR value_text = ?))"
            case (.number(let number, _), _):
                arguments += [name, number]
                return "runs.id IN (SELECT run_id FROM run_params WHERE name = ? AND value_num \(sqlOp) ?)"
            case (.string(let string), .equal):
                arguments += [name, string, name, string]
                return """
                    runs.id IN (SELECT run_id FROM run_params WHERE name = ? AND value_text = ? \
                    UNION SELECT run_id FROM run_params WHERE name = ? AND label = ?)
                    """
            case (.string(let string), .notEqual):
                arguments += [name, string, string]
                return """
                    runs.id IN (SELECT run_id FROM run_params WHERE name = ? AND value_text IS NOT ? \
                    AND label IS NOT ?)
                    """
            case (.string(let string), _):
                arguments += [name, string]
                return "runs.id IN (SELECT run_id FROM run_params WHERE name = ? AND value_text \(sqlOp) ?)"
            }
        }
    }

    private static func text(_ value: FilterExpression.Literal) -> String {
        switch value {
        case .number(_, let text): text
        case .string(let text): text
        }
    }

    private static func number(_ value: FilterExpression.Literal) -> DatabaseValue {
        switch value {
        case .number(let number, _): number.databaseValue
        case .string(let text): text.databaseValue
        }
    }

    private static func truth(_ value: FilterExpression.Literal) -> Int {
        switch value {
        case .number(let number, _): number != 0 ? 1 : 0
        case .string(let text): ["true", "yes", "1"].contains(text.lowercased()) ? 1 : 0
        }
    }
}
