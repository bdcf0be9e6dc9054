import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// What recording one collection changed.
    public struct CollectionSummary: Sendable, Equatable {
        /// Final values recorded (one per key and length).
        public var values = 0
        /// Series points recorded.
        public var points = 0
        /// Metrics with per-example scores recorded.
        public var examples = 0
        /// The collector's warnings, as recorded.
        public var warnings: [String] = []

        /// Creates a summary.
        public init() {}
    }

    /// A job as collection needs it: its directory and the collectors its stage declares.
    public struct CollectableJob: Sendable, Equatable {
        /// The job's key.
        public var key: String
        /// The stage.
        public var stage: String
        /// Its state.
        public var state: JobState
        /// Its directory, once it ran.
        public var outputDir: String?
        /// The collectors of its stage (`jobs.collect`).
        public var collectors: [JobCollector]
        /// What a successful job of its stage leaves behind (`jobs.produces`).
        public var produces: [String] = []
    }

    /// The jobs with the given keys (every job with collectors, for `nil`), in key order.
    public func collectableJobs(keys: [String]? = nil) throws -> [CollectableJob] {
        try database.read { db in
            let rows: [Row]
            if let keys {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, stage, state, output_dir, collect, produces FROM jobs
                        WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key
                        """, arguments: [ParamValue.array(keys.map(ParamValue.string)).canonicalJSON])
            } else {
                rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT key, stage, state, output_dir, collect, produces FROM jobs
                        WHERE collect != '[]' ORDER BY key
                        """)
            }
            return try rows.map { row in
                var job = CollectableJob(
                    key: row["key"], stage: row["stage"], state: try JobState.stored(row["state"]),
                    outputDir: row["output_dir"], collectors: JobCollector.list(from: row["collect"]))
                if case .array(let items) = JSONValueDecoding.decode(row["produces"]) {
                    job.produces = items.compactMap(\.stringValue)
                }
                return job
            }
        }
    }

    /// The fingerprint of the files a job's collector read last time, if it ran.
    public func collectionFingerprint(jobKey: String, collector: String) throws -> String? {
        try database.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT c.fingerprint FROM collections c JOIN jobs j ON j.id = c.job_id
                    WHERE j.key = ? AND c.collector = ?
                    """, arguments: [jobKey, collector])
        }
    }

    /// Records what a collector read from a job's directory, replacing what it read before, in one
    /// transaction: collecting again (a fixed collector, a re-run, a crash before the commit) leaves
    /// every value recorded once. The values reach every run that uses the job, in `run_metrics`; a
    /// collected value wins over a `metrics.jsonl` value of the same key and length.
    ///
    /// - Parameters:
    ///   - beforeCommit: Called inside the transaction after the rows are written; a throw rolls
    ///     everything back (tests use it to simulate a crash).
    @discardableResult
    public func recordCollection(
        jobKey: String, collector: JobCollector, results: CollectedResults, fingerprint: String,
        at time: Date = Date(), beforeCommit: (() throws -> Void)? = nil
    ) throws -> CollectionSummary {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [jobKey])
            else { throw StoreError.unknownID(jobKey) }
            let name = collector.name
            for table in ["job_values", "collected_points", "collected_examples"] {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE job_id = ? AND collector = ?", arguments: [jobID, name])
            }
            var summary = CollectionSummary()
            var seen = Set<String>()
            let insertValue = try db.cachedStatement(
                sql:
                    "INSERT OR REPLACE INTO job_values (job_id, collector, key, eval_length, value) VALUES (?, ?, ?, ?, ?)"
            )
            for value in results.values {
                try insertValue.execute(arguments: [
                    jobID, name, value.key, value.length ?? 0, value.value.isNaN ? nil : value.value,
                ])
                if seen.insert("\(value.key)\u{0}\(value.length ?? 0)").inserted { summary.values += 1 }
            }
            let insertPoint = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO collected_points (job_id, collector, key, step, position, value)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for (position, point) in results.points.enumerated() {
                try insertPoint.execute(arguments: [
                    jobID, name, point.key, point.step, position, point.value.isNaN ? nil : point.value,
                ])
            }
            summary.points = results.points.count
            let insertExamples = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO collected_examples
                        (job_id, collector, key, eval_length, component, weight, ids, scores)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for examples in results.examples {
                try insertExamples.execute(arguments: [
                    jobID, name, examples.key, examples.length ?? 0, examples.component, examples.weight,
                    ParamValue.array(examples.ids.map(ParamValue.string)).canonicalJSON,
                    ParamValue.array(examples.scores.map { $0.isFinite ? .double($0) : .null }).canonicalJSON,
                ])
            }
            summary.examples = results.examples.count
            summary.warnings = results.warnings
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO collections
                        (job_id, collector, fingerprint, files, warnings, provenance, value_count, collected_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    jobID, name, fingerprint, ParamValue.array(results.files.map(ParamValue.string)).canonicalJSON,
                    ParamValue.array(results.warnings.map(ParamValue.string)).canonicalJSON,
                    ParamValue.object(results.provenance).canonicalJSON, summary.values, time.timeIntervalSince1970,
                ])
            try Self.refreshRunMetrics(ofJob: jobID, in: db)
            try beforeCommit?()
            return summary
        }
    }

    /// Rewrites the per-run values of a job's stage from its `metrics.jsonl` summaries and its collected
    /// values (which win at the same key and length).
    static func refreshRunMetrics(ofJob jobID: Int64, in db: Database) throws {
        // By run (the primary key's prefix), never a scan of every run's values.
        try db.execute(
            sql: """
                DELETE FROM run_metrics WHERE run_id IN (SELECT run_id FROM run_jobs WHERE job_id = ?)
                    AND stage = (SELECT stage FROM jobs WHERE id = ?)
                """, arguments: [jobID, jobID])
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO run_metrics (run_id, stage, key, eval_length, value)
                SELECT rj.run_id, j.stage, k.name, 0, s.value FROM metric_summaries s
                JOIN jobs j ON j.id = s.job_id JOIN metric_keys k ON k.id = s.key_id
                JOIN run_jobs rj ON rj.job_id = s.job_id
                WHERE s.job_id = ?
                """, arguments: [jobID])
        try propagateCollected(ofJob: jobID, in: db)
    }

    /// Gives a job's collected values to every run that uses it.
    static func propagateCollected(ofJob jobID: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO run_metrics (run_id, stage, key, eval_length, value)
                SELECT rj.run_id, j.stage, v.key, v.eval_length, v.value FROM job_values v
                JOIN jobs j ON j.id = v.job_id JOIN run_jobs rj ON rj.job_id = v.job_id
                WHERE v.job_id = ? ORDER BY v.collector
                """, arguments: [jobID])
    }

    /// A recorded collection, for `show` and `status`.
    public struct CollectionRecord: Sendable, Equatable {
        /// The collector (`helmet:helmet`).
        public var collector: String
        /// Values recorded.
        public var values: Int
        /// Its warnings.
        public var warnings: [String]
        /// Its provenance (versions, n-shot, tag...).
        public var provenance: [String: ParamValue]
        /// When.
        public var collectedAt: Date
    }

    /// The collections recorded for a job, by collector.
    public func collections(ofJob jobKey: String) throws -> [CollectionRecord] {
        try database.read { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [jobKey])
            else { return [] }
            return try Self.collections(ofJob: jobID, in: db)
        }
    }

    static func collections(ofJob jobID: Int64, in db: Database) throws -> [CollectionRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT collector, value_count, warnings, provenance, collected_at FROM collections
                WHERE job_id = ? ORDER BY collector
                """, arguments: [jobID]
        ).map { row in
            var warnings: [String] = []
            if case .array(let items) = JSONValueDecoding.decode(row["warnings"]) {
                warnings = items.compactMap(\.stringValue)
            }
            var provenance: [String: ParamValue] = [:]
            if case .object(let object) = JSONValueDecoding.decode(row["provenance"]) { provenance = object }
            return CollectionRecord(
                collector: row["collector"], values: row["value_count"], warnings: warnings,
                provenance: provenance, collectedAt: Date(timeIntervalSince1970: row["collected_at"]))
        }
    }
}

extension ResultStore {
    /// The per-example scores behind `keys` for each of `runIDs`, for paired tests: from the latest
    /// stage that collected examples for a key (as a run's values come from its latest stage).
    public func examples(runIDs: [String], keys: [String]) throws -> [String: [CollectedResults.Examples]] {
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.key AS run, rj.position, e.key, e.eval_length, e.component, e.weight, e.ids, e.scores
                    FROM runs r JOIN run_jobs rj ON rj.run_id = r.id JOIN collected_examples e ON e.job_id = rj.job_id
                    WHERE r.key IN (SELECT value FROM json_each(?)) AND e.key IN (SELECT value FROM json_each(?))
                    ORDER BY r.key, rj.position, e.key, e.eval_length, e.component
                    """,
                arguments: [
                    ParamValue.array(runIDs.map(ParamValue.string)).canonicalJSON,
                    ParamValue.array(keys.map(ParamValue.string)).canonicalJSON,
                ])
            var result: [String: [CollectedResults.Examples]] = [:]
            var positions: [String: [String: Int]] = [:]
            while let row = try rows.next() {
                let run: String = row["run"]
                let position: Int = row["position"]
                let key: String = row["key"]
                if let earlier = positions[run]?[key], earlier < position {
                    result[run]?.removeAll { $0.key == key }
                }
                positions[run, default: [:]][key] = position
                var ids: [String] = []
                if case .array(let items) = JSONValueDecoding.decode(row["ids"]) {
                    ids = items.map { $0.stringValue ?? $0.description }
                }
                var scores: [Double] = []
                if case .array(let items) = JSONValueDecoding.decode(row["scores"]) {
                    scores = items.map { $0.numberValue ?? .nan }
                }
                let length: Int = row["eval_length"]
                result[run, default: []].append(
                    .init(
                        key: key, length: length == 0 ? nil : length, component: row["component"],
                        weight: row["weight"],
                        ids: ids, scores: scores))
            }
            return result
        }
    }
}
