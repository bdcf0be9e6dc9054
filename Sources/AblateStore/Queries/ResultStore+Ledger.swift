import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// What one attempt held and for how long: a row of the compute ledger.
    public struct AttemptUsage: Sendable, Equatable {
        /// The job's key.
        public var jobKey: String
        /// The job's stage.
        public var stage: String
        /// When it started running (`nil` while queued in Slurm, or never started).
        public var startedAt: Date?
        /// When it ended (`nil` while it runs).
        public var endedAt: Date?
        /// The CPUs, GPUs and nodes it held (the job's at the time it opened; `nil` for attempts recorded
        /// before the ledger).
        public var cpus: Int?
        /// GPUs per node.
        public var gpus: Int?
        /// Nodes.
        public var nodes: Int?
        /// How it ended, if it did.
        public var outcome: AttemptState?
    }

    /// Every attempt of the current runs of `sweep` (or of every sweep), each job once.
    public func attemptUsage(sweep: String?) throws -> [AttemptUsage] {
        try database.read { db in
            // A database opened read-only before its migration to the ledger has no resources yet.
            let held =
                try db.columns(in: "attempts").contains { $0.name == "gpus" }
                ? "a.cpus, a.gpus, a.nodes" : "NULL, NULL, NULL"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT j.key, j.stage, a.started_at, a.ended_at, \(held), a.outcome
                    FROM attempts a JOIN jobs j ON j.id = a.job_id
                    WHERE a.job_id IN (
                        SELECT rj.job_id FROM run_jobs rj JOIN runs r ON r.id = rj.run_id
                        JOIN sweeps s ON s.id = r.sweep_id WHERE r.current = 1 AND (? IS NULL OR s.name = ?))
                    ORDER BY j.id, a.number
                    """, arguments: [sweep, sweep]
            ).map { row in
                let started: Double? = row[2]
                let ended: Double? = row[3]
                let outcome: String? = row[7]
                return AttemptUsage(
                    jobKey: row[0], stage: row[1], startedAt: started.map(Date.init(timeIntervalSince1970:)),
                    endedAt: ended.map(Date.init(timeIntervalSince1970:)), cpus: row[4], gpus: row[5], nodes: row[6],
                    outcome: outcome.flatMap(AttemptState.init(rawValue:)))
            }
        }
    }

    /// The jobs of each current run of `sweep`, by run ID.
    public func jobsOfRuns(sweep: String) throws -> [String: [String]] {
        try database.read { db in
            var result: [String: [String]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.key, j.key FROM runs r JOIN sweeps s ON s.id = r.sweep_id
                    JOIN run_jobs rj ON rj.run_id = r.id JOIN jobs j ON j.id = rj.job_id
                    WHERE s.name = ? AND r.current = 1 ORDER BY r.position, rj.position
                    """, arguments: [sweep])
            while let row = try rows.next() { result[row[0], default: []].append(row[1]) }
            return result
        }
    }

    /// For each of `keys`, how many current runs (of every sweep) use the job.
    public func runsUsing(jobKeys keys: [String]) throws -> [String: Int] {
        try database.read { db in
            var result: [String: Int] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT j.key, COUNT(DISTINCT rj.run_id) FROM jobs j JOIN run_jobs rj ON rj.job_id = j.id
                    JOIN runs r ON r.id = rj.run_id
                    WHERE r.current = 1 AND j.key IN (SELECT value FROM json_each(?)) GROUP BY j.id
                    """, arguments: [ParamValue.array(keys.map(ParamValue.string)).canonicalJSON])
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }

    /// The tokens each of `keys` saw, where known: its final `tokens` value (collected from the trainer's
    /// log, or from `metrics.jsonl`).
    public func tokensSeen(jobKeys keys: [String]) throws -> [String: Double] {
        try database.read { db in
            var result: [String: Double] = [:]
            let list = ParamValue.array(keys.map(ParamValue.string)).canonicalJSON
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT j.key, MAX(v.value) FROM jobs j JOIN job_values v ON v.job_id = j.id
                    WHERE v.key = 'tokens' AND j.key IN (SELECT value FROM json_each(?)) GROUP BY j.id
                    UNION ALL
                    SELECT j.key, MAX(s.value) FROM jobs j JOIN metric_summaries s ON s.job_id = j.id
                    JOIN metric_keys k ON k.id = s.key_id
                    WHERE k.name = 'tokens' AND j.key IN (SELECT value FROM json_each(?)) GROUP BY j.id
                    """, arguments: [list, list])
            while let row = try rows.next() {
                let value: Double? = row[1]
                if let value, result[row[0]] == nil { result[row[0]] = value }
            }
            return result
        }
    }
}

extension ResultStore {
    /// A succeeded attempt's duration, with its job's stage and parameters: what the forecast compares.
    public struct RecordedDuration: Sendable, Equatable {
        /// The stage.
        public var stage: String
        /// The job's parameters.
        public var params: [String: ParamValue]
        /// Seconds from start to end.
        public var seconds: Double
    }

    /// The durations of the succeeded attempts of jobs of `stages` (every sweep's).
    public func recordedDurations(stages: [String]) throws -> [RecordedDuration] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT j.stage, j.params, a.ended_at - a.started_at FROM attempts a JOIN jobs j ON j.id = a.job_id
                    WHERE a.outcome = 'succeeded' AND a.started_at IS NOT NULL AND a.ended_at IS NOT NULL
                    AND j.stage IN (SELECT value FROM json_each(?))
                    """, arguments: [ParamValue.array(stages.map(ParamValue.string)).canonicalJSON]
            ).map { row in
                var params: [String: ParamValue] = [:]
                if case .object(let object) = JSONValueDecoding.decode(row[1]) { params = object }
                return RecordedDuration(stage: row[0], params: params, seconds: row[2])
            }
        }
    }
}
