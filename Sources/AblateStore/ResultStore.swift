import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The results database: one SQLite file holding sweeps, runs, jobs, attempts, parameters, metric
/// series and summaries, and the git revisions of the code that ran.
///
/// The file is opened in WAL mode with a busy timeout and foreign keys on, and migrated to the
/// current schema on open. Several `ablate` processes may use one file at once.
///
/// ```swift
/// let store = try ResultStore(path: ".ablate/ablate.db")
/// let runs = try store.runs(where: "train_length >= 65536 and metric.recall > 0.9")
/// ```
public struct ResultStore: Sendable {
    /// The default location, relative to the working directory.
    public static let defaultPath = ".ablate/ablate.db"

    /// The GRDB connection. Not API: commands and libraries go through the store's typed methods; the
    /// benchmarks reach it as `@_spi(Benchmarks) import AblateStore` to build large fixtures fast.
    @_spi(Benchmarks) public let database: DatabaseQueue
    /// The file path, or `nil` for an in-memory store.
    public let path: String?

    /// Opens (creating if needed) the database at `path` for reading and writing, and migrates it.
    ///
    /// - Throws: ``StoreError`` when the file cannot be created or is not an Ablate database.
    public init(path: String, busyTimeout: TimeInterval = 30) throws {
        let url = URL(fileURLWithPath: path)
        try Self.checkIsFile(path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path, reason: error.localizedDescription)
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try Self.tuneReads(db)
        }
        // Creating the file, switching it to WAL and migrating it are serialized across processes by an
        // advisory lock, so two `ablate` commands started at once on a new database do not race.
        let lock = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                flock(lock, LOCK_UN)
                close(lock)
            }
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            // Another program's database is left as it is, never converted into Ablate's.
            let foreign = try database.read { db in
                try !StoreSchema.migrator.hasBeenSuperseded(db)
                    && Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0
                        > 0
                    && !StoreSchema.migrator.appliedIdentifiers(db).contains(StoreSchema.firstMigration)
            }
            if foreign { throw StoreError.notAnAblateDatabase(path) }
            try StoreSchema.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path, reason: error.message ?? "\(error)")
        }
        self.path = path
    }

    /// Opens an existing database read-only; nothing through this store can modify the file.
    ///
    /// - Throws: ``StoreError/missingDatabase(_:)`` when there is no file at `path`.
    public static func openReadOnly(path: String) throws -> ResultStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missingDatabase(path) }
        try checkIsFile(path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in try tuneReads(db) }
        do {
            var queue: DatabaseQueue
            do {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                _ = try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
                // On a read-only filesystem a WAL database cannot get its shared-memory file: read it as
                // an immutable file (nothing may write it meanwhile, which a read-only filesystem ensures).
                guard access(URL(fileURLWithPath: path).deletingLastPathComponent().path, W_OK) != 0 else {
                    throw error
                }
                let uri =
                    "file:"
                    + (URL(fileURLWithPath: path).standardizedFileURL.path
                        .addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
                queue = try DatabaseQueue(path: uri, configuration: configuration)
            }
            let store = ResultStore(database: queue, path: path)
            let applied = try queue.read { try StoreSchema.migrator.appliedMigrations($0) }
            guard applied.contains(StoreSchema.firstMigration) else { throw StoreError.notAnAblateDatabase(path) }
            return store
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path, reason: error.message ?? "\(error)")
        }
    }

    /// Refuses a path that exists but is not a regular file (`/dev/null`, a directory).
    static func checkIsFile(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.notAFile(path)
        }
    }

    /// A fresh in-memory store, for tests.
    public static func inMemory() throws -> ResultStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try StoreSchema.migrator.migrate(queue)
        return ResultStore(database: queue, path: nil)
    }

    /// Memory-maps the file and enlarges the page cache, so that queries over large databases read pages
    /// without a system call each.
    static func tuneReads(_ db: Database) throws {
        try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        try db.execute(sql: "PRAGMA cache_size = -65536")
    }

    private init(database: DatabaseQueue, path: String?) {
        self.database = database
        self.path = path
    }
}
