/// Parses the `--where` language: comparisons (`= != < <= > >=`), `in (...)`, `and`, `or`, `not` and
/// parentheses over parameters, `metric.KEY`, `status`, `sweep`, `git.commit`, `git.branch` and
/// `git.dirty`. Values are numbers, quoted strings (`'...'` or `"..."`) or bare words.
///
/// ```
/// train_length >= 65536 and long_data in (books, code_repos) and not metric.recall < 50
/// ```
public struct FilterParser {
    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case number(Double, String)
        case op(FilterExpression.Operator)
        case open, close, comma, end
    }

    let expression: String
    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    /// How deep parentheses and `not`s nest at the current position.
    private var depth = 0

    /// How deep parentheses and `not`s may nest: deeper expressions are refused before they could
    /// exhaust the parser's stack or SQLite's.
    public static let maximumDepth = 32

    /// Parses `expression`.
    ///
    /// - Throws: ``FilterError`` pointing at the column of the problem.
    public static func parse(_ expression: String) throws(FilterError) -> FilterExpression {
        var parser = FilterParser(expression: expression)
        try parser.tokenize()
        let result = try parser.parseOr()
        guard case .end = parser.current.token else {
            throw parser.error(
                "unexpected \(parser.describe(parser.current.token)); join conditions with 'and' or 'or'")
        }
        return result
    }

    private init(expression: String) {
        self.expression = expression
    }

    private var current: (token: Token, column: Int) { tokens[position] }

    private func error(_ message: String, column: Int? = nil) -> FilterError {
        FilterError(expression: expression, column: column ?? current.column, message: message)
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): "'\(word)'"
        case .quoted(let text): "'\(text)'"
        case .number(_, let text): "'\(text)'"
        case .op(let op): "'\(op.rawValue)'"
        case .open: "'('"
        case .close: "')'"
        case .comma: "','"
        case .end: "end of expression"
        }
    }

    private mutating func tokenize() throws(FilterError) {
        let scalars = Array(expression.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let column = index + 1
            switch scalar {
            case " ", "\t", "\n":
                index += 1
            case "(":
                tokens.append((.open, column))
                index += 1
            case ")":
                tokens.append((.close, column))
                index += 1
            case ",":
                tokens.append((.comma, column))
                index += 1
            case "=", "!", "<", ">":
                let next = index + 1 < scalars.count ? scalars[index + 1] : " "
                let pair = String(scalar) + String(next)
                switch pair {
                case "==": tokens.append((.op(.equal), column)); index += 2
                case "!=": tokens.append((.op(.notEqual), column)); index += 2
                case "<=": tokens.append((.op(.lessOrEqual), column)); index += 2
                case ">=": tokens.append((.op(.greaterOrEqual), column)); index += 2
                default:
                    switch scalar {
                    case "=": tokens.append((.op(.equal), column))
                    case "<": tokens.append((.op(.less), column))
                    case ">": tokens.append((.op(.greater), column))
                    default:
                        throw FilterError(
                            expression: expression, column: column,
                            message: "'!' must be followed by '='; write 'not' to negate")
                    }
                    index += 1
                }
            case "'", "\"":
                var end = index + 1
                var text = ""
                while end < scalars.count, scalars[end] != scalar {
                    if scalars[end] == "\\", end + 1 < scalars.count {
                        end += 1
                    }
                    text.unicodeScalars.append(scalars[end])
                    end += 1
                }
                guard end < scalars.count else {
                    throw FilterError(
                        expression: expression, column: column, message: "unterminated string; close it with \(scalar)")
                }
                tokens.append((.quoted(text), column))
                index = end + 1
            default:
                var end = index
                while end < scalars.count, !" \t\n(),=!<>'\"".unicodeScalars.contains(scalars[end]) {
                    end += 1
                }
                let word = String(String.UnicodeScalarView(scalars[index..<end]))
                if let number = Double(word), word.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
                    guard number.isFinite else {
                        throw FilterError(
                            expression: expression, column: column,
                            message: "'\(word)' is not a finite number; write a number such as 1e300")
                    }
                    tokens.append((.number(number, word), column))
                } else {
                    tokens.append((.word(word), column))
                }
                index = end
            }
        }
        tokens.append((.end, scalars.count + 1))
    }

    private mutating func parseOr() throws(FilterError) -> FilterExpression {
        var left = try parseAnd()
        while current.token == .word("or") {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(FilterError) -> FilterExpression {
        var left = try parseUnary()
        while current.token == .word("and") {
            position += 1
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(FilterError) -> FilterExpression {
        if current.token == .word("not") || current.token == .open {
            guard depth < Self.maximumDepth else {
                throw error(
                    "the expression nests parentheses and 'not's more than \(Self.maximumDepth) deep; write it flatter")
            }
        }
        if current.token == .word("not") {
            // A run of `not`s is read in a loop and counts as one level: `not not x` is `x`.
            var negations = 0
            while current.token == .word("not") {
                position += 1
                negations += 1
            }
            depth += 1
            defer { depth -= 1 }
            let inner = try parseUnary()
            return negations % 2 == 0 ? inner : .not(inner)
        }
        if current.token == .open {
            let column = current.column
            position += 1
            depth += 1
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.token == .close else {
                throw error("expected ')' to close the '(' at column \(column)")
            }
            position += 1
            return inner
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(FilterError) -> FilterExpression {
        guard case .word(let field) = current.token, !["and", "or", "not", "in"].contains(field) else {
            throw error(
                "expected a field name (a parameter, metric.KEY, status, sweep, git.commit, git.dirty) but found \(describe(current.token))"
            )
        }
        position += 1
        if current.token == .word("in") {
            position += 1
            return .membership(field: field, values: try parseList(of: field))
        }
        if current.token == .word("not"), position + 1 < tokens.count, tokens[position + 1].token == .word("in") {
            position += 2
            return .not(.membership(field: field, values: try parseList(of: field)))
        }
        guard case .op(let op) = current.token else {
            throw error(
                "expected a comparison (= != < <= > >=) or 'in' after '\(field)' but found \(describe(current.token))")
        }
        let opColumn = current.column
        position += 1
        let valueColumn = current.column
        let value = try parseLiteral(after: "'\(op.rawValue)'")
        if field == "git.dirty" {
            guard op == .equal || op == .notEqual else {
                throw error("git.dirty is true or false; compare it with = or !=", column: opColumn)
            }
            guard Self.truth(value) != nil else {
                throw error("git.dirty is true or false, not \(Self.describe(value))", column: valueColumn)
            }
        }
        return .comparison(field: field, op: op, value: value)
    }

    /// The truth value of a `git.dirty` literal: true, false, yes, no, 1 or 0.
    static func truth(_ value: FilterExpression.Literal) -> Bool? {
        switch value {
        case .number(let number, _): number == 1 ? true : number == 0 ? false : nil
        case .string(let text):
            ["true", "yes"].contains(text.lowercased())
                ? true : ["false", "no"].contains(text.lowercased()) ? false : nil
        }
    }

    private static func describe(_ value: FilterExpression.Literal) -> String {
        switch value {
        case .number(_, let text): "'\(text)'"
        case .string(let text): "'\(text)'"
        }
    }

    /// The most values an `in` list may have (each is bound twice or thrice, within SQLite's 32,766).
    public static let maximumListLength = 10_000

    private mutating func parseList(of field: String) throws(FilterError) -> [FilterExpression.Literal] {
        guard current.token == .open else { throw error("expected '(' to start the list after 'in'") }
        position += 1
        var values: [FilterExpression.Literal] = []
        while true {
            guard values.count < Self.maximumListLength else {
                throw error("an 'in' list may have at most \(Self.maximumListLength) values; split the query")
            }
            let column = current.column
            let value = try parseLiteral(after: values.isEmpty ? "'('" : "','")
            if field == "git.dirty", Self.truth(value) == nil {
                throw error("git.dirty is true or false, not \(Self.describe(value))", column: column)
            }
            values.append(value)
            if current.token == .comma {
                position += 1
                continue
            }
            guard current.token == .close else { throw error("expected ',' or ')' in the list") }
            position += 1
            return values
        }
    }

    private mutating func parseLiteral(after previous: String) throws(FilterError) -> FilterExpression.Literal {
        defer { position += 1 }
        switch current.token {
        case .number(let value, let text): return .number(value, text: text)
        case .quoted(let text): return .string(text)
        case .word(let word) where !["and", "or", "not", "in"].contains(word): return .string(word)
        default: throw error("expected a value after \(previous) but found \(describe(current.token))")
        }
    }
}
