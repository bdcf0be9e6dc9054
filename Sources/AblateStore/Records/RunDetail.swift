import AblateCore
import Foundation

/// Everything `ablate show` prints about a run: parameters, jobs with attempts and metric summaries,
/// and git provenance.
public struct RunDetail: Sendable {
    /// One attempt at running a job.
    public struct Attempt: Sendable {
        /// 1 for the first attempt.
        public var number: Int
        /// The backend that ran it.
        public var backend: BackendKind
        /// The backend's ID (process ID, Slurm job ID).
        public var backendJobID: String?
        /// The host it ran on.
        public var host: String?
        /// The attempt's state.
        public var state: AttemptState
        /// Start and end times.
        public var startedAt: Date?
        /// End time.
        public var endedAt: Date?
        /// Exit code, if it exited.
        public var exitCode: Int?
        /// Signal, if it was killed by one.
        public var signal: Int?
        /// Why it ended as it did.
        public var reason: String?
        /// The git state of the stage's `repo:` when the attempt started (or was submitted).
        public var code: GitRevision?
    }

    /// A metric's summary for one job.
    public struct Metric: Sendable {
        /// The metric key.
        public var key: String
        /// The value reports use: the final value if the job wrote one, else the last point.
        public var value: Double?
        /// Points in the series.
        public var count: Int
        /// The last step.
        public var lastStep: Int?
        /// Smallest and largest values of the series.
        public var min: Double?
        /// Largest value.
        public var max: Double?
    }

    /// One stage job of the run.
    public struct Job: Sendable {
        /// The job key.
        public var key: String
        /// The stage.
        public var stage: String
        /// The job's state.
        public var state: JobState
        /// The job directory (logs, metrics, outputs).
        public var outputDir: String?
        /// The job's config parameters (canonical JSON).
        public var params: String
        /// Attempts, oldest first.
        public var attempts: [Attempt]
        /// Metric summaries by key.
        public var metrics: [Metric]
        /// What its collectors recorded, without each dataset's and task's own values: the HELMET
        /// categories, the paper's short tasks, the trainer's final values (length 0 for none).
        public var collected: [(collector: String, key: String, length: Int, value: Double?)] = []
        /// Each collector's last collection: when, how many values, its provenance and warnings.
        public var collections: [ResultStore.CollectionRecord] = []
    }

    /// The run.
    public var run: RunRow
    /// Its jobs, in stage order.
    public var jobs: [Job]
    /// Git revisions linked to the run: the spec's repository (`spec`) and each stage's code
    /// (`job:STAGE`), each role's oldest first.
    public var revisions: [(role: String, revision: GitRevision)]
}
