import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// Records a submission before `sbatch` runs: the submission (``SubmissionState/submitting``), an open attempt
    /// per job, and each job `queued`. All in one transaction; returns the submission's row ID.
    public func recordSubmission(
        token: String, sweep: String, stage: String, script: String, dependency: String?, retries: Int,
        jobs: [SubmittedJob], at time: Date = Date()
    ) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO submissions (token, sweep, stage, script, dependency, retries, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token, sweep, stage, script, dependency, retries, SubmissionState.submitting,
                    time.timeIntervalSince1970,
                ])
            let submission = db.lastInsertedRowID
            for job in jobs {
                guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [job.key])
                else { throw StoreError.unknownID(job.key) }
                try db.execute(
                    sql: """
                        INSERT INTO attempts (job_id, number, backend, state, submission_id, array_index)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        jobID, job.attempt, BackendKind.slurm, AttemptState.submitted, submission, job.arrayIndex,
                    ])
                try Self.stampResources(attempt: db.lastInsertedRowID, in: db)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = ?, reason = 'submitting to Slurm', output_dir = ?,
                            cancel_requested = 0, updated_at = ?
                        WHERE id = ?
                        """, arguments: [JobState.queued, job.directory, time.timeIntervalSince1970, jobID])
                try Self.refreshRunStatuses(jobID: jobID, in: db)
            }
            return submission
        }
    }

    /// Records the Slurm job ID sbatch answered (or the one found again after a crash): each attempt of
    /// the submission gets `ID` or `ID_INDEX`.
    public func confirmSubmission(id: Int64, slurmJobID: String, at time: Date = Date()) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE submissions SET state = ?, slurm_job_id = ?, submitted_at = ? WHERE id = ?",
                arguments: [SubmissionState.submitted, slurmJobID, time.timeIntervalSince1970, id])
            try db.execute(
                sql: """
                    UPDATE attempts SET backend_job_id = CASE WHEN array_index IS NULL THEN ?1
                        ELSE ?1 || '_' || array_index END
                    WHERE submission_id = ?2
                    """, arguments: [slurmJobID, id])
            try db.execute(
                sql: """
                    UPDATE jobs SET reason = 'submitted to Slurm as ' || (
                        SELECT a.backend_job_id FROM attempts a WHERE a.job_id = jobs.id AND a.submission_id = ?1)
                    WHERE id IN (SELECT job_id FROM attempts WHERE submission_id = ?1) AND state = ?2
                    """, arguments: [id, JobState.queued])
        }
    }

    /// Ends a submission that never became Slurm jobs: sbatch refused it (``SubmissionState/refused``: the
    /// jobs fail with the message) or ablate stopped before it ran (``SubmissionState/lost``: the jobs go
    /// back to `new`).
    public func abandonSubmission(
        id: Int64, state: SubmissionState, message: String, at time: Date = Date()
    ) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE submissions SET state = ?, message = ? WHERE id = ?", arguments: [state, message, id])
            let outcome: AttemptState = state == .refused ? .failed : .lost
            let jobState: JobState = state == .refused ? .failed : .new
            let jobIDs = try Int64.fetchAll(
                db, sql: "SELECT job_id FROM attempts WHERE submission_id = ? AND ended_at IS NULL", arguments: [id])
            try db.execute(
                sql: """
                    UPDATE attempts SET state = ?, outcome = ?, reason = ?, ended_at = ?
                    WHERE submission_id = ? AND ended_at IS NULL
                    """, arguments: [outcome, outcome, message, time.timeIntervalSince1970, id])
            for jobID in jobIDs {
                try db.execute(
                    sql: "UPDATE jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?",
                    arguments: [jobState, message, time.timeIntervalSince1970, jobID])
                try Self.refreshRunStatuses(jobID: jobID, in: db)
            }
        }
    }

    /// Submissions whose sbatch answer was never recorded.
    public func unconfirmedSubmissions() throws -> [SubmissionRecord] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, token, sweep, stage, script, state, slurm_job_id FROM submissions
                    WHERE state = ? ORDER BY id
                    """, arguments: [SubmissionState.submitting]
            ).map {
                SubmissionRecord(
                    id: $0[0], token: $0[1], sweep: $0[2], stage: $0[3], script: $0[4],
                    state: try SubmissionState.stored($0[5]), slurmJobID: $0[6])
            }
        }
    }

    /// The open Slurm attempts of the given jobs (or of every job).
    public func openSlurmAttempts(keys: [String]? = nil) throws -> [SlurmAttemptRecord] {
        try database.read { db in
            let list = keys.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, j.key, j.stage, a.number, a.backend_job_id, a.submission_id, j.output_dir, j.state,
                        s.retries,
                        (SELECT COUNT(*) FROM attempts f WHERE f.job_id = j.id AND f.state IN \(AttemptState.failureSQL)),
                        a.started_at, j.reason,
                        (SELECT MIN(x.number) FROM attempts x WHERE x.job_id = a.job_id
                            AND x.submission_id = a.submission_id)
                    FROM attempts a JOIN jobs j ON j.id = a.job_id JOIN submissions s ON s.id = a.submission_id
                    WHERE a.backend = ?2 AND a.ended_at IS NULL
                        AND (?1 IS NULL OR j.key IN (SELECT value FROM json_each(?1)))
                    ORDER BY a.id
                    """, arguments: [list, BackendKind.slurm]
            ).map {
                SlurmAttemptRecord(
                    id: $0[0], jobKey: $0[1], stage: $0[2], number: $0[3], slurmID: $0[4], submissionID: $0[5],
                    outputDir: $0[6], jobState: try JobState.stored($0[7]), retries: $0[8], failures: $0[9],
                    startedAt: ($0[10] as Double?).map(Date.init(timeIntervalSince1970:)), reason: $0[11],
                    firstNumber: $0[12])
            }
        }
    }

    /// Opens attempt `number` of a requeued Slurm job: same Slurm ID and submission as `previous`.
    public func openRequeuedAttempt(after previous: SlurmAttemptRecord, number: Int) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO attempts (job_id, number, backend, backend_job_id, state, submission_id, array_index)
                    SELECT job_id, ?, backend, backend_job_id, ?, submission_id, array_index
                    FROM attempts WHERE id = ?
                    """, arguments: [number, AttemptState.submitted, previous.id])
            let id = db.lastInsertedRowID
            try Self.stampResources(attempt: id, in: db)
            return id
        }
    }

    /// Records that a Slurm attempt started running, where and when.
    public func markAttemptStarted(id: Int64, host: String?, pid: Int32?, startedAt: Date) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE attempts SET state = ?, host = COALESCE(?, host), pid = COALESCE(?, pid),
                        started_at = ? WHERE id = ? AND ended_at IS NULL
                    """, arguments: [AttemptState.running, host, pid, startedAt.timeIntervalSince1970, id])
        }
    }

    /// The Slurm IDs of the open attempts of the given jobs, for `ablate cancel`.
    public func slurmIDs(ofJobs keys: [String]) throws -> [String: String] {
        var ids: [String: String] = [:]
        for attempt in try openSlurmAttempts(keys: keys) {
            if let slurmID = attempt.slurmID { ids[attempt.jobKey] = slurmID }
        }
        return ids
    }

    /// The number of Slurm submissions (sbatch calls) recorded for `sweep`, by state.
    public func submissionCounts(sweep: String) throws -> [SubmissionState: Int] {
        try database.read { db in
            var counts: [SubmissionState: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT state, COUNT(*) FROM submissions WHERE sweep = ? GROUP BY state", arguments: [sweep])
            {
                counts[try SubmissionState.stored(row[0])] = row[1]
            }
            return counts
        }
    }
}
