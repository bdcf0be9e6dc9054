import Foundation
import GRDB
import Testing

@_spi(Benchmarks) @testable import AblateStore

@Suite struct ResultStoreTests {
    @Test func migratesAnEmptyFileToTheSchemaInWALModeWithForeignKeys() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("nested/dir/ablate.db")
        let store = try ResultStore(path: path)
        let tables = [
            "sweeps", "runs", "run_params", "jobs", "attempts", "metric_points", "metric_summaries",
            "run_metrics", "git_revisions", "git_diffs", "ingest_cursors", "artifacts", "collections", "job_values",
            "collected_points", "collected_examples",
        ]
        let (missing, journal, foreignKeys, migrations) = try store.database.read { db throws in
            (
                try tables.filter { try !db.tableExists($0) },
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try StoreSchema.migrator.appliedMigrations(db)
            )
        }
        #expect(missing.isEmpty)
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(
            migrations == ["v1-initial", "v2-execution", "v3-slurm", "v4-metrics-pending", "v5-collect", "v6-ledger"])
        // Opening again is a no-op, not a second migration.
        let again = try ResultStore(path: path)
        #expect(
            try again.database.read { try StoreSchema.migrator.appliedMigrations($0) } == [
                "v1-initial", "v2-execution", "v3-slurm", "v4-metrics-pending", "v5-collect", "v6-ledger",
            ])
    }

    @Test func aVersion5DatabaseGainsTheLedgerAndKeepsItsSweeps() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ablate.db")
        let old = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(old, upTo: "v5-collect")
        try old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sweeps (name, spec_text, spec_hash, created_at, updated_at) VALUES ('s', '', '', 0, 0);
                    INSERT INTO runs (key, sweep_id, position, params, labels, created_at) VALUES ('r1', 1, 0, '{}', '{}', 0);
                    INSERT INTO jobs (key, stage, params, created_at, updated_at) VALUES ('j1', 'train', '{}', 0, 0);
                    INSERT INTO run_jobs (run_id, stage, job_id, position) VALUES (1, 'train', 1, 0);
                    INSERT INTO attempts (job_id, number, backend, state, started_at, ended_at, outcome)
                        VALUES (1, 1, 'local', 'succeeded', 0, 3600, 'succeeded');
                    """)
        }
        // Read-only before the migration: the ledger reads attempts without resources.
        let readOnly = try ResultStore.openReadOnly(path: path)
        #expect(try readOnly.attemptUsage(sweep: "s").map(\.gpus) == [nil])
        try old.close()
        let store = try ResultStore(path: path)
        let usage = try store.attemptUsage(sweep: "s")
        #expect(usage.count == 1 && usage[0].gpus == nil && usage[0].cpus == nil)
        let kept = try store.database.read { try Int.fetchOne($0, sql: "SELECT kept FROM sweeps") }
        #expect(kept == 1)
        let resources = try store.database.read { try String.fetchOne($0, sql: "SELECT resources FROM jobs") }
        #expect(resources == "{}")
    }

    @Test func aVersion4DatabaseMigratesItsRunValuesToEvaluationLengthZero() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ablate.db")
        let old = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(old, upTo: "v4-metrics-pending")
        try old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sweeps (name, spec_text, spec_hash, created_at, updated_at) VALUES ('s', '', '', 0, 0);
                    INSERT INTO runs (key, sweep_id, position, params, labels, created_at) VALUES ('r1', 1, 0, '{}', '{}', 0);
                    INSERT INTO run_metrics (run_id, stage, key, value) VALUES (1, 'eval', 'recall', 91.5);
                    INSERT INTO run_metrics (run_id, stage, key, value) VALUES (1, 'eval', 'rag', NULL);
                    INSERT INTO jobs (key, stage, params, created_at, updated_at) VALUES ('j1', 'eval', '{}', 0, 0);
                    """)
        }
        try old.close()
        let store = try ResultStore(path: path)
        let rows = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT key, eval_length, value FROM run_metrics ORDER BY key")
                .map {
                    "\($0["key"] as String) \($0["eval_length"] as Int) \(($0["value"] as Double?).map { "\($0)" } ?? "NULL")"
                }
        }
        #expect(rows == ["rag 0 NULL", "recall 0 91.5"])
        let collect = try store.database.read { try String.fetchOne($0, sql: "SELECT collect FROM jobs LIMIT 1") }
        #expect(collect == "[]")
    }

    @Test func foreignKeysRejectOrphans() throws {
        let store = try ResultStore.inMemory()
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(
                    sql: "INSERT INTO run_jobs (run_id, stage, job_id, position) VALUES ('nope', 's', 42, 0)")
            }
        }
    }

    @Test func readOnlyStoreRefusesMissingAndForeignFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: StoreError.missingDatabase(directory.path("none.db"))) {
            try ResultStore.openReadOnly(path: directory.path("none.db"))
        }
        let other = try DatabaseQueue(path: directory.path("other.db"))
        try other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: StoreError.notAnAblateDatabase(directory.path("other.db"))) {
            try ResultStore.openReadOnly(path: directory.path("other.db"))
        }
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(
            StoreError.missingDatabase("x.db").localizedDescription
                == "no results database at 'x.db'; run 'ablate run SPEC' first, or pass --db PATH (or set ABLATE_DB)")
        #expect(
            StoreError.ambiguousID("ab", candidates: ["run abc", "job abd"]).localizedDescription
                == "ID prefix 'ab' is ambiguous: it matches run abc, job abd; give more characters")
    }
}
