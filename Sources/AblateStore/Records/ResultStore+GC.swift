import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// A job as garbage collection sees it: its state, directory, the sweeps whose current runs use it
    /// (and whether any of them is kept), and its downstream jobs' states.
    public struct GarbageCandidate: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The stage.
        public var stage: String
        /// Its state.
        public var state: JobState
        /// Its directory.
        public var outputDir: String?
        /// The sweeps whose current runs use it.
        public var sweeps: [String]
        /// Whether one of them is kept.
        public var kept: Bool
        /// The states of the jobs that run after it.
        public var downstream: [JobState]
        /// Its parameters.
        public var params: [String: ParamValue]
        /// The jobs that consume one of its checkpoints: their step and state.
        public var consumers: [(step: Int, state: JobState)]

        /// Equal when they say the same (the left-alone list and tuples aside).
        public static func == (lhs: GarbageCandidate, rhs: GarbageCandidate) -> Bool {
            lhs.key == rhs.key && lhs.state == rhs.state && lhs.downstream == rhs.downstream
        }
    }

    /// Every job with a directory, for `ablate gc`.
    public func garbageCandidates() throws -> [GarbageCandidate] {
        try database.read { db in
            var jobs: [Int64: GarbageCandidate] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT j.id, j.key, j.stage, j.state, j.output_dir, j.params,
                        (SELECT json_group_array(DISTINCT s.name) FROM run_jobs rj JOIN runs r ON r.id = rj.run_id
                         JOIN sweeps s ON s.id = r.sweep_id WHERE rj.job_id = j.id AND r.current = 1),
                        (SELECT MAX(s.kept) FROM run_jobs rj JOIN runs r ON r.id = rj.run_id
                         JOIN sweeps s ON s.id = r.sweep_id WHERE rj.job_id = j.id AND r.current = 1)
                    FROM jobs j WHERE j.output_dir IS NOT NULL
                    """)
            {
                var sweeps: [String] = []
                if case .array(let names) = JSONValueDecoding.decode(row[6]) {
                    sweeps = names.compactMap(\.stringValue)
                }
                var params: [String: ParamValue] = [:]
                if case .object(let object) = JSONValueDecoding.decode(row[5]) { params = object }
                let kept: Int? = row[7]
                jobs[row[0]] = GarbageCandidate(
                    key: row[1], stage: row[2], state: try JobState.stored(row[3]), outputDir: row[4], sweeps: sweeps,
                    kept: (kept ?? 0) != 0, downstream: [], params: params, consumers: [])
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT u.upstream_id, d.state, json_extract(d.params, '$.checkpoint') FROM job_upstreams u
                    JOIN jobs d ON d.id = u.job_id
                    """)
            {
                let upstream: Int64 = row[0]
                let state = try JobState.stored(row[1])
                jobs[upstream]?.downstream.append(state)
                let step: Int? = row[2]
                if let step { jobs[upstream]?.consumers.append((step, state)) }
            }
            return jobs.values.sorted { $0.key < $1.key }
        }
    }

    /// Records that `path` of job `key` is about to be deleted (before any file goes); returns the row.
    public func beginDeletion(
        jobKey key: String, path: String, what: String, bytes: UInt64, at time: Date = Date()
    )
        throws -> Int64
    {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [key]) else {
                throw StoreError.unknownID(key)
            }
            try db.execute(
                sql: "INSERT INTO deletions (job_id, path, what, bytes, state, at) VALUES (?, ?, ?, ?, 'deleting', ?)",
                arguments: [jobID, path, what, Int64(bytes), time.timeIntervalSince1970])
            let id = db.lastInsertedRowID
            if what == "output" {
                // Its output is going: the job must run again if something needs it.
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'new', reason = ?, updated_at = ? WHERE id = ?
                        """,
                    arguments: [
                        "its output was deleted by 'ablate gc' (no kept sweep needed it); it runs again if one does",
                        time.timeIntervalSince1970, jobID,
                    ])
                try Self.refreshRunStatuses(jobID: jobID, in: db)
            }
            return id
        }
    }

    /// Marks a deletion done.
    public func finishDeletion(_ id: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE deletions SET state = 'deleted' WHERE id = ?", arguments: [id])
        }
    }

    /// Deletions begun and never finished (a gc killed midway), with their path.
    public func unfinishedDeletions() throws -> [(id: Int64, path: String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, path FROM deletions WHERE state = 'deleting' ORDER BY id").map {
                ($0[0], $0[1])
            }
        }
    }

    /// Marks a sweep as kept or not: `ablate gc` deletes the outputs no kept sweep needs.
    public func setKept(_ kept: Bool, sweep: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE sweeps SET kept = ? WHERE name = ?", arguments: [kept ? 1 : 0, sweep])
            guard db.changesCount > 0 else { throw StoreError.unknownID(sweep) }
        }
    }
}
