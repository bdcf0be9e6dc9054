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
        case .or(let left, let right):
            guard let a = try driver(left, db), let b = try driver(right, db) else { return nil }
            return Fragment("\(a.sql) UNION \(b.sql)", a.arguments + b.arguments)
        case .not:
            return nil
        case .membership(let field, let values):
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
        if case .and(let left, let right) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
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
        case .and(let left, let right):
            let a = probe(left)
            let b = probe(right)
            return Fragment("(\(a.sql) AND \(b.sql))", a.arguments + b.arguments)
        case .or(let left, let right):
            let a = probe(left)
            let b = probe(right)
            return Fragment("(\(a.sql) OR \(b.sql))", a.arguments + b.arguments)
        case .not(let inner):
            let a = probe(inner)
            return Fragment("(NOT \(a.sql))", a.arguments)
        case .membership(let field, let values):
            let parts = values.map { probe(.comparison(field: field, op: .equal, value: $0)) }
            return Fragment(
                "(" + parts.map(\.sql).joined(separator: " OR ") + ")",
                parts.reduce(into: StatementArguments()) { $0 += $1.arguments })
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

    /// `metric.KEY` or `metric.STAGE.KEY`: the key condition over `run_metrics`, or `nil` for other fields.
    private static func metricKey(_ field: String) -> Fragment? {
        guard field.hasPrefix("metric.") else { return nil }
        let key = String(field.dropFirst("metric.".count))
        if let dot = key.firstIndex(of: ".") {
            // `metric.eval.recall`: the key `eval.recall`, or `recall` of stage `eval`.
            return Fragment(
                "(key = ? OR (key = ? AND stage = ?))",
                [key, String(key[key.index(after: dot)...]), String(key[..<dot])])
        }
        return Fragment("key = ?", [key])
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
            return Fragment("g.dirty \(op.rawValue) ?", [truth(value)])
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

    private static func truth(_ value: FilterExpression.Literal) -> Int {
        switch value {
        case .number(let number, _): number != 0 ? 1 : 0
        case .string(let text): ["true", "yes", "1"].contains(text.lowercased()) ? 1 : 0
        }
    }
}

extension FilterCompiler.Fragment {
    fileprivate func union(_ other: FilterCompiler.Fragment) -> FilterCompiler.Fragment {
        FilterCompiler.Fragment("\(sql) UNION \(other.sql)", arguments + other.arguments)
    }
}
