import AblateCollect
import AblateCore
import AblateStore
import Foundation

/// Everything a job directory holds that becomes the job's metrics: `metrics.jsonl` (ingested
/// incrementally, exactly once) and the evaluators' and trainers' own files that its stage's `collect:`
/// names. Every backend calls this where it ingested `metrics.jsonl` before, so collection happens on
/// every path a job can end by (watched, adopted, found by `status` or `sync`, pending after a full disk).
///
/// Collection replaces the collector's earlier values in one transaction, so a crash during it and a
/// second collection leave every value recorded once. It is skipped while the collector's files (and the
/// collector) are unchanged. Evaluation collectors (`helmet`, `lm-eval`) run once the job succeeded;
/// `hf-trainer` also while it runs and after a failure, for the training curves.
public enum ResultIngestion {
    /// Bumped when a reader changes what it records, so that results are collected again.
    static let readerVersion = "1"

    /// Ingests new `metrics.jsonl` lines and collects what changed.
    ///
    /// - Parameters:
    ///   - final: Whether the attempt has ended (the last metrics line is complete; evaluation results are
    ///     only read then).
    ///   - succeeded: Whether it ended with success; `nil` to read the job's state from the store.
    ///   - force: Collect even when the files look unchanged (`ablate collect`).
    ///   - metricsFile: Whether to ingest `metrics.jsonl` (callers that know it did not grow pass `false`).
    ///   - beforeCommit: Passed to the store's collection transaction (crash tests).
    /// - Returns: The metrics ingestion's report, with each collection's summary and warnings as notices.
    /// - Throws: When the database cannot be written; the caller leaves the job's metrics pending.
    @discardableResult
    public static func ingest(
        store: ResultStore, jobKey: String, directory: URL, final: Bool, succeeded: Bool? = nil, force: Bool = false,
        metricsFile: Bool = true, at time: Date = Date(), beforeCommit: (() throws -> Void)? = nil
    ) throws -> IngestReport {
        var report = IngestReport()
        let metrics = JobDirectory(url: directory).metrics.path
        if metricsFile, FileManager.default.fileExists(atPath: metrics) {
            report = try store.ingestMetrics(jobKey: jobKey, file: metrics, final: final, at: time)
        }
        guard let job = try store.collectableJobs(keys: [jobKey]).first, !job.collectors.isEmpty else { return report }
        let success = succeeded ?? (job.state == .succeeded)
        for collector in job.collectors where collector.kind.collectsWhileRunning || (final && success) {
            let reader = Collectors.reader(for: collector.kind)
            let folder = collector.path == "." ? directory : directory.appendingPathComponent(collector.path)
            let fingerprint = SHA256.hash(
                Array(
                    (readerVersion + "\n" + collector.paramValue.canonicalJSON + "\n" + reader.fingerprint(of: folder))
                        .utf8)
            ).hex
            if !force, try store.collectionFingerprint(jobKey: jobKey, collector: collector.name) == fingerprint {
                continue
            }
            var results: CollectedResults
            do {
                results = try reader.collect(in: folder, as: collector)
            } catch {
                // A collector that runs while the job runs finds nothing before the first log: not a problem yet.
                if !final, case .missing = error { continue }
                if !final, case .empty = error { continue }
                results = CollectedResults()
                results.warnings = [error.description]
            }
            let summary = try store.recordCollection(
                jobKey: jobKey, collector: collector, results: results, fingerprint: fingerprint, at: time,
                beforeCommit: beforeCommit)
            if final || !summary.warnings.isEmpty {
                report.collected.append(
                    "\(collector.name): \(summary.values) values, \(summary.points) points"
                        + (summary.warnings.isEmpty ? "" : ", \(summary.warnings.count) warning(s)"))
            }
            report.notices += summary.warnings.map { "\(collector.name): \($0)" }
        }
        return report
    }
}
