import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// Stores `revision` (deduplicated: an identical state is stored once, its diff once by hash) and
    /// returns its row ID.
    static func insertRevision(_ revision: StoredRevision, at time: Date, in db: Database) throws -> Int64 {
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
    public func recordRevision(_ revision: StoredRevision, forAttempt attemptID: Int64, at time: Date = Date()) throws {
        try database.write { db in
            let id = try Self.insertRevision(revision, at: time, in: db)
            try db.execute(sql: "UPDATE attempts SET revision_id = ? WHERE id = ?", arguments: [id, attemptID])
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO run_revisions (run_id, revision_id, role)
                    SELECT rj.run_id, ?, 'job:' || j.stage FROM attempts a JOIN jobs j ON j.id = a.job_id
                    JOIN run_jobs rj ON rj.job_id = j.id WHERE a.id = ?
                    """, arguments: [id, attemptID])
        }
    }

    /// Reads a stored revision back, diff included.
    public func revision(id: Int64) throws -> StoredRevision? {
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

    static func revision(from row: Row) -> StoredRevision {
        let untrackedJSON: String = row["untracked"] ?? "[]"
        let untracked =
            (try? JSONSerialization.jsonObject(with: Data(untrackedJSON.utf8)) as? [String]) ?? []
        return StoredRevision(
            path: row["path"], isRepository: row["is_repository"], root: row["root"], commit: row["commit_sha"],
            branch: row["branch"], dirty: row["dirty"], diff: row["patch"] ?? "", untracked: untracked)
    }
}
