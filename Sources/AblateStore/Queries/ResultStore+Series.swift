import AblateCore
import Foundation
import GRDB
internal import GRDBSQLite

extension ResultStore {
    /// Every point of metric `key` of a run, by step: from the last stage of the run that logged it
    /// (`metrics.jsonl`), else from what a collector read (the Hugging Face Trainer's `log_history`).
    /// `STAGE.KEY` names the stage. Values that were NaN are left out.
    public func series(runID: String, key: String) throws -> [(step: Double, value: Double)] {
        let (stage, name) = Self.stageAndName(key)
        return try database.read { db in
            let run = try Self.runRow(runID, db)
            if let (job, keyID) = try Self.loggedSeries(run: run, name: name, stage: stage, db) {
                // Straight from the SQLite statement: a curve may have a million points.
                let statement = try db.makeStatement(
                    sql: """
                        SELECT step, value FROM metric_points WHERE job_id = ? AND key_id = ? AND value IS NOT NULL
                        ORDER BY step, line
                        """)
                try statement.setArguments([job, keyID])
                var points: [(step: Double, value: Double)] = []
                try Self.stepRows(statement, db) { handle in
                    points.append((Double(sqlite3_column_int64(handle, 0)), sqlite3_column_double(handle, 1)))
                }
                return points
            }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.step, c.value FROM collected_points c JOIN run_jobs rj ON rj.job_id = c.job_id
                    WHERE rj.run_id = ? AND c.key = ? AND c.value IS NOT NULL AND (? IS NULL OR rj.stage = ?)
                    AND rj.position = (
                        SELECT MAX(rj2.position) FROM run_jobs rj2 JOIN collected_points c2 ON c2.job_id = rj2.job_id
                        WHERE rj2.run_id = ? AND c2.key = ? AND (? IS NULL OR rj2.stage = ?))
                    ORDER BY c.step, c.position
                    """, arguments: [run, name, stage, stage, run, name, stage, stage])
            var points: [(step: Double, value: Double)] = []
            while let row = try rows.next() { points.append((Double(row[0] as Int64), row[1])) }
            return points
        }
    }

    /// A logged series (`metrics.jsonl`) of a run as its tiles of 1,024 steps: each tile's mean step,
    /// lowest and highest value and count, written at ingestion beside the points. `nil` when the run
    /// has no logged series of `key` (a collected one is read whole by ``series(runID:key:)``).
    public func seriesTiles(runID: String, key: String) throws -> [(x: Double, min: Double, max: Double, count: Int)]? {
        let (stage, name) = Self.stageAndName(key)
        return try database.read { db in
            let run = try Self.runRow(runID, db)
            guard let (job, keyID) = try Self.loggedSeries(run: run, name: name, stage: stage, db) else { return nil }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT step_sum / count, min_value, max_value, count FROM metric_tiles
                    WHERE job_id = ? AND key_id = ? ORDER BY tile
                    """, arguments: [job, keyID]
            ).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    /// `STAGE.KEY` split into its stage and metric (HELMET's and lm-eval's dotted keys are metric names).
    static func stageAndName(_ key: String) -> (stage: String?, name: String) {
        guard let dot = key.firstIndex(of: "."), !key.hasPrefix("lm_eval."), !key.hasPrefix("helmet.") else {
            return (nil, key)
        }
        return (String(key[..<dot]), String(key[key.index(after: dot)...]))
    }

    /// The row ID of run `runID`.
    static func runRow(_ runID: String, _ db: Database) throws -> Int64 {
        guard let run = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE key = ?", arguments: [runID]) else {
            throw StoreError.unknownID(runID)
        }
        return run
    }

    /// The job and metric key of a run's logged series `name`: from the run's last stage that logged it
    /// (or `stage`'s).
    static func loggedSeries(run: Int64, name: String, stage: String?, _ db: Database) throws -> (Int64, Int64)? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT rj.job_id, k.id FROM run_jobs rj JOIN metric_summaries s ON s.job_id = rj.job_id
                JOIN metric_keys k ON k.id = s.key_id
                WHERE rj.run_id = ? AND k.name = ? AND s.count > 0 AND (? IS NULL OR rj.stage = ?)
                ORDER BY rj.position DESC LIMIT 1
                """, arguments: [run, name, stage, stage]
        ).map { ($0[0], $0[1]) }
    }

    /// A number that changes whenever a job, attempt or run changes: what the dashboard polls (one
    /// indexed aggregate per table, no scan of values).
    public func changeCounter() throws -> String {
        try database.read { db in
            let jobs = try Row.fetchOne(db, sql: "SELECT COUNT(*), MAX(updated_at) FROM jobs")
            let attempts = try Row.fetchOne(db, sql: "SELECT MAX(id), COUNT(ended_at) FROM attempts")
            let points = try Double.fetchOne(db, sql: "SELECT TOTAL(offset) FROM ingest_cursors") ?? 0
            let jobCount: Int64 = jobs?[0] ?? 0
            let jobTime: Double = jobs?[1] ?? 0
            let attemptID: Int64 = attempts?[0] ?? 0
            let ended: Int64 = attempts?[1] ?? 0
            return "\(jobCount).\(jobTime).\(attemptID).\(ended).\(points)"
        }
    }
}

extension ResultStore {
    /// The tokens one step consumes in a run's training, where a stage's `hf-trainer` collector says
    /// (`tokens_per_step`): what turns a curve's steps into tokens.
    public func tokensPerStep(runID: String) throws -> Double? {
        try database.read { db in
            let run = try Self.runRow(runID, db)
            for text in try String.fetchAll(
                db,
                sql: """
                    SELECT j.collect FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id
                    WHERE rj.run_id = ? ORDER BY rj.position
                    """, arguments: [run])
            {
                guard case .array(let collectors) = JSONValueDecoding.decode(text) else { continue }
                for collector in collectors {
                    if case .object(let fields) = collector, let tokens = fields["tokens_per_step"]?.numberValue {
                        return tokens
                    }
                }
            }
            return nil
        }
    }
}
