import AblateCore
@_spi(Benchmarks) import AblateStore
import ArgumentParser
import Foundation
import GRDB
import GRDBSQLite

/// `ablate-bench query`: `ablate runs --where` and `ablate show` over 100,000 runs with 20 parameters
/// and 20 metrics each; baseline: the same filter as hand-written SQL through raw sqlite3.
struct QueryBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query 100,000 runs (20 params, 20 metrics each); baseline: hand-written SQL via raw sqlite3."
    )

    @Option(help: "The database to build (kept, and reused when it exists).")
    var database = ".build/bench-query.db"

    @Option(help: "Repetitions; the median is reported.")
    var repeats = 5

    static let filter = "train_length >= 262144 and long_data in (d1, d2) and metric.recall > 90 and seed < 5"
    static let broadFilter = "metric.recall > 50 and rope_theta = 8000000"
    static let metricNames = [
        "recall", "rag", "rerank", "icl", "qa", "summ", "hellaswag", "mmlu", "arc_challenge", "winogrande", "gsm8k",
        "loss", "eval_loss", "ppl_32k", "ppl_64k", "tokens_per_s", "recall_32k", "recall_64k", "rag_32k", "rag_64k",
    ]

    func run() throws {
        if !FileManager.default.fileExists(atPath: database) {
            let start = ContinuousClock.now
            try Self.build(at: database)
            print("built \(database) in \((ContinuousClock.now - start).seconds.formatted(1)) s")
        }
        let store = try ResultStore.openReadOnly(path: database)
        let counts = try store.database.read { db in
            try ["runs", "run_params", "run_metrics"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
        }
        print("database: \(counts[0]) runs, \(counts[1]) params, \(counts[2]) run metrics")

        for filter in [Self.filter, Self.broadFilter] {
            var matched = 0
            let library = try Self.median(repeats) { matched = try store.runs(where: filter).count }
            let binary = try Self.median(repeats) {
                try Self.runAblate(["runs", "--db", database, "--where", filter, "--format", "csv"])
            }
            let baseline = try Self.median(repeats) { _ = try Self.rawQuery(database, filter: filter) }
            print("runs --where \"\(filter)\": \(matched) runs")
            print("  ablate (library call): median \(library.ms) ms; `ablate runs` process: median \(binary.ms) ms")
            print("  baseline (hand-written SQL joins, raw sqlite3): median \(baseline.ms) ms")
            print("  ratio: library \((baseline / library).formatted(2))x the baseline's speed")
        }

        let runID = try store.runs(where: "seed = 3", limit: 1)[0].id
        let detail = try Self.median(repeats) { _ = try store.runDetail(id: runID) }
        let showBinary = try Self.median(repeats) {
            try Self.runAblate(["show", "--db", database, String(runID.prefix(10))])
        }
        let showBaseline = try Self.median(repeats) { try Self.rawShow(database, runID: runID) }
        print(
            "show \(runID.prefix(10)): library median \(detail.ms) ms; `ablate show` process: median \(showBinary.ms) ms"
        )
        print(
            "  baseline (raw sqlite3: the run, its params, jobs, attempts and metric summaries): median \(showBaseline.ms) ms"
        )
        let startup = try Self.median(repeats) { try Self.runAblate(["--version"]) }
        print("process start-up alone (`ablate --version`): median \(startup.ms) ms")
    }

    static func median(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            try body()
            times.append((ContinuousClock.now - start).seconds)
        }
        return times.sorted()[times.count / 2]
    }

    static func runAblate(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ablate")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("ablate \(arguments) failed") }
    }

    /// 100,000 runs: axes long_data, train_length, rope_theta, sft_data, seed (10 values each) plus 15
    /// fixed params; 20 metrics per run on its eval job.
    static func build(at path: String) throws {
        var yaml = "sweep: query-bench\nparams:\n"
        for index in 1...15 { yaml += "  p\(index): value-\(index)\n" }
        yaml += """
            grid:
              long_data: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]
              train_length: [8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4194304]
              rope_theta: [500000, 1000000, 2000000, 4000000, 8000000, 16000000, 32000000, 64000000, 128000000, 256000000]
              sft_data: [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9]
              seed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            stages:
              pretrain: {run: "train", uses: [long_data, train_length, rope_theta, seed]}
              eval: {run: "eval {pretrain.output}", uses: [sft_data], after: [pretrain]}

            """
        let plan = try SpecLoader.load(yaml: yaml, file: "bench.yaml").plan
        let store = try ResultStore(path: path)
        _ = try store.record(plan: plan, specPath: nil, revision: nil)
        try store.database.write { db in
            for name in metricNames {
                try db.execute(sql: "INSERT OR IGNORE INTO metric_keys (name) VALUES (?)", arguments: [name])
            }
            try db.execute(
                sql: """
                    INSERT INTO metric_summaries (job_id, key_id, count, final_value, value)
                    SELECT j.id, k.id, 0, v, v FROM (SELECT j.id, (abs(random()) % 10000) / 100.0 AS v, k.id AS kid
                        FROM jobs j, metric_keys k WHERE j.stage = 'eval') x
                    JOIN jobs j ON j.id = x.id JOIN metric_keys k ON k.id = x.kid
                    """)
            try db.execute(
                sql: """
                    INSERT INTO run_metrics (run_id, stage, key, value)
                    SELECT rj.run_id, 'eval', k.name, s.value FROM run_jobs rj
                    JOIN metric_summaries s ON s.job_id = rj.job_id JOIN metric_keys k ON k.id = s.key_id
                    WHERE rj.stage = 'eval'
                    """)
            try db.execute(sql: "UPDATE jobs SET state = ?", arguments: [JobState.succeeded.rawValue])
            try db.execute(sql: "UPDATE runs SET status = ?", arguments: [RunStatus.succeeded.rawValue])
        }
        try store.database.writeWithoutTransaction { try $0.execute(sql: "ANALYZE") }
    }

    static func rawQuery(_ path: String, filter: String) throws -> Int {
        let sql: String
        if filter == Self.filter {
            sql = """
                SELECT r.id, r.params FROM runs r
                JOIN run_params p1 ON p1.run_id = r.id AND p1.name = 'train_length' AND p1.value_num >= 262144
                JOIN run_params p2 ON p2.run_id = r.id AND p2.name = 'long_data' AND p2.value_text IN ('d1', 'd2')
                JOIN run_metrics m ON m.run_id = r.id AND m.key = 'recall' AND m.value > 90
                JOIN run_params p3 ON p3.run_id = r.id AND p3.name = 'seed' AND p3.value_num < 5
                """
        } else {
            sql = """
                SELECT r.id, r.params FROM runs r
                JOIN run_metrics m ON m.run_id = r.id AND m.key = 'recall' AND m.value > 50
                JOIN run_params p1 ON p1.run_id = r.id AND p1.name = 'rope_theta' AND p1.value_num = 8000000
                """
        }
        var connection: OpaquePointer?
        sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close(connection) }
        var statement: OpaquePointer?
        sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        var count = 0
        while sqlite3_step(statement) == SQLITE_ROW {
            _ = String(cString: sqlite3_column_text(statement, 0))
            _ = String(cString: sqlite3_column_text(statement, 1))
            count += 1
        }
        return count
    }

    static func rawShow(_ path: String, runID: String) throws {
        var connection: OpaquePointer?
        sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close(connection) }
        for sql in [
            "SELECT * FROM runs WHERE id = ?1", "SELECT * FROM run_params WHERE run_id = ?1",
            "SELECT j.* FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id WHERE rj.run_id = ?1",
            "SELECT a.* FROM run_jobs rj JOIN attempts a ON a.job_id = rj.job_id WHERE rj.run_id = ?1",
            "SELECT s.*, k.name FROM run_jobs rj JOIN metric_summaries s ON s.job_id = rj.job_id JOIN metric_keys k ON k.id = s.key_id WHERE rj.run_id = ?1",
        ] {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
            sqlite3_bind_text(statement, 1, runID, -1, nil)
            while sqlite3_step(statement) == SQLITE_ROW {}
            sqlite3_finalize(statement)
        }
    }
}

extension Double {
    var ms: String { (self * 1000).formatted(1) }
}
