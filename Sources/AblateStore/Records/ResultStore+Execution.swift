import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// The jobs with the given keys, with their attempts.
    public func jobRecords(keys: [String]) throws -> [String: JobRecord] {
        try database.read { db in try Self.jobRecords(keys: keys, db) }
    }

    static func jobRecords(keys: [String], _ db: Database) throws -> [String: JobRecord] {
        var records: [String: JobRecord] = [:]
        let list = "[" + keys.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT id, key, stage, state, reason, output_dir, lease_owner, lease_expires, cancel_requested
                FROM jobs WHERE key IN (SELECT value FROM json_each(?))
                """, arguments: [list])
        {
            let record = JobRecord(
                id: row[0], key: row[1], stage: row[2], state: try JobState.stored(row[3]), reason: row[4],
                outputDir: row[5],
                leaseOwner: row[6], leaseExpires: (row[7] as Double?).map(Date.init(timeIntervalSince1970:)),
                cancelRequested: row[8], attempts: [])
            records[record.key] = record
        }
        let ids = "[" + records.values.map { String($0.id) }.joined(separator: ",") + "]"
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.number, a.backend, a.backend_job_id, a.pgid, a.host, a.state, a.started_at, a.ended_at,
                    j.key
                FROM attempts a JOIN jobs j ON j.id = a.job_id
                WHERE a.job_id IN (SELECT value FROM json_each(?)) ORDER BY a.job_id, a.number
                """, arguments: [ids])
        {
            let key: String = row[9]
            records[key]?.attempts.append(
                JobRecord.Attempt(
                    id: row[0], number: row[1], backend: try BackendKind.stored(row[2]), backendJobID: row[3],
                    pgid: row[4], host: row[5], state: try AttemptState.stored(row[6]),
                    startedAt: (row[7] as Double?).map(Date.init(timeIntervalSince1970:)),
                    endedAt: (row[8] as Double?).map(Date.init(timeIntervalSince1970:))))
        }
        return records
    }

    /// The final jobs whose metrics are pending (their ingestion failed when they ended), with their
    /// directories. A job that runs again is not one of them: its new attempt ingests the file.
    public func metricsPendingJobs(keys: [String]? = nil) throws -> [(key: String, outputDir: String)] {
        try database.read { db in
            let list = keys.map { ParamValue.array($0.map(ParamValue.string)).canonicalJSON }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT key, output_dir FROM jobs WHERE metrics_pending = 1 AND output_dir IS NOT NULL
                        AND state IN \(JobState.finalSQL)
                        AND (?1 IS NULL OR key IN (SELECT value FROM json_each(?1)))
                    ORDER BY id
                    """, arguments: [list]
            ).map { ($0[0], $0[1]) }
        }
    }

    /// Clears a job's pending-metrics flag once everything was ingested.
    public func clearMetricsPending(jobKey key: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET metrics_pending = 0 WHERE key = ?", arguments: [key])
        }
    }

    /// The keys of the jobs with an open attempt on `backend`.
    public func openAttemptJobKeys(backend: BackendKind) throws -> [String] {
        try database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT j.key FROM attempts a JOIN jobs j ON j.id = a.job_id
                    WHERE a.ended_at IS NULL AND a.backend = ?
                    """, arguments: [backend])
        }
    }

    /// Takes the lease of job `key` for `owner` unless a live orchestrator holds it.
    ///
    /// - Parameters:
    ///   - isAlive: Whether a lease holder (as recorded) is still running; holders on other hosts are
    ///     trusted until their lease expires.
    /// - Returns: Whether `owner` now holds the lease.
    public func claim(
        jobKey key: String, owner: String, until expiry: Date, now: Date = Date(), isAlive: (String) -> Bool
    ) throws -> Bool {
        try database.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT lease_owner, lease_expires FROM jobs WHERE key = ?", arguments: [key])
            else { throw StoreError.unknownID(key) }
            let holder: String? = row[0]
            let expires: Double? = row[1]
            if let holder, holder != owner, let expires, expires > now.timeIntervalSince1970, isAlive(holder) {
                return false
            }
            try db.execute(
                sql: "UPDATE jobs SET lease_owner = ?, lease_expires = ? WHERE key = ? AND lease_owner IS ?",
                arguments: [owner, expiry.timeIntervalSince1970, key, holder])
            return db.changesCount == 1
        }
    }

    /// Extends every lease `owner` holds.
    public func renewLeases(owner: String, until expiry: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_expires = ? WHERE lease_owner = ?",
                arguments: [expiry.timeIntervalSince1970, owner])
        }
    }

    /// Gives up the leases `owner` holds on jobs that are not running.
    public func releaseLeases(owner: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE jobs SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?",
                arguments: [owner])
        }
    }

    /// Sets a job's state and reason and recomputes the status of its runs.
    ///
    /// - Parameter metricsPending: Whether the job's metrics could not all be ingested (`nil` leaves the
    ///   flag as it is); set together with the state, so that a job is never final with its metrics
    ///   silently missing.
    public func setState(
        ofJob key: String, to state: JobState, reason: String? = nil, outputDir: String? = nil,
        metricsPending: Bool? = nil, at time: Date = Date()
    ) throws {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [key]) else {
                throw StoreError.unknownID(key)
            }
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, reason = ?, output_dir = COALESCE(?, output_dir), updated_at = ?,
                        cancel_requested = CASE WHEN ? IN \(JobState.finalSQL) THEN 0
                            ELSE cancel_requested END,
                        metrics_pending = COALESCE(?, metrics_pending)
                    WHERE id = ?
                    """,
                arguments: [state, reason, outputDir, time.timeIntervalSince1970, state, metricsPending, jobID])
            try Self.refreshRunStatuses(jobID: jobID, in: db)
        }
    }

    /// Opens attempt `number` of job `key` and returns its row ID.
    public func openAttempt(
        jobKey key: String, number: Int, backend: BackendKind, backendJobID: String?, pgid: Int32?, host: String?,
        at time: Date = Date()
    ) throws -> Int64 {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [key]) else {
                throw StoreError.unknownID(key)
            }
            try db.execute(
                sql: """
                    INSERT INTO attempts (job_id, number, backend, backend_job_id, pid, pgid, host, state, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    jobID, number, backend, backendJobID, backendJobID.flatMap { Int($0) }, pgid, host,
                    AttemptState.running, time.timeIntervalSince1970,
                ])
            let id = db.lastInsertedRowID
            try Self.stampResources(attempt: id, in: db)
            return id
        }
    }

    /// Copies the job's resources onto a new attempt: what it holds while it runs.
    static func stampResources(attempt id: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE attempts SET
                    cpus = (SELECT json_extract(j.resources, '$.cpus') FROM jobs j WHERE j.id = attempts.job_id),
                    gpus = (SELECT json_extract(j.resources, '$.gpus') FROM jobs j WHERE j.id = attempts.job_id),
                    nodes = (SELECT json_extract(j.resources, '$.nodes') FROM jobs j WHERE j.id = attempts.job_id)
                WHERE id = ?
                """, arguments: [id])
    }

    /// Closes an attempt with its outcome.
    public func closeAttempt(
        id: Int64, outcome: AttemptState, exitCode: Int32?, signal: Int32?, reason: String, startedAt: Date?,
        endedAt: Date
    ) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE attempts SET state = ?, outcome = ?, exit_code = ?, signal = ?, reason = ?, ended_at = ?,
                        started_at = COALESCE(?, started_at)
                    WHERE id = ?
                    """,
                arguments: [
                    outcome, outcome, exitCode, signal, reason, endedAt.timeIntervalSince1970,
                    startedAt?.timeIntervalSince1970, id,
                ])
        }
    }

    /// Asks running orchestrators to stop jobs: every unfinished job of `sweep`, or the job `key`.
    /// Returns the keys of the jobs marked.
    public func requestCancel(sweep: String? = nil, jobKey: String? = nil) throws -> [String] {
        try database.write { db in
            let keys: [String]
            if let sweep {
                keys = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT j.key FROM jobs j JOIN run_jobs rj ON rj.job_id = j.id JOIN runs r ON r.id = rj.run_id
                        JOIN sweeps s ON s.id = r.sweep_id
                        WHERE s.name = ? AND r.current = 1 AND j.state IN \(JobState.openSQL)
                        """, arguments: [sweep])
            } else if let jobKey {
                keys = try String.fetchAll(
                    db, sql: "SELECT key FROM jobs WHERE key = ? AND state IN \(JobState.openSQL)",
                    arguments: [jobKey])
            } else {
                keys = []
            }
            for key in keys {
                try db.execute(sql: "UPDATE jobs SET cancel_requested = 1 WHERE key = ?", arguments: [key])
            }
            return keys
        }
    }

    /// Makes a sweep's unsuccessful jobs runnable again: `failed`, `cancelled` and `blocked` jobs (or
    /// only `failed` ones and the jobs they blocked) go back to `new`. Returns how many were reset.
    public func resetForRetry(sweep: String, failedOnly: Bool) throws -> Int {
        try database.write { db in
            let states = JobState.sqlList(failedOnly ? [.failed, .blocked] : [.failed, .cancelled, .blocked])
            try db.execute(
                sql: """
                    UPDATE jobs SET state = \(JobState.new.sql), reason = NULL, cancel_requested = 0
                    WHERE state IN \(states) AND id IN (
                        SELECT rj.job_id FROM run_jobs rj JOIN runs r ON r.id = rj.run_id JOIN sweeps s ON s.id = r.sweep_id
                        WHERE s.name = ? AND r.current = 1)
                    """, arguments: [sweep])
            let count = db.changesCount
            if let sweepID = try Int64.fetchOne(db, sql: "SELECT id FROM sweeps WHERE name = ?", arguments: [sweep]) {
                try Self.refreshRunStatuses(sweepID: sweepID, in: db)
            }
            return count
        }
    }

    /// The recorded spec of a sweep: its text and the path it was read from.
    public func sweepSpec(named name: String) throws -> (text: String, path: String?)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT spec_text, spec_path FROM sweeps WHERE name = ?", arguments: [name])
                .map { ($0[0], $0[1]) }
        }
    }
}

extension ResultStore {
    /// Records the process of an open attempt once it is known.
    public func updateAttempt(id: Int64, pid: Int32, pgid: Int32, host: String?, startedAt: Date?) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE attempts SET pid = ?, pgid = ?, backend_job_id = ?, host = COALESCE(?, host),
                        started_at = COALESCE(?, started_at)
                    WHERE id = ?
                    """, arguments: [pid, pgid, String(pid), host, startedAt?.timeIntervalSince1970, id])
        }
    }
}

extension ResultStore {
    /// The latest `loss` (or `train_loss`) point of a job, for progress displays.
    public func runningLoss(jobKey: String) throws -> Double? {
        try database.read { db in
            try Double.fetchOne(
                db,
                sql: """
                    SELECT s.last_value FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id
                    JOIN jobs j ON j.id = s.job_id WHERE j.key = ? AND k.name IN ('loss', 'train_loss')
                    ORDER BY k.name LIMIT 1
                    """, arguments: [jobKey])
        }
    }
}

/// One job of a sweep, for `ablate status`.
public struct SweepJobRow: Sendable {
    /// The sweep.
    public var sweep: String
    /// The stage.
    public var stage: String
    /// The stage's position in dependency order.
    public var stagePosition: Int
    /// The job key.
    public var key: String
    /// The job state.
    public var state: JobState
    /// Why, if recorded.
    public var reason: String?
    /// The job directory.
    public var outputDir: String?
    /// Attempts so far.
    public var attempts: Int

    /// Creates a row.
    public init(
        sweep: String, stage: String, stagePosition: Int, key: String, state: JobState, reason: String?,
        outputDir: String?, attempts: Int
    ) {
        self.sweep = sweep
        self.stage = stage
        self.stagePosition = stagePosition
        self.key = key
        self.state = state
        self.reason = reason
        self.outputDir = outputDir
        self.attempts = attempts
    }
}

extension ResultStore {
    /// The jobs of one sweep (or of every sweep), each once, in stage order.
    public func sweepJobs(sweep: String?) throws -> [SweepJobRow] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, j.stage, MIN(rj.position), j.key, j.state, j.reason, j.output_dir,
                        (SELECT COUNT(*) FROM attempts a WHERE a.job_id = j.id)
                    FROM jobs j JOIN run_jobs rj ON rj.job_id = j.id JOIN runs r ON r.id = rj.run_id
                    JOIN sweeps s ON s.id = r.sweep_id
                    WHERE r.current = 1 AND (? IS NULL OR s.name = ?)
                    GROUP BY s.name, j.id ORDER BY s.name, MIN(rj.position), j.id
                    """, arguments: [sweep, sweep]
            ).map {
                SweepJobRow(
                    sweep: $0[0], stage: $0[1], stagePosition: $0[2], key: $0[3], state: try JobState.stored($0[4]),
                    reason: $0[5],
                    outputDir: $0[6], attempts: $0[7])
            }
        }
    }

    /// The names of the recorded sweeps.
    public func sweepNames() throws -> [String] {
        try database.read { try String.fetchAll($0, sql: "SELECT name FROM sweeps ORDER BY name") }
    }
}
