import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// Records a sweep, its runs and its jobs in one transaction.
    ///
    /// Jobs are identified by key: a job that any earlier sweep recorded is reused, never duplicated.
    /// Runs that an earlier recording of the same sweep had but the spec no longer produces are kept
    /// (with their results) but no longer listed as the sweep's current runs.
    ///
    /// - Parameters:
    ///   - plan: The expanded sweep.
    ///   - specPath: Where the spec was read from.
    ///   - revision: The git state of the spec's repository.
    ///   - time: The recording time.
    public func record(
        plan: SweepPlan, specPath: String?, revision: GitRevision?, at time: Date = Date()
    ) throws -> RecordSummary {
        try database.write { db in
            let now = time.timeIntervalSince1970
            let spec = plan.spec
            let revisionID = try revision.map { try Self.insertRevision($0, at: time, in: db) }
            let specHash = SHA256.hash(Array(spec.source.utf8)).hex
            try db.execute(
                sql: """
                    INSERT INTO sweeps (name, description, spec_path, spec_text, spec_hash, param_order, revision_id,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET description = excluded.description, spec_path = excluded.spec_path,
                        spec_text = excluded.spec_text, spec_hash = excluded.spec_hash, param_order = excluded.param_order,
                        revision_id = excluded.revision_id, updated_at = excluded.updated_at
                    """,
                arguments: [
                    spec.name, spec.description, specPath, spec.source, specHash,
                    ParamValue.array(plan.parameters.map(ParamValue.string)).canonicalJSON, revisionID, now, now,
                ])
            let sweepID = try Int64.fetchOne(db, sql: "SELECT id FROM sweeps WHERE name = ?", arguments: [spec.name])!

            // Jobs, stage by stage in dependency order, so upstream rows exist first.
            var summary = RecordSummary(sweepID: sweepID, newRuns: 0, existingRuns: 0, newJobs: 0, existingJobs: 0)
            let insertJob = try db.makeStatement(
                sql: """
                    INSERT INTO jobs (key, stage, params, collect, produces, resources, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO NOTHING
                    """)
            let selectJob = try db.makeStatement(sql: "SELECT id FROM jobs WHERE key = ?")
            let updateCollect = try db.makeStatement(
                sql: """
                    UPDATE jobs SET collect = ?, produces = ?, resources = ?
                    WHERE id = ? AND (collect != ? OR produces != ? OR resources != ?)
                    """)
            let insertUpstream = try db.makeStatement(
                sql: "INSERT OR IGNORE INTO job_upstreams (job_id, upstream_id) VALUES (?, ?)")
            var jobIDs: [[Int64]] = []
            // A job's collectors are its stage's, with its parameters filled in: not part of its key, so
            // a fixed collector is recorded again without running anything.
            func collect(_ job: PlannedJob) -> String {
                let declared = spec.stage(named: job.stage)?.collect ?? []
                return JobCollector.json(declared.map { $0.resolved(params: job.paramValues) })
            }
            // What a successful job of each stage leaves behind: also outside the key.
            let produces = Dictionary(
                uniqueKeysWithValues: spec.stages.map { stage in
                    (stage.name, ParamValue.array(stage.produces.map { .string($0.value) }).canonicalJSON)
                })
            // What a job asks for (the compute ledger's and the forecast's): also outside the key.
            let resources = Dictionary(
                uniqueKeysWithValues: spec.stages.map { stage in
                    var fields: [String: ParamValue] = [
                        "cpus": .int(Int64(stage.resources.cpus)), "gpus": .int(Int64(stage.resources.gpus)),
                        "nodes": .int(Int64(stage.resources.nodes ?? 1)),
                    ]
                    if let limit = stage.timeoutSeconds ?? stage.resources.timeLimitSeconds {
                        fields["limit_seconds"] = .double(limit)
                    }
                    return (stage.name, ParamValue.object(fields).canonicalJSON)
                })
            for stage in plan.stages {
                var ids: [Int64] = []
                ids.reserveCapacity(stage.jobCount)
                for index in 0..<stage.jobCount {
                    let job = plan.job(stage: stage.index, index: index)
                    let params = ParamValue.object(job.paramValues).canonicalJSON
                    let collectors = collect(job)
                    let produced = produces[stage.name] ?? "[]"
                    let asked = resources[stage.name] ?? "{}"
                    try insertJob.execute(
                        arguments: [job.key.hex, stage.name, params, collectors, produced, asked, now, now])
                    if db.changesCount > 0 {
                        summary.newJobs += 1
                        ids.append(db.lastInsertedRowID)
                    } else {
                        summary.existingJobs += 1
                        let id = try Int64.fetchOne(selectJob, arguments: [job.key.hex])!
                        try updateCollect.execute(
                            arguments: [collectors, produced, asked, id, collectors, produced, asked])
                        ids.append(id)
                    }
                    for (offset, upstreamStage) in stage.upstreamStages.enumerated() {
                        let upstreamID = jobIDs[upstreamStage][job.upstreamJobIndices[offset]]
                        try insertUpstream.execute(arguments: [ids[index], upstreamID])
                    }
                }
                jobIDs.append(ids)
            }

            // Runs.
            try db.execute(sql: "UPDATE runs SET current = 0 WHERE sweep_id = ?", arguments: [sweepID])
            let insertRun = try db.makeStatement(
                sql: """
                    INSERT INTO runs (key, sweep_id, position, params, labels, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET position = excluded.position, current = 1
                    """)
            let selectRun = try db.makeStatement(sql: "SELECT id FROM runs WHERE key = ?")
            let insertParam = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO run_params (run_id, name, value_json, value_text, value_num, label)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            let insertRunJob = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO run_jobs (run_id, stage, job_id, position) VALUES (?, ?, ?, ?)")
            let insertRunRevision = try db.makeStatement(
                sql: "INSERT OR IGNORE INTO run_revisions (run_id, revision_id, role) VALUES (?, ?, 'spec')")
            for index in 0..<plan.runCount {
                let run = plan.run(index)
                let key = run.id.hex
                if try Int64.fetchOne(selectRun, arguments: [key]) != nil {
                    summary.existingRuns += 1
                } else {
                    summary.newRuns += 1
                }
                let labels = ParamValue.object(run.labels.mapValues(ParamValue.string)).canonicalJSON
                try insertRun.execute(
                    arguments: [key, sweepID, index, ParamValue.object(run.paramValues).canonicalJSON, labels, now])
                let id = try Int64.fetchOne(selectRun, arguments: [key])!
                for (name, value) in run.params {
                    let columns = Self.paramColumns(value.value)
                    try insertParam.execute(
                        arguments: [id, name, value.value.canonicalJSON, columns.text, columns.number, value.label])
                }
                for stage in plan.stages {
                    let jobID = jobIDs[stage.index][stage.job(ofRun: index)]
                    try insertRunJob.execute(arguments: [id, stage.name, jobID, stage.index])
                }
                if let revisionID {
                    try insertRunRevision.execute(arguments: [id, revisionID])
                }
            }
            // Jobs reused from earlier sweeps already have results: give them to this sweep's runs too.
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO run_metrics (run_id, stage, key, eval_length, value)
                    SELECT rj.run_id, j.stage, k.name, 0, s.value FROM runs r JOIN run_jobs rj ON rj.run_id = r.id
                    JOIN jobs j ON j.id = rj.job_id JOIN metric_summaries s ON s.job_id = j.id
                    JOIN metric_keys k ON k.id = s.key_id
                    WHERE r.sweep_id = ? AND r.current = 1 AND NOT EXISTS (
                        SELECT 1 FROM job_values v WHERE v.job_id = j.id AND v.key = k.name AND v.eval_length = 0)
                    """, arguments: [sweepID])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO run_metrics (run_id, stage, key, eval_length, value)
                    SELECT rj.run_id, j.stage, v.key, v.eval_length, v.value FROM runs r
                    JOIN run_jobs rj ON rj.run_id = r.id JOIN jobs j ON j.id = rj.job_id
                    JOIN job_values v ON v.job_id = j.id
                    WHERE r.sweep_id = ? AND r.current = 1 ORDER BY v.collector
                    """, arguments: [sweepID])
            try Self.refreshRunStatuses(sweepID: sweepID, in: db)
            return summary
        }
    }

    /// The text and number columns a parameter value is compared by in queries.
    static func paramColumns(_ value: ParamValue) -> (text: String?, number: Double?) {
        switch value {
        case .int, .double: (value.canonicalJSON, value.numberValue)
        case .string(let text): (text, nil)
        case .bool(let flag): (flag ? "true" : "false", nil)
        case .null: (nil, nil)
        case .array, .object: (value.canonicalJSON, nil)
        }
    }

    /// Recomputes the status of a sweep's runs from their jobs' states.
    static func refreshRunStatuses(sweepID: Int64, in db: Database) throws {
        try db.execute(
            sql: "UPDATE runs SET status = (\(runStatusExpression)) WHERE sweep_id = ? AND external = 0",
            arguments: [sweepID])
    }

    /// Recomputes the status of the runs that use a job.
    static func refreshRunStatuses(jobID: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE runs SET status = (\(runStatusExpression))
                WHERE id IN (SELECT run_id FROM run_jobs WHERE job_id = ?)
                """, arguments: [jobID])
    }

    /// A run's status: failed, cancelled or blocked if any job is; running while any job runs;
    /// succeeded once every job has; pending otherwise.
    static let runStatusExpression = """
        SELECT CASE
            WHEN SUM(j.state = \(JobState.failed.sql)) > 0 THEN \(RunStatus.failed.sql)
            WHEN SUM(j.state = \(JobState.cancelled.sql)) > 0 THEN \(RunStatus.cancelled.sql)
            WHEN SUM(j.state = \(JobState.blocked.sql)) > 0 THEN \(RunStatus.blocked.sql)
            WHEN SUM(j.state IN \(JobState.sqlList([.running, .queued]))) > 0 THEN \(RunStatus.running.sql)
            WHEN COUNT(*) > 0 AND SUM(j.state = \(JobState.succeeded.sql)) = COUNT(*) THEN \(RunStatus.succeeded.sql)
            ELSE \(RunStatus.pending.sql) END
        FROM run_jobs rj JOIN jobs j ON j.id = rj.job_id WHERE rj.run_id = runs.id
        """

    /// The keys among `keys` whose jobs already succeeded (in any sweep).
    public func succeededJobKeys(among keys: some Sequence<Digest>) throws -> Set<Digest> {
        try database.read { db in
            let statement = try db.makeStatement(sql: "SELECT state FROM jobs WHERE key = ?")
            var done = Set<Digest>()
            for key in keys where try String.fetchOne(statement, arguments: [key.hex]) == JobState.succeeded.rawValue {
                done.insert(key)
            }
            return done
        }
    }
}
