import AblateCore
import Foundation
import GRDB

/// A run from outside Ablate (a paper's numbers, a HELMET run nobody orchestrated).
public struct ExternalRun: Sendable, Equatable {
    /// Its parameters.
    public var params: [String: ParamValue]
    /// Its metric values.
    public var metrics: [String: Double]
    /// Its values per evaluation length (HELMET's), by key and length.
    public var lengthMetrics: [String: [Int: Double]] = [:]
    /// Where it was read from, for messages.
    public var source: String?

    /// Creates an external run.
    public init(params: [String: ParamValue], metrics: [String: Double], lengthMetrics: [String: [Int: Double]] = [:]) {
        self.params = params
        self.metrics = metrics
        self.lengthMetrics = lengthMetrics
    }

    /// Every value as `(key, length or 0, value)`, in a fixed order.
    var rows: [(key: String, length: Int, value: Double)] {
        metrics.map { ($0.key, 0, $0.value) }
            + lengthMetrics.flatMap { key, values in values.map { (key, $0.key, $0.value) } }
    }
}

extension ResultStore {
    /// What an import changed.
    public struct ImportSummary: Sendable, Equatable {
        /// Runs recorded for the first time.
        public var added = 0
        /// Runs already recorded whose metrics changed.
        public var updated = 0
        /// Runs already recorded with the same metrics.
        public var unchanged = 0

        /// Creates a summary.
        public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.added = added
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    /// Records external runs under `sweep` (created as an external sweep if new). A run is identified by
    /// its sweep and parameters, so importing the same data again changes nothing.
    public func importRuns(
        _ runs: [ExternalRun], sweep: String, source: String, at time: Date = Date()
    ) throws -> ImportSummary {
        try database.write { db in
            let now = time.timeIntervalSince1970
            try db.execute(
                sql: """
                    INSERT INTO sweeps (name, description, spec_path, spec_text, spec_hash, external, created_at, updated_at)
                    VALUES (?, ?, ?, '', '', 1, ?, ?) ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at
                    """, arguments: [sweep, "imported from \(source)", source, now, now])
            let sweepID = try Int64.fetchOne(db, sql: "SELECT id FROM sweeps WHERE name = ?", arguments: [sweep])!
            var summary = ImportSummary()
            var position =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE sweep_id = ?", arguments: [sweepID]) ?? 0
            for run in runs {
                var message = Array("ablate-run-v1\n".utf8)
                message.append(contentsOf: sweep.utf8)
                message.append(UInt8(ascii: "\n"))
                CanonicalJSON.append(.object(run.params), to: &message)
                let key = SHA256.hash(message).hex
                let existing = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE key = ?", arguments: [key])
                let runID: Int64
                if let existing {
                    runID = existing
                    var old: [String: Double] = [:]
                    for row in try Row.fetchAll(
                        db, sql: "SELECT key, eval_length, value FROM run_metrics WHERE run_id = ?",
                        arguments: [existing])
                    {
                        old["\(row[0] as String)@\(row[1] as Int)"] = row[2]
                    }
                    let new = Dictionary(
                        run.rows.map { ("\($0.key)@\($0.length)", $0.value) }, uniquingKeysWith: { $1 })
                    if old == new { summary.unchanged += 1 } else { summary.updated += 1 }
                    try db.execute(sql: "DELETE FROM run_metrics WHERE run_id = ?", arguments: [existing])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO runs (key, sweep_id, position, params, labels, status, external, created_at)
                            VALUES (?, ?, ?, ?, '{}', ?, 1, ?)
                            """,
                        arguments: [
                            key, sweepID, position, ParamValue.object(run.params).canonicalJSON, RunStatus.external,
                            now,
                        ])
                    runID = db.lastInsertedRowID
                    position += 1
                    summary.added += 1
                    for (name, value) in run.params {
                        let columns = Self.paramColumns(value)
                        try db.execute(
                            sql: """
                                INSERT INTO run_params (run_id, name, value_json, value_text, value_num, label)
                                VALUES (?, ?, ?, ?, ?, NULL)
                                """, arguments: [runID, name, value.canonicalJSON, columns.text, columns.number])
                    }
                }
                for row in run.rows {
                    try db.execute(
                        sql:
                            "INSERT INTO run_metrics (run_id, stage, key, eval_length, value) VALUES (?, 'import', ?, ?, ?)",
                        arguments: [runID, row.key, row.length, row.value.isNaN ? nil : row.value])
                }
            }
            return summary
        }
    }

    /// Records imported values on existing runs of a sweep (`ablate import --match`), as their stage
    /// `import`, replacing what an earlier import recorded there. Returns how many runs got them.
    public func attachImported(_ run: ExternalRun, toRuns runIDs: [String]) throws -> Int {
        try database.write { db in
            var attached = 0
            for runKey in runIDs {
                guard let runID = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE key = ?", arguments: [runKey])
                else { continue }
                try db.execute(sql: "DELETE FROM run_metrics WHERE run_id = ? AND stage = 'import'", arguments: [runID])
                for row in run.rows {
                    try db.execute(
                        sql:
                            "INSERT INTO run_metrics (run_id, stage, key, eval_length, value) VALUES (?, 'import', ?, ?, ?)",
                        arguments: [runID, row.key, row.length, row.value.isNaN ? nil : row.value])
                }
                attached += 1
            }
            return attached
        }
    }

    /// Training-loss curves of runs (by run ID): the `loss` (or `train_loss`) series of `stage` when given
    /// and logged (the training a sweep fans out over checkpoints of, rather than a shared base model
    /// before it), else of the earliest stage that logged one; at most `limit` evenly spaced points each.
    public func lossCurves(
        runIDs: [String], stage: String? = nil, limit: Int = 200
    ) throws -> [String: [(step: Double, value: Double)]] {
        try database.read { db in
            var curves: [String: [(step: Double, value: Double)]] = [:]
            for runID in runIDs {
                var points: [(step: Double, value: Double)] = []
                for preferred in stage.map({ [$0, nil] }) ?? [nil] {
                    points = try Self.lossPoints(db, runID: runID, stage: preferred)
                    if !points.isEmpty { break }
                }
                guard !points.isEmpty else { continue }
                let stride = max(1, points.count / limit)
                curves[runID] = points.enumerated().filter { $0.offset % stride == 0 || $0.offset == points.count - 1 }
                    .map(\.element)
            }
            return curves
        }
    }

    /// The loss points of one run's earliest job (of `stage`, when given) that has them: from
    /// `metrics.jsonl`, else from a collector (`hf-trainer`).
    private static func lossPoints(
        _ db: Database, runID: String, stage: String?
    ) throws -> [(step: Double, value: Double)] {
        if let job = try Int64.fetchOne(
            db,
            sql: """
                SELECT rj.job_id FROM runs r JOIN run_jobs rj ON rj.run_id = r.id
                JOIN metric_summaries s ON s.job_id = rj.job_id JOIN metric_keys k ON k.id = s.key_id
                WHERE r.key = ? AND k.name IN ('loss', 'train_loss') AND s.count > 0 AND (? IS NULL OR rj.stage = ?)
                ORDER BY rj.position LIMIT 1
                """, arguments: [runID, stage, stage])
        {
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT p.step, p.value FROM metric_points p JOIN metric_keys k ON k.id = p.key_id
                    WHERE p.job_id = ? AND k.name IN ('loss', 'train_loss') AND p.value IS NOT NULL ORDER BY p.step, p.line
                    """, arguments: [job]
            ).map { (step: Double($0[0] as Int64), value: $0[1] as Double) }
        }
        // A training log collected from the trainer's own files (`hf-trainer`).
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.step, c.value FROM runs r JOIN run_jobs rj ON rj.run_id = r.id
                JOIN collected_points c ON c.job_id = rj.job_id
                WHERE r.key = ? AND c.key = 'loss' AND c.value IS NOT NULL
                    AND rj.position = (
                        SELECT MIN(rj2.position) FROM run_jobs rj2 JOIN collected_points c2 ON c2.job_id = rj2.job_id
                        WHERE rj2.run_id = r.id AND c2.key = 'loss' AND (? IS NULL OR rj2.stage = ?))
                ORDER BY c.step, c.position
                """, arguments: [runID, stage, stage]
        ).map { (step: Double($0[0] as Int64), value: $0[1] as Double) }
    }
}
