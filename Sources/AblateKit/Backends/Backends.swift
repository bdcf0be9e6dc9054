import AblateCore
import AblateExecution
import AblateLocal
import AblateSlurm
import AblateStore
import Foundation

/// The backends by kind: the one place that maps a ``BackendKind`` to its module, and the operations
/// that span backends (observing and cancelling jobs wherever their attempts run).
public enum Backends {
    /// The backend of `kind` over `store`, with its real processes, clock and controller.
    public static func make(_ kind: BackendKind, store: ResultStore) -> any Backend {
        switch kind {
        case .local: LocalBackend(store: store, provenance: GitCodeProvenance())
        case .slurm: SlurmBackend(store: store, provenance: GitCodeProvenance())
        }
    }

    /// Whether anything is open that a backend could reconcile: an open attempt on any backend, or a
    /// Slurm submission whose answer was never recorded.
    public static func haveOpenWork(in store: ResultStore) throws -> Bool {
        for kind in BackendKind.allCases where try !store.openAttemptJobKeys(backend: kind).isEmpty { return true }
        return try !store.unconfirmedSubmissions().isEmpty || !store.metricsPendingJobs().isEmpty
    }

    /// Ingests the metrics of jobs that ended while their ingestion failed (a full disk, say), all of
    /// them now that the jobs are over, and clears their pending flag. Returns one line per job.
    public static func ingestPending(store: ResultStore, keys: [String]? = nil) throws -> [String] {
        var events: [String] = []
        for (key, outputDir) in try store.metricsPendingJobs(keys: keys) {
            do {
                let report = try ResultIngestion.ingest(
                    store: store, jobKey: key, directory: URL(fileURLWithPath: outputDir), final: true)
                events += report.warnings(job: "job \(key.prefix(12))")
                try store.clearMetricsPending(jobKey: key)
                events.append(
                    "metrics of job \(key.prefix(12)) ingested: \(report.points) points, \(report.finals) final values")
            } catch {
                events.append(
                    "warning: metrics of job \(key.prefix(12)) still pending: \(error.localizedDescription)")
            }
        }
        return events
    }

    /// Reconciles the given jobs (or every job) on every backend, in ``BackendKind`` order.
    ///
    /// - Parameter backend: The backend of each kind (default: ``make(_:store:)``; tests give fakes).
    public static func observe(
        store: ResultStore, keys: [String]?, backend: ((BackendKind) -> any Backend)? = nil
    ) throws -> Observation {
        let backend = backend ?? { make($0, store: store) }
        var observation = Observation()
        observation.events += try ingestPending(store: store, keys: keys)
        for kind in BackendKind.allCases {
            let seen = try backend(kind).observe(keys: keys)
            observation.events += seen.events
            observation.open += seen.open
        }
        return observation
    }

    /// Stops the given jobs wherever they run: each backend stops the jobs whose open attempt it runs;
    /// the local backend also records jobs with no open attempt as cancelled when no live orchestrator
    /// will. Returns the keys each backend stopped.
    ///
    /// - Parameter backend: The backend of each kind (default: ``make(_:store:)``; tests give fakes).
    public static func cancel(
        store: ResultStore, keys: [String], backend: ((BackendKind) -> any Backend)? = nil
    ) throws -> [BackendKind: [String]] {
        let backend = backend ?? { make($0, store: store) }
        let records = try store.jobRecords(keys: keys)
        var byKind: [BackendKind: [String]] = [:]
        for key in keys { byKind[records[key]?.openAttempt?.backend ?? .local, default: []].append(key) }
        var stopped: [BackendKind: [String]] = [:]
        for kind in BackendKind.allCases {
            guard let keys = byKind[kind], !keys.isEmpty else { continue }
            stopped[kind] = try backend(kind).cancel(keys: keys)
        }
        return stopped
    }

    /// Starts `command` with `/bin/sh -c` in a new session, detached from this process and its terminal
    /// (`ablate run --detach`); returns its process ID.
    public static func detach(command: String) throws -> Int32 {
        try Detacher.start(command: command)
    }
}
