import AblateCore
import AblateServe
@_spi(Benchmarks) import AblateStore
import ArgumentParser
import Foundation
import GRDB
import GRDBSQLite

/// `ablate-bench serve`: the dashboard's server time on the 100,000-run benchmark database (the one
/// `ablate-bench query` builds): the runs page's first 50 rows for a filter matching 5,000 runs, beside the
/// same query in raw SQL; and a 1,000,000-point curve's downsampled response, beside the same min/max
/// downsampling in numpy over the same points, in the same run.
struct ServeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Dashboard server time: runs page and 1M-point curve; baselines: raw SQL and numpy."
    )

    @Option(help: "The 100,000-run database (built by `ablate-bench query` when missing).")
    var database = ".build/bench-query.db"

    @Option(help: "Repetitions; medians are reported.")
    var repeats = 5

    static let filter = "long_data in (d0, d1, d2, d3, d4) and seed = 0"

    func run() throws {
        if !FileManager.default.fileExists(atPath: database) {
            let start = ContinuousClock.now
            try QueryBenchmark.build(at: database)
            print("built \(database) in \((ContinuousClock.now - start).seconds.formatted(1)) s")
        }
        let store = try ResultStore.openReadOnly(path: database)
        let dashboard = Dashboard(store: store, reports: [])
        var total = 0
        let page = try QueryBenchmark.median(repeats) {
            let response = dashboard.respond(
                DashboardRequest(path: "/api/runs", query: ["where": Self.filter, "limit": "50"]))
            let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            total = body?["total"] as? Int ?? -1
        }
        let raw = try QueryBenchmark.median(repeats) { try Self.rawPage(database) }
        print("runs page, where \"\(Self.filter)\": \(total) runs match, first 50 rows with their params and metrics")
        print("  dashboard (/api/runs, JSON included): median \(page.ms) ms")
        print("  baseline (the same filter and page in hand-written SQL, raw sqlite3): median \(raw.ms) ms")
        print("  ratio: dashboard takes \((page / raw).formatted(2))x the baseline's time")

        // A run with a 1,000,000-point loss series.
        let curveDatabase = database + ".curve"
        if !FileManager.default.fileExists(atPath: curveDatabase) { try Self.buildCurve(at: curveDatabase) }
        let curveStore = try ResultStore.openReadOnly(path: curveDatabase)
        let runID = try curveStore.runs()[0].id
        var buckets = 0
        var coldTimes: [Double] = []
        var warmTimes: [Double] = []
        for _ in 0..<repeats {
            // A new dashboard each time: the first request reads the points, the next one reuses them.
            let fresh = Dashboard(store: curveStore, reports: [])
            for (bucketCount, times) in [("1000", 0), ("800", 1)] {
                let start = ContinuousClock.now
                let response = fresh.respond(
                    DashboardRequest(
                        path: "/api/curves", query: ["runs": runID, "key": "loss", "buckets": bucketCount]))
                let elapsed = (ContinuousClock.now - start).seconds
                if times == 0 { coldTimes.append(elapsed) } else { warmTimes.append(elapsed) }
                let body = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
                if times == 0 {
                    buckets = ((body?["series"] as? [[String: Any]])?.first?["buckets"] as? [Any])?.count ?? -1
                }
            }
        }
        let curve = coldTimes.sorted()[coldTimes.count / 2]
        let warm = warmTimes.sorted()[warmTimes.count / 2]
        let read = try QueryBenchmark.median(repeats) { _ = try curveStore.series(runID: runID, key: "loss") }
        let points = try curveStore.series(runID: runID, key: "loss")
        let downsample = try QueryBenchmark.median(repeats) { _ = SeriesDownsampler.minMax(points, buckets: 1000) }
        let numpy = try Self.numpyBaseline(curveDatabase)
        print("curve of 1,000,000 points into \(buckets) min/max buckets")
        print(
            "  dashboard (/api/curves: the series' tiles of 1,024 steps, written at ingestion, merged into buckets; JSON): median \(curve.ms) ms (a second request, another bucket count: \(warm.ms) ms)"
        )
        print(
            "  without tiles, for comparison: reading every point \(read.ms) ms, then downsampling in Swift \(downsample.ms) ms"
        )
        print(
            "  baseline (numpy: the same points read with sqlite3 into an array, then min/max per bucket): read \(numpy.read.ms) ms, downsample \(numpy.downsample.ms) ms"
        )
        print(
            "  ratio: dashboard takes \((curve / (numpy.read + numpy.downsample)).formatted(2))x the baseline's time; downsampling alone \((downsample / numpy.downsample).formatted(2))x"
        )
    }

    static func rawPage(_ path: String) throws {
        var connection: OpaquePointer?
        sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close(connection) }
        let match = """
            FROM runs r JOIN run_params p1 ON p1.run_id = r.id AND p1.name = 'long_data'
                AND p1.value_text IN ('d0', 'd1', 'd2', 'd3', 'd4')
            JOIN run_params p2 ON p2.run_id = r.id AND p2.name = 'seed' AND p2.value_num = 0
            """
        for sql in [
            "SELECT COUNT(*) \(match)",
            "SELECT r.id, r.params, r.labels, m.key, m.value FROM (SELECT r.id, r.params, r.labels \(match) ORDER BY r.position LIMIT 50) r JOIN run_metrics m ON m.run_id = r.id",
        ] {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
            while sqlite3_step(statement) == SQLITE_ROW { _ = sqlite3_column_text(statement, 0) }
            sqlite3_finalize(statement)
        }
    }

    static func buildCurve(at path: String) throws {
        let plan = try SpecLoader.load(
            yaml: "sweep: curve\nstages:\n  train: {run: train}\n", file: "curve.yaml"
        ).plan
        let store = try ResultStore(path: path)
        _ = try store.record(plan: plan, specPath: nil, revision: nil)
        try store.database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO metric_keys (name) VALUES ('loss')")
            try db.execute(
                sql: """
                    WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000000)
                    INSERT INTO metric_points (job_id, key_id, step, line, value)
                    SELECT 1, (SELECT id FROM metric_keys WHERE name = 'loss'), n, n,
                        2 + 3.0 / (1 + n / 10000.0) + (abs(random()) % 1000) / 10000.0 FROM s
                    """)
            // What ingestion writes beside the points (the same aggregate as the migration's).
            try db.execute(
                sql: """
                    INSERT INTO metric_tiles (job_id, key_id, tile, min_value, max_value, step_sum, count)
                    SELECT job_id, key_id, step / 1024, MIN(value), MAX(value), SUM(step), COUNT(value)
                    FROM metric_points WHERE value IS NOT NULL GROUP BY job_id, key_id, step / 1024
                    """)
            try db.execute(
                sql: """
                    INSERT INTO metric_summaries (job_id, key_id, count, last_step, value)
                    VALUES (1, (SELECT id FROM metric_keys WHERE name = 'loss'), 1000000, 1000000, 2.0)
                    """)
        }
    }

    /// numpy over the same points: read them with sqlite3 into an array, then min and max per bucket.
    static func numpyBaseline(_ path: String) throws -> (read: Double, downsample: Double) {
        let script = """
            import sqlite3, time, json, numpy as np
            reads, downs = [], []
            for _ in range(5):
                t = time.perf_counter()
                rows = sqlite3.connect("file:\(path)?mode=ro", uri=True).execute(
                    "SELECT step, value FROM metric_points ORDER BY step").fetchall()
                a = np.array(rows, dtype=np.float64)
                reads.append(time.perf_counter() - t)
                t = time.perf_counter()
                x, y = a[:, 0], a[:, 1]
                idx = np.minimum(((x - x.min()) / ((x.max() - x.min()) / 1000)).astype(np.int64), 999)
                order = np.argsort(idx, kind="stable")
                starts = np.searchsorted(idx[order], np.arange(1000))
                lo = np.minimum.reduceat(y[order], starts); hi = np.maximum.reduceat(y[order], starts)
                downs.append(time.perf_counter() - t)
            print(json.dumps({"read": sorted(reads)[2], "downsample": sorted(downs)[2]}))
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-numpy-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let python = FileManager.default.isExecutableFile(atPath: ".venv/bin/python") ? ".venv/bin/python" : "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object =
            (try? JSONSerialization.jsonObject(
                with: data.split(separator: UInt8(ascii: "\n")).last.map { Data($0) } ?? Data()))
            as? [String: Double] ?? [:]
        guard let read = object["read"], let downsample = object["downsample"] else {
            throw ValidationError("the numpy baseline did not run (needs numpy: the trainer's .venv has it)")
        }
        return (read, downsample)
    }
}
