import AblateCore
@_spi(Benchmarks) import AblateStore
import ArgumentParser
import Foundation
import GRDBSQLite

/// `ablate-bench ingest`: 1,000,000 metric points from metrics.jsonl files into the results database,
/// against raw SQLite prepared statements in one transaction.
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest metric points from metrics.jsonl files; baseline: raw sqlite3 prepared statements."
    )

    @Option(help: "Total metric points.")
    var points = 1_000_000

    @Option(help: "Jobs (one metrics.jsonl each).")
    var jobs = 100

    @Option(help: "Repetitions, each into fresh databases; medians are reported.")
    var repeats = 3

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A one-stage sweep with `jobs` jobs, and a metrics file per job: 4 metrics a line, one final line.
        let spec =
            "sweep: ingest\ngrid:\n  i: [" + (0..<jobs).map(String.init).joined(separator: ", ")
            + "]\nstages:\n  train: {run: \"train {params.i}\", uses: [i]}\n"
        let plan = try SpecLoader.load(yaml: spec, file: "bench.yaml").plan
        let linesPerJob = points / jobs / 4
        var files: [(key: String, path: String)] = []
        var written = 0
        for job in 0..<plan.stages[0].jobCount {
            let path = directory.appendingPathComponent("metrics-\(job).jsonl").path
            var text = ""
            text.reserveCapacity(linesPerJob * 90)
            for step in 0..<linesPerJob {
                let loss = 8.0 * exp(-Double(step) / 700) + Double(step % 7) / 100
                text +=
                    "{\"step\": \(step), \"loss\": \(loss), \"lr\": \(1e-4 * Double(step) / Double(linesPerJob)), "
                    + "\"tokens_per_s\": \(30000 + step % 977), \"grad_norm\": \(0.5 + Double(step % 13) / 10)}\n"
                written += 4
            }
            text += "{\"recall\": 42.5, \"rag\": 51.0}\n"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            files.append((plan.stages[0].keys[job].hex, path))
        }

        var ablateTimes: [Double] = []
        var baselineTimes: [Double] = []
        var ingested = 0
        var baselinePoints = 0
        for repetition in 0..<repeats {
            // Ablate: ResultStore.ingestMetrics, one call per job (each its own transaction).
            let store = try ResultStore(path: directory.appendingPathComponent("ablate-\(repetition).db").path)
            _ = try store.record(plan: plan, specPath: nil, revision: nil)
            let start = ContinuousClock.now
            ingested = 0
            for file in files {
                ingested += try store.ingestMetrics(jobKey: file.key, file: file.path).points
            }
            ablateTimes.append((ContinuousClock.now - start).seconds)

            // Baseline: the same files, the same line parser, raw prepared INSERTs in one transaction into
            // an identical schema (no summaries, no per-run values, no ingestion cursor).
            let baselinePath = directory.appendingPathComponent("raw-\(repetition).db").path
            let raw = try ResultStore(path: baselinePath)
            _ = try raw.record(plan: plan, specPath: nil, revision: nil)
            let jobIDs = try raw.database.read { db in
                try files.map { try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [$0.key])! }
            }
            let baselineStart = ContinuousClock.now
            baselinePoints = try Self.rawIngest(databasePath: baselinePath, files: files.map(\.path), jobIDs: jobIDs)
            baselineTimes.append((ContinuousClock.now - baselineStart).seconds)
        }
        let ablateSeconds = ablateTimes.sorted()[repeats / 2]
        let baselineSeconds = baselineTimes.sorted()[repeats / 2]
        let ablateRate = Double(ingested) / ablateSeconds
        let baselineRate = Double(baselinePoints) / baselineSeconds
        print("points written: \(written) in \(files.count) files")
        print(
            "times (s): ablate \(ablateTimes.map { $0.formatted(3) }), baseline \(baselineTimes.map { $0.formatted(3) })"
        )
        print(
            "ablate: \(ingested) points in \(ablateSeconds.formatted(3)) s (median) = \(Int(ablateRate)) points/s "
                + "(with summaries, per-run values and exactly-once cursors)")
        print(
            "baseline (raw sqlite3 prepared INSERTs, one transaction): \(baselinePoints) points in "
                + "\(baselineSeconds.formatted(3)) s (median) = \(Int(baselineRate)) points/s")
        print("ratio: ablate runs at \((ablateRate / baselineRate).formatted(2))x the raw baseline's rate")
    }

    static func rawIngest(databasePath: String, files: [String], jobIDs: [Int64]) throws -> Int {
        var connection: OpaquePointer?
        guard sqlite3_open(databasePath, &connection) == SQLITE_OK else { throw ValidationError("cannot open") }
        defer { sqlite3_close(connection) }
        sqlite3_exec(
            connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", nil, nil,
            nil)
        sqlite3_exec(connection, "BEGIN", nil, nil, nil)
        var insert: OpaquePointer?
        sqlite3_prepare_v2(
            connection, "INSERT INTO metric_points (job_id, key_id, step, line, value, time) VALUES (?, ?, ?, ?, ?, ?)",
            -1,
            &insert, nil)
        var insertKey: OpaquePointer?
        sqlite3_prepare_v2(connection, "INSERT INTO metric_keys (name) VALUES (?)", -1, &insertKey, nil)
        defer {
            sqlite3_finalize(insert)
            sqlite3_finalize(insertKey)
        }
        var keys: [String: Int64] = [:]
        var count = 0
        let now = Date().timeIntervalSince1970
        var line = MetricLineParser.Line()
        for (file, jobID) in zip(files, jobIDs) {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                var lineNumber: Int64 = 0
                while start < bytes.count {
                    lineNumber += 1
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                    line.fields.removeAll(keepingCapacity: true)
                    line.hasStep = false
                    if (try? MetricLineParser.parse(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &line))
                        != nil,
                        line.hasStep, let step = line.step
                    {
                        for (key, value) in line.fields {
                            let keyID: Int64
                            if let known = keys[key] {
                                keyID = known
                            } else {
                                sqlite3_bind_text(insertKey, 1, key, -1, nil)
                                sqlite3_step(insertKey)
                                sqlite3_reset(insertKey)
                                keyID = sqlite3_last_insert_rowid(connection)
                                keys[key] = keyID
                            }
                            sqlite3_bind_int64(insert, 1, jobID)
                            sqlite3_bind_int64(insert, 2, keyID)
                            sqlite3_bind_int64(insert, 3, Int64(step))
                            sqlite3_bind_int64(insert, 4, lineNumber)
                            sqlite3_bind_double(insert, 5, value)
                            sqlite3_bind_double(insert, 6, now)
                            sqlite3_step(insert)
                            sqlite3_reset(insert)
                            count += 1
                        }
                    }
                    start = end + 1
                }
            }
        }
        sqlite3_exec(connection, "COMMIT", nil, nil, nil)
        return count
    }
}
