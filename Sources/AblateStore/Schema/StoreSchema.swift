import GRDB

/// The database schema as a list of named migrations. A migration never changes once shipped; a new
/// schema change is a new migration appended here.
enum StoreSchema {
    static let firstMigration = "v1-initial"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            for statement in initialSchema {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v2-execution") { db in
            for statement in executionSchema {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v3-slurm") { db in
            for statement in slurmSchema {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v4-metrics-pending") { db in
            for statement in metricsPendingSchema {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v5-collect") { db in
            for statement in collectSchema {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v6-ledger") { db in
            for statement in ledgerSchema {
                try db.execute(sql: statement)
            }
        }
        return migrator
    }

    /// The compute ledger: what each job asks for (`jobs.resources`, outside its key, like its
    /// collectors), and what each attempt held while it ran (`attempts.cpus`, `gpus`, `nodes`, copied
    /// from its job's when it opens, so that a later change of the stage's resources leaves earlier
    /// attempts as they were).
    static let ledgerSchema = [
        "ALTER TABLE jobs ADD COLUMN resources TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE attempts ADD COLUMN cpus INTEGER",
        "ALTER TABLE attempts ADD COLUMN gpus INTEGER",
        "ALTER TABLE attempts ADD COLUMN nodes INTEGER",
        // Garbage collection: whether a sweep's outputs are still needed, and what `ablate gc` deleted
        // (a row is written 'deleting' before any file goes, and 'deleted' after the last).
        "ALTER TABLE sweeps ADD COLUMN kept INTEGER NOT NULL DEFAULT 1",
        """
        CREATE TABLE deletions (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            what TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            state TEXT NOT NULL,
            at REAL NOT NULL
        )
        """,
        "CREATE INDEX deletions_job ON deletions(job_id)",
        // Each logged series summarised per tile of 1,024 steps (min, max, step sum, count), written with
        // its points: a curve of a million points is drawn from a thousand tiles.
        """
        CREATE TABLE metric_tiles (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            key_id INTEGER NOT NULL REFERENCES metric_keys(id),
            tile INTEGER NOT NULL,
            min_value REAL NOT NULL,
            max_value REAL NOT NULL,
            step_sum REAL NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (job_id, key_id, tile)
        ) WITHOUT ROWID
        """,
        """
        INSERT INTO metric_tiles (job_id, key_id, tile, min_value, max_value, step_sum, count)
        SELECT job_id, key_id, step / 1024, MIN(value), MAX(value), SUM(step), COUNT(value) FROM metric_points
        WHERE value IS NOT NULL GROUP BY job_id, key_id, step / 1024
        """,
    ]

    /// Results collected from evaluators' and trainers' own files (`collect:` of a stage), and the
    /// evaluation length as a dimension of every per-run value: `run_metrics` is rebuilt with an
    /// `eval_length` column (0 where a value has no length) in its primary key.
    static let collectSchema = [
        "ALTER TABLE jobs ADD COLUMN collect TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE jobs ADD COLUMN produces TEXT NOT NULL DEFAULT '[]'",
        """
        CREATE TABLE collections (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            collector TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            files TEXT NOT NULL,
            warnings TEXT NOT NULL,
            provenance TEXT NOT NULL,
            value_count INTEGER NOT NULL,
            collected_at REAL NOT NULL,
            PRIMARY KEY (job_id, collector)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE job_values (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            collector TEXT NOT NULL,
            key TEXT NOT NULL,
            eval_length INTEGER NOT NULL,
            value REAL,
            PRIMARY KEY (job_id, collector, key, eval_length)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE collected_points (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            collector TEXT NOT NULL,
            key TEXT NOT NULL,
            step INTEGER NOT NULL,
            position INTEGER NOT NULL,
            value REAL,
            PRIMARY KEY (job_id, collector, key, step, position)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE collected_examples (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            collector TEXT NOT NULL,
            key TEXT NOT NULL,
            eval_length INTEGER NOT NULL,
            component TEXT NOT NULL,
            weight REAL NOT NULL,
            ids TEXT NOT NULL,
            scores TEXT NOT NULL,
            PRIMARY KEY (job_id, collector, key, eval_length, component)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE run_metrics_v5 (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            key TEXT NOT NULL,
            eval_length INTEGER NOT NULL DEFAULT 0,
            value REAL,
            PRIMARY KEY (run_id, key, stage, eval_length)
        ) WITHOUT ROWID
        """,
        "INSERT INTO run_metrics_v5 (run_id, stage, key, eval_length, value) SELECT run_id, stage, key, 0, value FROM run_metrics",
        "DROP TABLE run_metrics",
        "ALTER TABLE run_metrics_v5 RENAME TO run_metrics",
        "CREATE INDEX run_metrics_key ON run_metrics(key, value, run_id)",
    ]

    /// Metrics that could not be ingested when their job ended (the database was full, say) stay
    /// pending on the job until a later `run`, `sync` or `status` ingests them; a metrics file's inode
    /// tells a replaced file from a grown one.
    static let metricsPendingSchema = [
        "ALTER TABLE jobs ADD COLUMN metrics_pending INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX jobs_metrics_pending ON jobs(id) WHERE metrics_pending = 1",
        "ALTER TABLE ingest_cursors ADD COLUMN inode INTEGER",
    ]

    /// Submissions to Slurm: one row per `sbatch`, written before it runs (state `submitting`) so that a
    /// crash in between can be resolved by its token, found again in the job's `--comment`.
    static let slurmSchema = [
        """
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            token TEXT NOT NULL UNIQUE,
            sweep TEXT NOT NULL,
            stage TEXT NOT NULL,
            script TEXT NOT NULL,
            dependency TEXT,
            retries INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            slurm_job_id TEXT,
            message TEXT,
            created_at REAL NOT NULL,
            submitted_at REAL
        )
        """,
        "CREATE INDEX submissions_unconfirmed ON submissions(state) WHERE state = 'submitting'",
        "ALTER TABLE attempts ADD COLUMN submission_id INTEGER REFERENCES submissions(id)",
        "ALTER TABLE attempts ADD COLUMN array_index INTEGER",
        "CREATE INDEX attempts_submission ON attempts(submission_id)",
    ]

    /// Leases, cancellation requests and process identities, for running jobs crash-safely.
    static let executionSchema = [
        "ALTER TABLE jobs ADD COLUMN reason TEXT",
        "ALTER TABLE jobs ADD COLUMN lease_owner TEXT",
        "ALTER TABLE jobs ADD COLUMN lease_expires REAL",
        "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE attempts ADD COLUMN pid INTEGER",
        "ALTER TABLE attempts ADD COLUMN pgid INTEGER",
        "ALTER TABLE attempts ADD COLUMN outcome TEXT",
        "CREATE INDEX attempts_open ON attempts(job_id) WHERE ended_at IS NULL",
    ]

    static let initialSchema = [
        """
        CREATE TABLE git_diffs (
            hash TEXT PRIMARY KEY,
            patch TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE git_revisions (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            is_repository INTEGER NOT NULL,
            root TEXT,
            commit_sha TEXT,
            branch TEXT,
            dirty INTEGER NOT NULL,
            diff_hash TEXT REFERENCES git_diffs(hash),
            untracked TEXT NOT NULL,
            recorded_at REAL NOT NULL
        )
        """,
        """
        CREATE UNIQUE INDEX git_revisions_identity ON git_revisions(
            path, is_repository, IFNULL(commit_sha, ''), IFNULL(branch, ''), dirty, IFNULL(diff_hash, ''), untracked)
        """,
        """
        CREATE TABLE sweeps (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT,
            spec_path TEXT,
            spec_text TEXT NOT NULL,
            spec_hash TEXT NOT NULL,
            param_order TEXT NOT NULL DEFAULT '[]',
            external INTEGER NOT NULL DEFAULT 0,
            revision_id INTEGER REFERENCES git_revisions(id),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            params TEXT NOT NULL,
            labels TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            external INTEGER NOT NULL DEFAULT 0,
            current INTEGER NOT NULL DEFAULT 1,
            created_at REAL NOT NULL
        )
        """,
        "CREATE INDEX runs_sweep ON runs(sweep_id, current, position)",
        """
        CREATE TABLE run_params (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value_json TEXT NOT NULL,
            value_text TEXT,
            value_num REAL,
            label TEXT,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX run_params_num ON run_params(name, value_num, run_id)",
        "CREATE INDEX run_params_text ON run_params(name, value_text, run_id)",
        "CREATE INDEX run_params_label ON run_params(name, label, run_id) WHERE label IS NOT NULL",
        """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            stage TEXT NOT NULL,
            params TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'new',
            output_dir TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        "CREATE INDEX jobs_state ON jobs(state)",
        """
        CREATE TABLE job_upstreams (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            upstream_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            PRIMARY KEY (job_id, upstream_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE run_jobs (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (run_id, stage)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX run_jobs_job ON run_jobs(job_id)",
        """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            backend TEXT NOT NULL,
            backend_job_id TEXT,
            host TEXT,
            state TEXT NOT NULL,
            started_at REAL,
            ended_at REAL,
            exit_code INTEGER,
            signal INTEGER,
            reason TEXT,
            revision_id INTEGER REFERENCES git_revisions(id),
            UNIQUE (job_id, number)
        )
        """,
        """
        CREATE TABLE run_revisions (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            revision_id INTEGER NOT NULL REFERENCES git_revisions(id),
            role TEXT NOT NULL,
            PRIMARY KEY (run_id, revision_id, role)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX run_revisions_revision ON run_revisions(revision_id)",
        """
        CREATE TABLE metric_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        )
        """,
        """
        CREATE TABLE metric_points (
            job_id INTEGER NOT NULL,
            key_id INTEGER NOT NULL,
            step INTEGER NOT NULL,
            line INTEGER NOT NULL,
            value REAL,
            time REAL,
            PRIMARY KEY (job_id, key_id, step, line)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE metric_summaries (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            key_id INTEGER NOT NULL REFERENCES metric_keys(id),
            count INTEGER NOT NULL DEFAULT 0,
            last_step INTEGER,
            last_value REAL,
            min_value REAL,
            max_value REAL,
            final_value REAL,
            value REAL,
            PRIMARY KEY (job_id, key_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE run_metrics (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            key TEXT NOT NULL,
            value REAL,
            PRIMARY KEY (run_id, key, stage)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX run_metrics_key ON run_metrics(key, value, run_id)",
        """
        CREATE TABLE ingest_cursors (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            file TEXT NOT NULL,
            offset INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            malformed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (job_id, file)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE artifacts (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER,
            created_at REAL NOT NULL,
            UNIQUE (job_id, path)
        )
        """,
    ]
}
