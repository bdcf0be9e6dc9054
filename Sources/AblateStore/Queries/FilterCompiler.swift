import GRDB

/// Compiles a ``FilterExpression`` into parameterized SQL over the `runs` table. Values never enter the
/// SQL text; they are bound as arguments.
///
/// Every condition has a *probe* form, checked per run through a primary-key lookup (`run_params` by
/// run and name, `run_metrics` by run and key), and most have a *set* form that reads matching run IDs
/// straight from an index (`run_params` by name and value, `run_metrics` by key and value). The query
/// is driven by the most selective set (estimated with a capped count), and every candidate it yields
/// is then checked against the whole expression with probes, so large tables are never scanned when
/// one condition is selective. A run that lacks a parameter or metric matches no comparison on it (so
/// `x != 1` excludes runs without `x`, and `not x = 1` includes them).
public struct FilterCompiler {
    /// A piece of SQL with its arguments.
    public struct Fragment: Sendable {
        /// The SQL text.
        public var sql: String
        /// The bound values, in order.
        public var arguments: StatementArguments

        /// Creates a fragment.
        public init(_ sql: String, _ arguments: StatementArguments = []) {
            self.sql = sql
            self.arguments = arguments
        }
    }

    /// The compiled filter: an optional driving set of run IDs, exact sets to intersect with it, and
    /// the predicate that every candidate must also pass.
    public struct Compiled: Sendable {
        /// An exact condition in two forms: the IDs it selects, and a per-run test.
        public struct Refinement: Sendable {
            /// `SELECT run_id ...` of exactly the runs that pass.
            public var set: Fragment
            /// The same condition as a boolean expression over `runs`.
            public var probe: Fragment
        }

        /// `SELECT run_id ...`: a superset of the matching runs, or `nil` to scan all runs.
        public var driver: Fragment?
        /// Further exact conditions, most selective first: intersect their sets with the driver's, or
        /// apply their probes.
        public var refinements: [Refinement] = []
        /// A boolean SQL expression over `runs` that the remaining conditions make up.
        public var predicate: Fragment
    }

    /// Compiles `expression`, choosing the driving set with capped counts in `db`.
    ///
    /// For a conjunction, the conjunct with the smallest estimated set drives the query and the others
    /// are probed in order of increasing estimate, so candidates fail on the most selective test first.
    public static func compile(_ expression: FilterExpression, in db: Database) throws -> Compiled {
        guard case .and = expression else {
            return Compiled(driver: try driver(expression, db), predicate: probe(expression))
        }
        var ranked: [(conjunct: FilterExpression, set: Fragment?, estimate: Int)] = []
        for conjunct in conjuncts(expression) {
            let set = try driver(conjunct, db)
            ranked.append((conjunct, set, try set.map { try estimate($0, db) } ?? Int.max))
        }
        ranked = ranked.enumerated().sorted { ($0.element.estimate, $0.offset) < ($1.element.estimate, $1.offset) }
            .map(\.element)
        guard let first = ranked.first, let driverSet = first.set else {
            return Compiled(driver: nil, predicate: probe(expression))
        }
        // The driver's own test is implied by its set when that set is exact; other exact conditions
        // become refinements, the rest probes.
        let rest = isExact(first.conjunct) ? Array(ranked.dropFirst()) : ranked
        var refinements: [Compiled.Refinement] = []
        var probes: [Fragment] = []
        for entry in rest {
            if let set = entry.set, isExact(entry.conjunct) {
                refinements.append(.init(set: set, probe: probe(entry.conjunct)))
            } else {
                probes.append(probe(entry.conjunct))
            }
        }
        return Compiled(driver: driverSet, refinements: refinements, predicate: conjunction(probes))
    }

    /// `a AND b AND ...`, or `1` for none.
    public static func conjunction(_ parts: [Fragment]) -> Fragment {
        guard !parts.isEmpty else { return Fragment("1") }
        return Fragment(
            "(" + parts.map(\.sql).joined(separator: " AND ") + ")",
            parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
    }

    /// Compiles `expression` without a driving set (every run is checked).
    public static func compile(_ expression: FilterExpression) -> Compiled {
        Compiled(driver: nil, predicate: probe(expression))
    }

    // MARK: - Driving set

    private static let estimateCap = 10_000

    /// The most SELECTs a driving set may unite (SQLite's limit is 500).
    private static let maximumUnion = 400

    /// The set form of `x in (...)` over a parameter or a metric: one SELECT with `IN` lists.
    private static func membershipSet(field: String, values: [FilterExpression.Literal]) -> Fragment? {
        guard !["status", "sweep", "id", "git.commit", "git.branch", "git.dirty"].contains(field) else { return nil }
        if let metric = metricKey(field) {
            let numbers = values.map(number)
            return Fragment(
                "SELECT run_id FROM run_metrics WHERE \(metric.sql) AND value IN (\(placeholders(numbers.count)))",
                metric.arguments + StatementArguments(numbers))
        }
        let (numbers, texts, labels) = memberLists(values)
        let name = paramName(field)
        var parts = [
            Fragment(
                "SELECT run_id FROM run_params WHERE name = ? AND value_text IN (\(placeholders(texts.count)))",
                [name] + StatementArguments(texts))
        ]
        if !numbers.isEmpty {
            parts.append(
                Fragment(
                    "SELECT run_id FROM run_params WHERE name = ? AND value_num IN (\(placeholders(numbers.count)))",
                    [name] + StatementArguments(numbers)))
        }
        if !labels.isEmpty {
            parts.append(
                Fragment(
                    "SELECT run_id FROM run_params WHERE name = ? AND label IN (\(placeholders(labels.count)))",
                    [name] + StatementArguments(labels)))
        }
        return Fragment(
            parts.map(\.sql).joined(separator: " UNION "),
            parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
    }

    /// Whether the set form of `expression` holds exactly the runs its probe accepts.
    private static func isExact(_ expression: FilterExpression) -> Bool {
        switch expression {
        case .comparison(let field, let op, _):
            return op != .notEqual && !["status", "git.commit", "git.branch", "git.dirty"].contains(field)
        case .membership(let field, _):
            return !["status", "git.commit", "git.branch", "git.dirty"].contains(field)
        default:
            return false
        }
    }

    private static func driver(_ expression: FilterExpression, _ db: Database) throws -> Fragment? {
        switch expression {
        case .and:
            var best: (fragment: Fragment, count: Int)?
            for conjunct in conjuncts(expression) {
                guard let candidate = try driver(conjunct, db) else { continue }
                let count = try estimate(candidate, db)
                if best == nil || count < best!.count { best = (candidate, count) }
            }
            return best?.fragment
        case .or:
            var parts: [Fragment] = []
            for disjunct in disjuncts(expression) {
                guard let part = try driver(disjunct, db) else { return nil }
                parts.append(part)
            }
            // SQLite allows 500 terms in a compound select; past that the probes alone decide.
            let terms = parts.reduce(0) { $0 + $1.sql.components(separatedBy: " UNION ").count }
            guard terms <= maximumUnion else { return nil }
            return Fragment(
                parts.map(\.sql).joined(separator: " UNION "),
                parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
        case .not:
            return nil
        case .membership(let field, let values):
            if let list = membershipSet(field: field, values: values) { return list }
            // Other fields: a UNION per value, while SQLite's limit on compound selects allows it.
            guard values.count <= maximumUnion / 2 else { return nil }
            var parts: [Fragment] = []
            for value in values {
                guard let part = set(field: field, op: .equal, value: value) else { return nil }
                parts.append(part)
            }
            return Fragment(
                parts.map(\.sql).joined(separator: " UNION "),
                parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
        case .comparison(let field, let op, let value):
            return set(field: field, op: op, value: value)
        }
    }

    private static func conjuncts(_ expression: FilterExpression) -> [FilterExpression] {
        operands(of: expression) {
            if case .and(let left, let right) = $0 { (left, right) } else { nil }
        }
    }

    private static func disjuncts(_ expression: FilterExpression) -> [FilterExpression] {
        operands(of: expression) {
            if case .or(let left, let right) = $0 { (left, right) } else { nil }
        }
    }

    /// The operands of a chain of one operator, left to right, where `split` opens one link of the
    /// chain; iterative, so a chain thousands of links deep needs no deep recursion.
    private static func operands(
        of expression: FilterExpression, split: (FilterExpression) -> (FilterExpression, FilterExpression)?
    ) -> [FilterExpression] {
        var result: [FilterExpression] = []
        var pending = [expression]
        while let next = pending.popLast() {
            if let (left, right) = split(next) {
                pending.append(right)
                pending.append(left)
            } else {
                result.append(next)
            }
        }
        return result
    }

    /// `(a OP b OP ...)`, flat.
    private static func joined(_ parts: [Fragment], with op: String) -> Fragment {
        guard parts.count > 1 else { return parts.first ?? Fragment("1") }
        return Fragment(
            "(" + parts.map(\.sql).joined(separator: " \(op) ") + ")",
            parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
    }

    /// `x in (v1, v2, ...)` over a parameter or a metric as one test with SQL `IN` lists, so that a
    /// long list is one condition, not a chain; `nil` for other fields.
    private static func membershipProbe(field: String, values: [FilterExpression.Literal]) -> Fragment? {
        guard !["status", "sweep", "id", "git.commit", "git.branch", "git.dirty"].contains(field) else { return nil }
        if let metric = metricKey(field) {
            let numbers = values.map(number)
            return Fragment(
                "EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = runs.id AND \(metric.sql) AND m.value IN ("
                    + placeholders(numbers.count) + "))", metric.arguments + StatementArguments(numbers))
        }
        let (numbers, texts, labels) = memberLists(values)
        var tests: [String] = []
        var arguments: StatementArguments = [paramName(field)]
        if !numbers.isEmpty {
            tests.append("p.value_num IN (\(placeholders(numbers.count)))")
            arguments += StatementArguments(numbers)
        }
        tests.append("p.value_text IN (\(placeholders(texts.count)))")
        arguments += StatementArguments(texts)
        if !labels.isEmpty {
            tests.append("p.label IN (\(placeholders(labels.count)))")
            arguments += StatementArguments(labels)
        }
        return Fragment(
            "EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = runs.id AND p.name = ? AND ("
                + tests.joined(separator: " OR ") + "))", arguments)
    }

    /// The values of an `in` list as a parameter compares them: numbers by value (and by their text),
    /// strings by text and by preset label.
    private static func memberLists(
        _ values: [FilterExpression.Literal]
    ) -> (numbers: [Double], texts: [String], labels: [String]) {
        var numbers: [Double] = []
        var texts: [String] = []
        var labels: [String] = []
        for value in values {
            switch value {
            case .number(let number, let text):
                numbers.append(number)
                texts.append(text)
            case .string(let text):
                texts.append(text)
                labels.append(text)
            }
        }
        return (numbers, texts, labels)
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    private static func estimate(_ fragment: Fragment, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM (\(fragment.sql) LIMIT \(estimateCap))", arguments: fragment.arguments) ?? 0
    }

    private static func set(field: String, op: FilterExpression.Operator, value: FilterExpression.Literal) -> Fragment?
    {
        let sqlOp = op.rawValue
        switch field {
        case "status":
            return nil
        case "sweep":
            return Fragment(
                "SELECT id FROM runs WHERE sweep_id IN (SELECT id FROM sweeps WHERE name \(sqlOp) ?)", [text(value)])
        case "id":
            guard op == .equal else { return nil }
            let range = idRange(value)
            return Fragment("SELECT id FROM runs WHERE key >= ? AND key < ?", [range.0, range.1])
        case "git.commit", "git.branch", "git.dirty":
            guard op != .notEqual || field != "git.commit" else { return nil }
            let condition = gitCondition(field: field, op: op, value: value)
            return Fragment(
                "SELECT rr.run_id FROM run_revisions rr JOIN git_revisions g ON g.id = rr.revision_id WHERE \(condition.sql)",
                condition.arguments)
        default:
            if let metric = metricKey(field) {
                return Fragment(
                    "SELECT run_id FROM run_metrics WHERE \(metric.sql) AND value \(sqlOp) ?",
                    metric.arguments + [number(value)])
            }
            let name = paramName(field)
            switch (value, op) {
            case (.number(let number, _), .equal):
                return Fragment("SELECT run_id FROM run_params WHERE name = ? AND value_num = ?", [name, number])
                    .union(
                        Fragment(
                            "SELECT run_id FROM run_params WHERE name = ? AND value_text = ?", [name, text(value)]))
            case (.number(let number, _), _):
                return Fragment(
                    "SELECT run_id FROM run_params WHERE name = ? AND value_num \(sqlOp) ?", [name, number])
            case (.string(let string), .equal):
                return Fragment("SELECT run_id FROM run_params WHERE name = ? AND value_text = ?", [name, string])
                    .union(Fragment("SELECT run_id FROM run_params WHERE name = ? AND label = ?", [name, string]))
            case (.string(let string), .notEqual):
                return Fragment("SELECT run_id FROM run_params WHERE name = ? AND value_text IS NOT ?", [name, string])
            case (.string(let string), _):
                return Fragment(
                    "SELECT run_id FROM run_params WHERE name = ? AND value_text \(sqlOp) ?", [name, string])
            }
        }
    }

    // MARK: - Probes

    private static func probe(_ expression: FilterExpression) -> Fragment {
        switch expression {
        case .and:
            // Chains are flat (`a AND b AND c`), so that SQLite's parser never nests deeper than the
            // expression's own parentheses.
            return joined(conjuncts(expression).map(probe), with: "AND")
        case .or:
            return joined(disjuncts(expression).map(probe), with: "OR")
        case .not(let inner):
            // `not not x` is `x`.
            var negations = 1
            var innermost = inner
            while case .not(let deeper) = innermost {
                negations += 1
                innermost = deeper
            }
            let a = probe(innermost)
            return negations % 2 == 0 ? a : Fragment("(NOT \(a.sql))", a.arguments)
        case .membership(let field, let values):
            if let list = membershipProbe(field: field, values: values) { return list }
            return joined(values.map { probe(.comparison(field: field, op: .equal, value: $0)) }, with: "OR")
        case .comparison(let field, let op, let value):
            return probe(field: field, op: op, value: value)
        }
    }

    private static func probe(field: String, op: FilterExpression.Operator, value: FilterExpression.Literal) -> Fragment
    {
        let sqlOp = op.rawValue
        switch field {
        case "status":
            return Fragment("runs.status \(sqlOp) ?", [text(value)])
        case "sweep":
            return Fragment("runs.sweep_id IN (SELECT id FROM sweeps WHERE name \(sqlOp) ?)", [text(value)])
        case "id":
            let range = idRange(value)
            let inside = "(runs.key >= ? AND runs.key < ?)"
            return Fragment(op == .notEqual ? "(NOT \(inside))" : inside, [range.0, range.1])
        case "git.commit", "git.branch", "git.dirty":
            let negate = op == .notEqual && field == "git.commit"
            let condition = gitCondition(field: field, op: negate ? .equal : op, value: value)
            return Fragment(
                "\(negate ? "NOT " : "")EXISTS (SELECT 1 FROM run_revisions rr JOIN git_revisions g ON g.id = rr.revision_id "
                    + "WHERE rr.run_id = runs.id AND \(condition.sql))", condition.arguments)
        default:
            if let metric = metricKey(field) {
                return Fragment(
                    "EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = runs.id AND \(metric.sql) AND m.value \(sqlOp) ?)",
                    metric.arguments + [number(value)])
            }
            let name = paramName(field)
            let prefix = "EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = runs.id AND p.name = ? AND "
            switch (value, op) {
            case (.number(let number, let textForm), .equal):
                return Fragment(prefix + "(p.value_num = ? OR p.value_text = ?))", [name, number, textForm])
            case (.number(let number, _), _):
                return Fragment(prefix + "p.value_num \(sqlOp) ?)", [name, number])
            case (.string(let string), .equal):
                return Fragment(prefix + "(p.value_text = ? OR p.label = ?))", [name, string, string])
            case (.string(let string), .notEqual):
                return Fragment(prefix + "p.value_text IS NOT ? AND p.label IS NOT ?)", [name, string, string])
            case (.string(let string), _):
                return Fragment(prefix + "p.value_text \(sqlOp) ?)", [name, string])
            }
        }
    }

    // MARK: - Pieces

    /// `metric.KEY` or `metric.STAGE.KEY`, optionally `@LENGTH` (a value recorded at that evaluation
    /// length): the key condition over `run_metrics`, or `nil` for other fields. Without `@LENGTH`, a value
    /// recorded per length matches when it does at one of its lengths.
    private static func metricKey(_ field: String) -> Fragment? {
        guard field.hasPrefix("metric.") else { return nil }
        var key = String(field.dropFirst("metric.".count))
        var lengthCondition = ""
        var lengthArguments: StatementArguments = []
        if let at = key.lastIndex(of: "@"), let length = Int(key[key.index(after: at)...]), length >= 0 {
            key = String(key[..<at])
            lengthCondition = " AND eval_length = ?"
            lengthArguments = [length]
        }
        if let dot = key.firstIndex(of: ".") {
            // `metric.eval.recall`: the key `eval.recall`, or `recall` of stage `eval`.
            return Fragment(
                "(key = ? OR (key = ? AND stage = ?))" + lengthCondition,
                StatementArguments([key, String(key[key.index(after: dot)...]), String(key[..<dot])]) + lengthArguments)
        }
        return Fragment("key = ?" + lengthCondition, StatementArguments([key]) + lengthArguments)
    }

    private static func paramName(_ field: String) -> String {
        field.hasPrefix("params.") ? String(field.dropFirst("params.".count)) : field
    }

    private static func gitCondition(
        field: String, op: FilterExpression.Operator, value: FilterExpression.Literal
    ) -> Fragment {
        switch field {
        case "git.commit" where op == .equal:
            let range = idRange(value)
            return Fragment("g.commit_sha >= ? AND g.commit_sha < ?", [range.0, range.1])
        case "git.commit":
            return Fragment("g.commit_sha \(op.rawValue) ?", [text(value)])
        case "git.branch":
            return Fragment("g.branch \(op.rawValue) ?", [text(value)])
        default:
            return Fragment("g.dirty \(op.rawValue) ?", [FilterParser.truth(value) == true ? 1 : 0])
        }
    }

    /// The range of lower-case hex strings that start with the given prefix.
    private static func idRange(_ value: FilterExpression.Literal) -> (String, String) {
        let prefix = text(value).lowercased()
        return (prefix, prefix + "~")
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

}

extension FilterCompiler.Fragment {
    fileprivate func union(_ other: FilterCompiler.Fragment) -> FilterCompiler.Fragment {
        FilterCompiler.Fragment("\(sql) UNION \(other.sql)", arguments + other.arguments)
    }
}
