import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// Stores `revision` (deduplicated: an identical state is stored once, its diff once by hash) and
    /// returns its row ID.
    static func insertRevision(_ revision: GitRevision, at time: Date, in db: Database) throws -> Int64 {
        var diffHash: String?
        if !revision.diff.isEmpty {
            let hash = SHA256.hash(Array(revision.diff.utf8)).hex
            try db.execute(
                sql: "INSERT OR IGNORE INTO git_diffs (hash, patch) VALUES (?, ?)", arguments: [hash, revision.diff])
            diffHash = hash
        }
        let untracked = ParamValue.array(revision.untracked.map(ParamValue.string)).canonicalJSON
        let arguments: StatementArguments = [
            revision.path, revision.isRepository, revision.root, revision.commit, revision.branch, revision.dirty,
            diffHash, untracked,
        ]
        if let existing = try Int64.fetchOne(
            db,
            sql: """
                SELECT id FROM git_revisions WHERE path = ? AND is_repository = ? AND root IS ? AND commit_sha IS ?
                AND branch IS ? AND dirty = ? AND diff_hash IS ? AND untracked = ?
                """, arguments: arguments)
        {
            return existing
        }
        try db.execute(
            sql: """
                INSERT INTO git_revisions (path, is_repository, root, commit_sha, branch, dirty, diff_hash, untracked, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments + [time.timeIntervalSince1970])
        return db.lastInsertedRowID
    }

    /// Records `revision` as the code provenance of an attempt, and links it to the attempt's runs.
    public func recordRevision(_ revision: GitRevision, forAttempt attemptID: Int64, at time: Date = Date()) throws {
        try database.write { db in
            let id = try Self.insertRevision(revision, at: time, in: db)
            try Self.link(revision: id, toAttempt: attemptID, in: db)
        }
    }

    /// Records `revision` as the code provenance of the open attempts of the given jobs (a Slurm
    /// submission's), and links it to their runs, in one transaction.
    public func recordRevision(_ revision: GitRevision, forSubmissionOf keys: [String], at time: Date = Date()) throws {
        try database.write { db in
            let id = try Self.insertRevision(revision, at: time, in: db)
            let list = ParamValue.array(keys.map(ParamValue.string)).canonicalJSON
            let attempts = try Int64.fetchAll(
                db,
                sql: """
                    SELECT a.id FROM attempts a JOIN jobs j ON j.id = a.job_id
                    WHERE a.ended_at IS NULL AND j.key IN (SELECT value FROM json_each(?))
                    """, arguments: [list])
            for attempt in attempts { try Self.link(revision: id, toAttempt: attempt, in: db) }
        }
    }

    static func link(revision id: Int64, toAttempt attemptID: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE attempts SET revision_id = ? WHERE id = ?", arguments: [id, attemptID])
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO run_revisions (run_id, revision_id, role)
                SELECT rj.run_id, ?, 'job:' || j.stage FROM attempts a JOIN jobs j ON j.id = a.job_id
                JOIN run_jobs rj ON rj.job_id = j.id WHERE a.id = ?
                """, arguments: [id, attemptID])
    }

    /// The code each of the given jobs last ran successfully: the revision recorded with its latest
    /// succeeded attempt, for jobs that have one.
    public func succeededCode(ofJobs keys: [String]) throws -> [String: GitRevision] {
        try database.read { db in
            let list = ParamValue.array(keys.map(ParamValue.string)).canonicalJSON
            var result: [String: GitRevision] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT j.key, r.*, d.patch FROM jobs j
                    JOIN attempts a ON a.id = (
                        SELECT MAX(x.id) FROM attempts x WHERE x.job_id = j.id AND x.state = ?
                            AND x.revision_id IS NOT NULL)
                    JOIN git_revisions r ON r.id = a.revision_id LEFT JOIN git_diffs d ON d.hash = r.diff_hash
                    WHERE j.key IN (SELECT value FROM json_each(?))
                    """, arguments: [AttemptState.succeeded, list])
            {
                result[row["key"]] = Self.revision(from: row)
            }
            return result
        }
    }

    /// Reads a stored revision back, diff included.
    public func revision(id: Int64) throws -> GitRevision? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.*, d.patch FROM git_revisions r LEFT JOIN git_diffs d ON d.hash = r.diff_hash
                        WHERE r.id = ?
                        """, arguments: [id])
            else { return nil }
            return Self.revision(from: row)
        }
    }

    static func revision(from row: Row) -> GitRevision {
        let untrackedJSON: String = row["untracked"] ?? "[]"
        let untracked =
            (try? JSONSerialization.jsonObject(with: Data(untrackedJSON.utf8)) as? [String]) ?? []
        return GitRevision(
            path: row["path"], isRepository: row["is_repository"], root: row["root"], commit: row["commit_sha"],
            branch: row["branch"], dirty: row["dirty"], diff: row["patch"] ?? "", untracked: untracked)
    }
}
