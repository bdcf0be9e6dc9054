import Foundation
import GRDB
internal import GRDBSQLite

extension ResultStore {
    /// The most bytes read per transaction; a bigger backlog is ingested in several transactions.
    static let ingestChunkBytes = 32 << 20

    /// Ingests the lines of a job's `metrics.jsonl` that earlier ingestions have not consumed.
    ///
    /// A line with `"step"` is a time-series point for every other numeric field (`"time"`, if
    /// present, is the point's time); a line without it holds final values. Ingestion is exactly-once:
    /// the byte offset consumed is committed in the same transaction as the rows, so a crash at any
    /// moment loses or repeats nothing. A partial last line waits for its newline. Malformed lines are
    /// counted and reported with their line number, never fatal.
    ///
    /// - Parameters:
    ///   - jobKey: The job's key (hex).
    ///   - file: The path of the metrics file.
    ///   - time: The time recorded for points without a `"time"` field.
    ///   - beforeCommit: Called inside the transaction after the rows are written; a throw rolls
    ///     everything back (tests use it to simulate a crash).
    /// - Returns: What was added.
    @discardableResult
    public func ingestMetrics(
        jobKey: String, file: String, at time: Date = Date(), beforeCommit: (() throws -> Void)? = nil
    ) throws -> IngestReport {
        var total = IngestReport()
        while true {
            let report = try ingestChunk(jobKey: jobKey, file: file, at: time, beforeCommit: beforeCommit)
            total.add(report)
            if report.bytes == 0 || report.bytes < Int64(Self.ingestChunkBytes) / 2 { return total }
        }
    }

    private func ingestChunk(
        jobKey: String, file: String, at time: Date, beforeCommit: (() throws -> Void)?
    ) throws -> IngestReport {
        try database.write { db in
            guard let jobID = try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE key = ?", arguments: [jobKey])
            else {
                throw StoreError.unknownID(jobKey)
            }
            let cursor = try Row.fetchOne(
                db, sql: "SELECT offset, lines FROM ingest_cursors WHERE job_id = ? AND file = ?",
                arguments: [jobID, file])
            let offset: Int64 = cursor?["offset"] ?? 0
            let linesBefore: Int = cursor?["lines"] ?? 0
            guard let handle = FileHandle(forReadingAtPath: file) else { return IngestReport() }
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            guard size >= UInt64(offset) else {
                throw StoreError.metricsFileShrank(file, size: Int64(size), consumed: offset)
            }
            guard size > UInt64(offset) else { return IngestReport() }
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: Self.ingestChunkBytes) ?? Data()
            var writer = try MetricWriter(db: db, jobID: jobID, time: time.timeIntervalSince1970)
            var report = try data.withUnsafeBytes { raw in
                try writer.consume(raw.bindMemory(to: UInt8.self), file: file, firstLine: linesBefore + 1)
            }
            guard report.bytes > 0 else { return IngestReport() }
            try writer.finish()
            try db.execute(
                sql: """
                    INSERT INTO ingest_cursors (job_id, file, offset, lines, malformed) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(job_id, file) DO UPDATE SET offset = excluded.offset, lines = excluded.lines,
                        malformed = malformed + ?
                    """,
                arguments: [
                    jobID, file, offset + report.bytes, linesBefore + report.lines, report.malformed.count,
                    report.malformed.count,
                ])
            try beforeCommit?()
            report.bytes = report.bytes
            return report
        }
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

    init(db: Database, jobID: Int64, time: Double) throws {
        self.db = db
        self.jobID = jobID
        self.time = time
        insertPoint = try db.cachedStatement(
            sql: "INSERT INTO metric_points (job_id, key_id, step, line, value, time) VALUES (?, ?, ?, ?, ?, ?)")
    }

    /// Parses and writes every complete line of `bytes`; returns the counts (bytes = consumed).
    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, file: String, firstLine: Int) throws -> IngestReport {
        var report = IngestReport()
        guard let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return report }
        var start = 0
        var lineNumber = firstLine
        var line = MetricLineParser.Line()
        while start <= lastNewline {
            var end = start
            while bytes[end] != UInt8(ascii: "\n") { end += 1 }
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
        report.bytes = Int64(lastNewline + 1)
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
                INSERT OR REPLACE INTO run_metrics (run_id, stage, key, value)
                SELECT rj.run_id, j.stage, k.name, s.value FROM metric_summaries s
                JOIN jobs j ON j.id = s.job_id JOIN metric_keys k ON k.id = s.key_id
                JOIN run_jobs rj ON rj.job_id = s.job_id
                WHERE s.job_id = ? AND s.key_id = ?
                """)
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
