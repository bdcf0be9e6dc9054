import AblateExecution
import AblateStore
import Foundation

/// `ablate collect`: reads the `collect:` results of jobs again, whatever their fingerprints say: for
/// results produced or fixed by hand, or a collector fixed in a later Ablate.
public enum Recollection {
    /// What collecting again did.
    public struct Outcome: Sendable, Equatable {
        /// One line per collection and warning.
        public var events: [String] = []
        /// Jobs collected.
        public var collected = 0
        /// Jobs whose collection could not be recorded (the database could not be written).
        public var failed = 0
        /// Jobs left alone, with why.
        public var skipped: [String] = []
    }

    /// Collects again the jobs of `sweep`, or the job `jobKey`, or every job with collectors.
    public static func run(store: ResultStore, sweep: String? = nil, jobKey: String? = nil) throws -> Outcome {
        var keys: [String]?
        if let jobKey {
            keys = [jobKey]
        } else if let sweep {
            keys = try store.sweepJobs(sweep: sweep).map(\.key)
        }
        var outcome = Outcome()
        let jobs = try store.collectableJobs(keys: keys)
        for job in jobs {
            let label = "\(job.stage) \(job.key.prefix(12))"
            guard !job.collectors.isEmpty else {
                if jobKey != nil { outcome.skipped.append("\(label): its stage has no 'collect:'") }
                continue
            }
            guard let outputDir = job.outputDir else {
                outcome.skipped.append("\(label): it has not run yet")
                continue
            }
            guard job.state.isFinal || job.collectors.contains(where: \.kind.collectsWhileRunning) else {
                outcome.skipped.append(
                    "\(label): it is \(job.state.rawValue); its results are collected when it succeeds")
                continue
            }
            do {
                let report = try ResultIngestion.ingest(
                    store: store, jobKey: job.key, directory: URL(fileURLWithPath: outputDir), final: job.state.isFinal,
                    force: true, metricsFile: false)
                outcome.events += report.warnings(job: label)
                outcome.collected += 1
                if job.state != .succeeded, job.collectors.contains(where: { !$0.kind.collectsWhileRunning }) {
                    outcome.skipped.append(
                        "\(label): it is \(job.state.rawValue), so only its training logs were collected")
                }
            } catch {
                outcome.failed += 1
                outcome.events.append("warning \(label): not collected: \(error.localizedDescription)")
            }
        }
        return outcome
    }
}
