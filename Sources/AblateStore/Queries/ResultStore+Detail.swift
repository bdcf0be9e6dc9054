import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// What an abbreviated ID names.
    public enum ResolvedID: Sendable, Equatable {
        /// A run ID.
        case run(String)
        /// A job key.
        case job(String)
    }

    /// Resolves a unique prefix of a run ID or job key, as git does for commits.
    ///
    /// - Throws: ``StoreError/unknownID(_:)`` or ``StoreError/ambiguousID(_:candidates:)``.
    public func resolve(id prefix: String) throws -> ResolvedID {
        let normalized = prefix.lowercased()
        guard !normalized.isEmpty, normalized.allSatisfy(\.isHexDigit) else { throw StoreError.unknownID(prefix) }
        return try database.read { db in
            let range: StatementArguments = [normalized, normalized + "~"]
            let runs = try String.fetchAll(
                db, sql: "SELECT key FROM runs WHERE key >= ? AND key < ? LIMIT 5", arguments: range)
            let jobs = try String.fetchAll(
                db, sql: "SELECT key FROM jobs WHERE key >= ? AND key < ? LIMIT 5", arguments: range)
            let all = runs.map { ResolvedID.run($0) } + jobs.map { ResolvedID.job($0) }
            guard let first = all.first else { throw StoreError.unknownID(prefix) }
            guard all.count == 1 else {
                let names = runs.map { "run \($0.prefix(12))" } + jobs.map { "job \($0.prefix(12))" }
                throw StoreError.ambiguousID(prefix, candidates: names)
            }
            return first
        }
    }

    /// The full record of run `id`.
    public func runDetail(id: String) throws -> RunDetail {
        guard let run = try runs(where: "id = \(id)", includeRetired: true).first else {
            throw StoreError.unknownID(id)
        }
        return try database.read { db in
            let rowID = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE key = ?", arguments: [id]) ?? -1
            let jobRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT j.* FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id
                    WHERE rj.run_id = ? ORDER BY rj.position
                    """, arguments: [rowID])
            let jobs = try jobRows.map { try Self.jobDetail($0, db) }
            let revisionRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rr.role, g.*, d.patch FROM run_revisions rr JOIN git_revisions g ON g.id = rr.revision_id
                    LEFT JOIN git_diffs d ON d.hash = g.diff_hash WHERE rr.run_id = ? ORDER BY rr.role, g.id
                    """, arguments: [rowID])
            let revisions = revisionRows.map { (role: $0["role"] as String, revision: Self.revision(from: $0)) }
            return RunDetail(run: run, jobs: jobs, revisions: revisions)
        }
    }

    /// The detail of the job with `key`.
    public func jobDetail(key: String) throws -> RunDetail.Job {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE key = ?", arguments: [key]) else {
                throw StoreError.unknownID(key)
            }
            return try Self.jobDetail(row, db)
        }
    }

    static func jobDetail(_ row: Row, _ db: Database) throws -> RunDetail.Job {
        let jobID: Int64 = row["id"]
        let attempts = try Row.fetchAll(
            db,
            sql: """
                SELECT a.*, r.path, r.is_repository, r.root, r.commit_sha, r.branch, r.dirty, r.untracked, d.patch
                FROM attempts a LEFT JOIN git_revisions r ON r.id = a.revision_id
                LEFT JOIN git_diffs d ON d.hash = r.diff_hash
                WHERE a.job_id = ? ORDER BY a.number
                """, arguments: [jobID]
        ).map { attempt in
            RunDetail.Attempt(
                number: attempt["number"], backend: try BackendKind.stored(attempt["backend"]),
                backendJobID: attempt["backend_job_id"], host: attempt["host"],
                state: try AttemptState.stored(attempt["state"]),
                startedAt: (attempt["started_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                endedAt: (attempt["ended_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                exitCode: attempt["exit_code"], signal: attempt["signal"], reason: attempt["reason"],
                code: (attempt["revision_id"] as Int64?) == nil ? nil : Self.revision(from: attempt))
        }
        let metrics = try Row.fetchAll(
            db,
            sql: """
                SELECT k.name, s.* FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id
                WHERE s.job_id = ? ORDER BY k.name
                """, arguments: [jobID]
        ).map { metric in
            RunDetail.Metric(
                key: metric["name"], value: metric["value"], count: metric["count"], lastStep: metric["last_step"],
                min: metric["min_value"], max: metric["max_value"])
        }
        var job = RunDetail.Job(
            key: row["key"], stage: row["stage"], state: try JobState.stored(row["state"]),
            outputDir: row["output_dir"],
            params: row["params"], attempts: attempts, metrics: metrics)
        // Collected values, but each dataset's and task's own: the categories and the paper's tasks.
        job.collected = try Row.fetchAll(
            db,
            sql: """
                SELECT collector, key, eval_length, value FROM job_values WHERE job_id = ?
                    AND key NOT LIKE 'helmet.%' AND key NOT LIKE 'lm\\_eval.%' ESCAPE '\\'
                ORDER BY collector, key, eval_length
                """, arguments: [jobID]
        ).map { (collector: $0[0], key: $0[1], length: $0[2] as Int, value: $0[3]) }
        job.collections = try Self.collections(ofJob: jobID, in: db)
        return job
    }

    /// Runs a read-only SQL statement and returns its column names and rows.
    ///
    /// - Throws: ``StoreError/writeRefused(_:)`` for a statement that would modify the database,
    ///   ``StoreError/sqlFailed(_:reason:)`` when SQLite rejects it.
    public func query(sql: String, timeout: TimeInterval? = nil) throws -> QueryResult {
        var result = QueryResult(columns: [], rows: [])
        try query(
            sql: sql, timeout: timeout, columns: { result.columns = $0 },
            row: {
                result.rows.append($0); return true
            })
        return result
    }

    /// Runs a read-only SQL statement and hands its rows over one at a time, so that any number of rows
    /// takes constant memory.
    ///
    /// - Parameters:
    ///   - timeout: Seconds after which the statement is interrupted (`nil`: no limit).
    ///   - columns: Called once with the column names, before the first row.
    ///   - row: Called with each row; returning `false` stops the query.
    /// - Throws: ``StoreError/writeRefused(_:)`` for a statement that would modify the database,
    ///   ``StoreError/emptyQuery`` for one with no statement, ``StoreError/queryTimedOut(_:seconds:)``
    ///   past the timeout, ``StoreError/sqlFailed(_:reason:)`` when SQLite rejects it.
    public func query(
        sql: String, timeout: TimeInterval?, columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Bool
    ) throws {
        let database = self.database
        let interrupted = InterruptFlag()
        let timer = timeout.map { seconds in
            let item = DispatchWorkItem {
                interrupted.set()
                database.interrupt()
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        defer { timer?.cancel() }
        do {
            try read(sql: sql, columns: columns, row: row)
        } catch {
            // Interrupted anywhere (even while the statement was prepared): the time limit stopped it.
            if interrupted.isSet, let timeout { throw StoreError.queryTimedOut(sql, seconds: timeout) }
            throw error
        }
    }

    private func read(
        sql: String, columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Bool
    ) throws {
        try database.read { db in
            let statement: Statement
            do {
                statement = try db.makeStatement(sql: sql)
            } catch let error as DatabaseError {
                if error.message == "empty statement" { throw StoreError.emptyQuery }
                if error.resultCode == .SQLITE_MISUSE {
                    throw StoreError.sqlFailed(sql, reason: "it holds more than one statement; give one")
                }
                throw StoreError.sqlFailed(sql, reason: error.message ?? "\(error)")
            }
            guard statement.isReadonly else { throw StoreError.writeRefused(sql) }
            do {
                try columns(statement.columnNames)
                let cursor = try Row.fetchCursor(statement)
                while let next = try cursor.next() {
                    guard try row(next.databaseValues.map(Self.value)) else { break }
                }
            } catch let error as DatabaseError {
                if error.resultCode == .SQLITE_READONLY { throw StoreError.writeRefused(sql) }
                throw StoreError.sqlFailed(sql, reason: error.message ?? "\(error)")
            }
        }
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob(data)
        }
    }
}

/// Set once a query's time limit interrupted it.
private final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
