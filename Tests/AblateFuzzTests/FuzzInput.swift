import AblateStats
import Foundation

/// A seeded generator of hostile inputs: mutations of real specs and random expressions. The same
/// seed gives the same inputs, so a failure is reproduced with `ABLATE_FUZZ_SEED`.
struct FuzzInput {
    /// How many inputs a run generates in all (`ABLATE_FUZZ_INPUTS`, default 100,000), shared out by
    /// what each kind costs: specs 40%, report specs 30%, `--where` strings 25%, command lines 5%.
    static let total = ProcessInfo.processInfo.environment["ABLATE_FUZZ_INPUTS"].flatMap(Int.init) ?? 100_000

    /// This kind's share of ``total``.
    static func count(_ percent: Int) -> Int { max(1, total * percent / 100) }
    /// The seed (`ABLATE_FUZZ_SEED`, default fixed so that CI is repeatable).
    static let seed = ProcessInfo.processInfo.environment["ABLATE_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_201

    var random: SeededRandom

    init(kind: UInt64) {
        random = SeededRandom(seed: Self.seed &+ kind &* 0x1000_0000_0000)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    /// Tokens that break YAML, specs, commands and numbers.
    static let yamlTokens = [
        "{", "}", "[", "]", ":", ": ", ",", "-", "- ", "\n", "\n  ", "  ", "#", "&a ", "*a", "<<: *a", "!!str ",
        "!!int ",
        "!!binary ", "\"", "'", "\\", "\t", "|", ">", "?", "%", "@", "`", "~", "null", "true", "1e400", "-1", "0",
        ".inf", ".nan", "9999999999999999999999", "1e19", "-0", "0x7f", "nan", "{params.x}", "{output}", "{config}",
        "{pretrain.output}", "{{", "}}", "$(", "$((", "${", "`id`", "<<EOF\n", "\u{0}", "\u{FEFF}", "é", "🧪",
        "grid", "zip", "params", "presets", "stages", "run", "uses", "after", "resources", "retries", "timeout",
        "repo", "code", "key", "include", "exclude", "slurm", "metrics", "signal", "sbatch", "max_running",
        "--comment=x", "report", "from", "rows", "columns", "aggregate", "over", "show", "mean±std", "highlight",
        "baseline", "sweep", "where", "status", "metric.x", "seed", "\r\n",
    ]

    /// `text` with a few random edits: tokens inserted, spans deleted, duplicated or swapped, bytes flipped.
    mutating func mutate(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = scalars.isEmpty ? 0 : Int.random(in: 0...scalars.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                scalars.insert(contentsOf: pick(Self.yamlTokens).unicodeScalars, at: position)
            case 2:
                let end = min(scalars.count, position + Int.random(in: 1...40, using: &random))
                if position < end { scalars.removeSubrange(position..<end) }
            case 3:
                let end = min(scalars.count, position + Int.random(in: 1...80, using: &random))
                if position < end { scalars.insert(contentsOf: scalars[position..<end], at: position) }
            case 4:
                if position < scalars.count {
                    scalars[position] = Unicode.Scalar(UInt8.random(in: 0x20...0x7e, using: &random))
                }
            default:
                scalars = Array(scalars.prefix(position))
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    static let fields = [
        "seed", "long_data", "train_length", "metric.recall", "metric.eval.recall", "metric.x", "status", "sweep",
        "git.commit", "git.branch", "git.dirty", "id", "params.seed", "x", "and", "or", "not", "in", "(", ")", "'",
    ]
    static let operators = ["=", "==", "!=", "<", "<=", ">", ">=", "!", "in", "not in", "=<", ""]
    static let values = [
        "1", "-1", "0", "1e400", "1e-400", "nan", "inf", "books", "'a b'", "\"x\"", "'", "\"", "()", "(1, 2)",
        "(a,)", "true", "maybe", "99999999999999999999", "0x10", "'it''s'", "é", "", "-", ".", "1.5e3",
    ]

    /// A random `--where` expression: mostly well-formed, deep and long at times, broken at others.
    mutating func whereExpression(depth: Int = 0) -> String {
        if depth > 40 || chance(depth > 3 ? 60 : 25) {
            let field = pick(Self.fields)
            let op = pick(Self.operators)
            if op.hasSuffix("in") {
                let count =
                    chance(10) ? Int.random(in: 100...600, using: &random) : Int.random(in: 0...4, using: &random)
                return "\(field) \(op) (" + (0..<count).map { _ in pick(Self.values) }.joined(separator: ", ") + ")"
            }
            return "\(field) \(op) \(pick(Self.values))"
        }
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return "not " + whereExpression(depth: depth + 1)
        case 1: return "(" + whereExpression(depth: depth + 1) + ")"
        case 2:
            // A long flat chain of simple comparisons (long chains of nested ones would grow without bound).
            let count = chance(10) ? Int.random(in: 50...300, using: &random) : 2
            return (0..<count).map { _ in whereExpression(depth: 41) }.joined(separator: pick([" and ", " or "]))
        case 3: return mutate(whereExpression(depth: depth + 1))
        default: return whereExpression(depth: depth + 1) + pick([" and ", " or "]) + whereExpression(depth: depth + 1)
        }
    }

    static let subcommands = [
        "plan", "run", "status", "sync", "logs", "cancel", "retry", "runs", "show", "diff", "sql", "report", "import",
        "help", "--help", "--version", "bogus", "",
    ]
    static let options = [
        "--jobs", "--cpus", "--gpus", "--grace", "--poll", "--max-running", "--limit", "--timeout", "--max-rows",
        "--backend", "--format", "--where", "--columns", "--sweep", "--db", "--workdir", "--watch", "--no-arrays",
        "--detach", "--json", "--failed", "--follow", "--stderr", "--diff", "--no-sync", "-o", "-f", "--", "-h",
    ]
    static let optionValues = [
        "0", "-1", "1", "2", "nan", "inf", "-inf", "1e400", "100000", "9999999999999999999", "", "local", "slurm",
        "slurmm", "table", "csv", "json", "html", "latex", "markdown", "xml", "seed = 1", "((", "a,b", "/dev/null",
        "/nonexistent/x.db", "s.yaml", "0.0001", "-0", "é", "--", "-5",
    ]

    /// A random command line.
    mutating func arguments() -> [String] {
        var arguments = [pick(Self.subcommands)]
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            if chance(60) {
                arguments.append(pick(Self.options))
                if chance(80) { arguments.append(pick(Self.optionValues)) }
            } else {
                arguments.append(chance(50) ? pick(Self.optionValues) : mutate(pick(Self.optionValues)))
            }
        }
        return arguments
    }
}
