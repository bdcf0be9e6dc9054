import Foundation
import GRDB
internal import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#endif

extension ResultStore {
    /// The most bytes read per transaction; a bigger backlog is ingested in several transactions.
    static let ingestChunkBytes = 32 << 20

    /// Ingests the lines of a job's `metrics.jsonl` that earlier ingestions have not consumed.
    ///
    /// A line with `"step"` is a time-series point for every other numeric field (`"time"`, if
    /// present, is the point's time); a line without it holds final values. Ingestion is exactly-once:
    /// the byte offset consumed is committed in the same transaction as the rows, so a crash at any
    /// moment loses or repeats nothing. A partial last line waits for its newline, unless the job has
    /// ended (`final`), when it is the last line. A bad line (not JSON, a duplicate key, a non-finite
    /// step or time, longer than ``ingestChunkBytes``) is reported with its line number and skipped;
    /// the lines after it are ingested. A file that was replaced (another inode, or shorter than what
    /// was consumed), or a job whose metrics now come from another path, is reported, and the job's
    /// metrics are read again from the file's start: a job's metrics are what its file says.
    ///
    /// - Parameters:
    ///   - jobKey: The job's key (hex).
    ///   - file: The path of the metrics file.
    ///   - final: Whether the job has ended, so that a last line without a newline is complete.
    ///   - time: The time recorded for points without a `"time"` field.
    ///   - beforeCommit: Called inside the transaction after the rows are written; a throw rolls
    ///     everything back (tests use it to simulate a crash).
    /// - Returns: What was added.
    @discardableResult
    public func ingestMetrics(
        jobKey: String, file: String, final: Bool = false, at time: Date = Date(),
        beforeCommit: (() throws -> Void)? = nil
    ) throws -> IngestReport {
        var total = IngestReport()
        while true {
            let (report, more) = try ingestChunk(
                jobKey: jobKey, file: file, final: final, at: time, beforeCommit: beforeCommit)
            total.add(report)
            if report.bytes == 0 || !more { return total }
        }
    }

    /// One transaction's worth: at most ``ingestChunkBytes`` read. Returns what was added and whether
    /// the file holds more than was read.
    private func ingestChunk(
        jobKey: String, file: String, final: Bool, at time: Date, beforeCommit: (() throws -> Void)?
    ) throws -> (IngestReport, more: Bool) {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [jobKey])
            else {
                throw StoreError.unknownID(jobKey)
            }
            let nothing = (IngestReport(), more: false)
            let cursor = try Row.fetchOne(
                db, sql: "SELECT offset, lines, inode FROM ingest_cursors WHERE job_id = ? AND file = ?",
                arguments: [jobID, file])
            var offset: Int64 = cursor?["offset"] ?? 0
            var linesBefore: Int = cursor?["lines"] ?? 0
            let knownInode: Int64? = cursor?["inode"]
            var notices: [String] = []
            if cursor == nil,
                let other = try String.fetchOne(
                    db, sql: "SELECT file FROM ingest_cursors WHERE job_id = ? AND file != ?", arguments: [jobID, file])
            {
                // The job ran again with its directory elsewhere: its metrics are what the new file says.
                notices.append(
                    "the job's metrics were read from '\(other)' before and now come from '\(file)'; the old ones were replaced"
                )
                try Self.forgetMetrics(ofJob: jobID, in: db)
                try db.execute(sql: "DELETE FROM ingest_cursors WHERE job_id = ?", arguments: [jobID])
            }
            guard let handle = FileHandle(forReadingAtPath: file) else { return nothing }
            defer { try? handle.close() }
            var status = stat()
            let inode: Int64? =
                fstat(handle.fileDescriptor, &status) == 0 ? Int64(bitPattern: UInt64(status.st_ino)) : nil
            let size = Int64(try handle.seekToEnd())
            if offset > 0, size < offset || (knownInode != nil && inode != nil && knownInode != inode) {
                // The job's metrics are what its file says: a replaced file replaces them.
                let why =
                    size < offset ? "it is \(size) bytes, \(offset) were ingested" : "another file now has its name"
                notices.append(
                    "\(file) was replaced (\(why)); the job's metrics were read again from the new file")
                try Self.forgetMetrics(ofJob: jobID, in: db)
                offset = 0
                linesBefore = 0
            }
            guard size > offset else {
                if notices.isEmpty { return nothing }
                try saveCursor(db, jobID: jobID, file: file, offset: 0, lines: 0, malformed: 0, inode: inode)
                var report = IngestReport()
                report.notices = notices
                return (report, more: false)
            }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: Self.ingestChunkBytes) ?? Data()
            let atEnd = offset + Int64(data.count) >= size
            var writer = try MetricWriter(db: db, jobID: jobID, time: time.timeIntervalSince1970)
            var report = try data.withUnsafeBytes { raw in
                try writer.consume(
                    raw.bindMemory(to: UInt8.self), file: file, firstLine: linesBefore + 1, final: final && atEnd)
            }
            if report.bytes == 0, data.count >= Self.ingestChunkBytes {
                // One line longer than the window: skip it whole, once its end is known.
                guard let end = try Self.nextNewline(in: handle, after: offset + Int64(data.count), final: final)
                else { return nothing }
                report.bytes = end - offset
                report.lines = 1
                report.malformed.append(
                    .init(
                        file: file, line: linesBefore + 1,
                        reason:
                            "the line is \(end - offset) bytes, longer than the \(Self.ingestChunkBytes >> 20) MiB a line may have"
                    ))
            }
            report.notices = notices + report.notices
            guard report.bytes > 0 || !notices.isEmpty else { return nothing }
            try writer.finish()
            try saveCursor(
                db, jobID: jobID, file: file, offset: offset + report.bytes, lines: linesBefore + report.lines,
                malformed: report.malformed.count, inode: inode)
            try beforeCommit?()
            return (report, more: !atEnd && offset + report.bytes < size)
        }
    }

    /// Deletes a job's series and summaries, and its per-run values but those collected from other files
    /// (its metrics file was replaced).
    static func forgetMetrics(ofJob jobID: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM metric_points WHERE job_id = ?", arguments: [jobID])
        try db.execute(sql: "DELETE FROM metric_tiles WHERE job_id = ?", arguments: [jobID])
        try db.execute(sql: "DELETE FROM metric_summaries WHERE job_id = ?", arguments: [jobID])
        try refreshRunMetrics(ofJob: jobID, in: db)
        try db.execute(sql: "UPDATE ingest_cursors SET malformed = 0 WHERE job_id = ?", arguments: [jobID])
    }

    /// Records how far a metrics file has been consumed.
    private func saveCursor(
        _ db: Database, jobID: Int64, file: String, offset: Int64, lines: Int, malformed: Int, inode: Int64?
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO ingest_cursors (job_id, file, offset, lines, malformed, inode) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(job_id, file) DO UPDATE SET offset = excluded.offset, lines = excluded.lines,
                    malformed = malformed + excluded.malformed, inode = excluded.inode
                """,
            arguments: [jobID, file, offset, lines, malformed, inode])
    }

    /// The offset just past the next newline at or after `position`; the end of the file when there is
    /// none and the job has ended; `nil` when the line is still being written.
    static func nextNewline(in handle: FileHandle, after position: Int64, final: Bool) throws -> Int64? {
        try handle.seek(toOffset: UInt64(position))
        var at = position
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            if let index = block.firstIndex(of: UInt8(ascii: "\n")) {
                return at + Int64(index - block.startIndex) + 1
            }
            at += Int64(block.count)
        }
        return final ? at : nil
    }
}

/// Writes parsed metric lines of one job: series points through a raw prepared statement, summaries
/// and per-run values once per key at the end.
struct MetricWriter {
    struct Summary {
        var count = 0
        var lastStep: Int64?
        var lastValue: Double?
        var minValue: Double?
        var maxValue: Double?
        var finalValue: Double?
    }

    let db: Database
    let jobID: Int64
    let time: Double
    private let insertPoint: Statement
    private var keyIDs: [String: Int64] = [:]
    private var summaries: [Int64: Summary] = [:]
    /// The batch's points per (key, tile of ``tileSteps`` steps): merged into `metric_tiles` by `finish`.
    private var tiles: [TileKey: Tile] = [:]

    /// Steps per tile of `metric_tiles`.
    static let tileSteps: Int64 = 1024

    struct TileKey: Hashable {
        var key: Int64
        var tile: Int64
    }

    struct Tile {
        var min = Double.infinity
        var max = -Double.infinity
        var stepSum = 0.0
        var count = 0
    }

    init(db: Database, jobID: Int64, time: Double) throws {
        self.db = db
        self.jobID = jobID
        self.time = time
        insertPoint = try db.cachedStatement(
            sql: "INSERT INTO metric_points (job_id, key_id, step, line, value, time) VALUES (?, ?, ?, ?, ?, ?)")
    }

    /// Parses and writes every complete line of `bytes`; returns the counts (bytes = consumed). With
    /// `final`, text after the last newline is a complete last line too.
    mutating func consume(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, firstLine: Int, final: Bool = false
    ) throws -> IngestReport {
        var report = IngestReport()
        let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n"))
        let limit: Int
        if final, !bytes.isEmpty {
            limit = bytes.count - 1
        } else if let lastNewline {
            limit = lastNewline
        } else {
            return report
        }
        var start = 0
        var lineNumber = firstLine
        var line = MetricLineParser.Line()
        while start <= limit {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var content = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if content.last == UInt8(ascii: "\r") { content = UnsafeBufferPointer(rebasing: content.dropLast()) }
            if !content.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                line.fields.removeAll(keepingCapacity: true)
                line.step = nil
                line.time = nil
                line.hasStep = false
                do {
                    try MetricLineParser.parse(content, into: &line)
                    try write(line, number: lineNumber, report: &report)
                } catch let failure as MetricLineParser.Failure {
                    report.malformed.append(.init(file: file, line: lineNumber, reason: failure.reason))
                }
            }
            report.lines += 1
            lineNumber += 1
            start = end + 1
        }
        report.bytes = Int64(limit + 1)
        return report
    }

    private mutating func write(_ line: MetricLineParser.Line, number: Int, report: inout IngestReport) throws {
        if line.hasStep {
            guard let step = line.step, step >= 0, step.rounded() == step, step < 9.2e18 else {
                throw MetricLineParser.Failure(reason: "'step' must be a whole number, 0 or more")
            }
            let statement = insertPoint.sqliteStatement
            for (key, value) in line.fields {
                let keyID = try keyID(key)
                sqlite3_bind_int64(statement, 1, jobID)
                sqlite3_bind_int64(statement, 2, keyID)
                sqlite3_bind_int64(statement, 3, Int64(step))
                sqlite3_bind_int64(statement, 4, Int64(number))
                if value.isNaN { sqlite3_bind_null(statement, 5) } else { sqlite3_bind_double(statement, 5, value) }
                sqlite3_bind_double(statement, 6, line.time ?? time)
                let code = sqlite3_step(statement)
                sqlite3_reset(statement)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                var summary = summaries[keyID, default: Summary()]
                summary.count += 1
                if summary.lastStep == nil || Int64(step) >= summary.lastStep! {
                    summary.lastStep = Int64(step)
                    summary.lastValue = value
                }
                if !value.isNaN {
                    summary.minValue = min(summary.minValue ?? value, value)
                    summary.maxValue = max(summary.maxValue ?? value, value)
                    let tileKey = TileKey(key: keyID, tile: Int64(step) / Self.tileSteps)
                    var tile = tiles[tileKey, default: Tile()]
                    tile.min = min(tile.min, value)
                    tile.max = max(tile.max, value)
                    tile.stepSum += step
                    tile.count += 1
                    tiles[tileKey] = tile
                }
                summaries[keyID] = summary
                report.points += 1
            }
        } else {
            for (key, value) in line.fields {
                let keyID = try keyID(key)
                summaries[keyID, default: Summary()].finalValue = value
                report.finals += 1
            }
        }
    }

    private mutating func keyID(_ name: String) throws -> Int64 {
        if let id = keyIDs[name] { return id }
        try db.execute(sql: "INSERT OR IGNORE INTO metric_keys (name) VALUES (?)", arguments: [name])
        let id = try Int64.fetchOne(db, sql: "SELECT id FROM metric_keys WHERE name = ?", arguments: [name])!
        keyIDs[name] = id
        return id
    }

    /// Merges the batch's summaries into the stored ones and updates the runs that use the job.
    func finish() throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO metric_summaries (job_id, key_id, count, last_step, last_value, min_value, max_value, final_value, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, ?))
                ON CONFLICT(job_id, key_id) DO UPDATE SET
                    count = count + excluded.count,
                    last_step = CASE WHEN excluded.last_step IS NOT NULL AND (last_step IS NULL OR excluded.last_step >= last_step)
                        THEN excluded.last_step ELSE last_step END,
                    last_value = CASE WHEN excluded.last_step IS NOT NULL AND (last_step IS NULL OR excluded.last_step >= last_step)
                        THEN excluded.last_value ELSE last_value END,
                    min_value = MIN(COALESCE(min_value, excluded.min_value), COALESCE(excluded.min_value, min_value)),
                    max_value = MAX(COALESCE(max_value, excluded.max_value), COALESCE(excluded.max_value, max_value)),
                    final_value = COALESCE(excluded.final_value, final_value)
                """)
        let settle = try db.cachedStatement(
            sql: "UPDATE metric_summaries SET value = COALESCE(final_value, last_value) WHERE job_id = ? AND key_id = ?"
        )
        let propagate = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO run_metrics (run_id, stage, key, eval_length, value)
                SELECT rj.run_id, j.stage, k.name, 0, s.value FROM metric_summaries s
                JOIN jobs j ON j.id = s.job_id JOIN metric_keys k ON k.id = s.key_id
                JOIN run_jobs rj ON rj.job_id = s.job_id
                WHERE s.job_id = ? AND s.key_id = ? AND NOT EXISTS (
                    SELECT 1 FROM job_values v WHERE v.job_id = s.job_id AND v.key = k.name AND v.eval_length = 0)
                """)
        let mergeTile = try db.cachedStatement(
            sql: """
                INSERT INTO metric_tiles (job_id, key_id, tile, min_value, max_value, step_sum, count)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(job_id, key_id, tile) DO UPDATE SET
                    min_value = MIN(min_value, excluded.min_value), max_value = MAX(max_value, excluded.max_value),
                    step_sum = step_sum + excluded.step_sum, count = count + excluded.count
                """)
        for (key, tile) in tiles {
            try mergeTile.execute(arguments: [jobID, key.key, key.tile, tile.min, tile.max, tile.stepSum, tile.count])
        }
        for (keyID, summary) in summaries {
            try upsert.execute(arguments: [
                jobID, keyID, summary.count, summary.lastStep, summary.lastValue, summary.minValue, summary.maxValue,
                summary.finalValue, summary.finalValue, summary.lastValue,
            ])
            try settle.execute(arguments: [jobID, keyID])
            try propagate.execute(arguments: [jobID, keyID])
        }
    }
}
