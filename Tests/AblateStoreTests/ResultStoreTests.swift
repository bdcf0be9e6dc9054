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
            "run_metrics", "git_revisions", "git_diffs", "ingest_cursors", "artifacts",
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
        #expect(migrations == ["v1-initial", "v2-execution", "v3-slurm", "v4-metrics-pending"])
        // Opening again is a no-op, not a second migration.
        let again = try ResultStore(path: path)
        #expect(
            try again.database.read { try StoreSchema.migrator.appliedMigrations($0) } == [
                "v1-initial", "v2-execution", "v3-slurm", "v4-metrics-pending",
            ])
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
