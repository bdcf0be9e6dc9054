import AblateSlurm
import Foundation

/// A Slurm client for unit tests of the submission and reconciliation logic: records each submitted
/// script, hands out increasing job IDs, and reports whatever jobs a test sets. The real client is
/// tested against a real cluster in the integration tests.
public final class FakeSlurmClient: SlurmClient, @unchecked Sendable {
    private let lock = NSLock()
    private var nextID: Int
    private var _scripts: [(id: String, text: String)] = []
    private var _jobs: [SlurmJobInfo] = []
    private var _cancelled: [String] = []
    /// The cluster's MaxArraySize.
    public var maxArray: Int
    /// When set, sbatch refuses every script with this message.
    public var refusal: String?

    /// A client whose first job ID is `firstID`.
    public init(firstID: Int = 100, maxArraySize: Int = 1001) {
        nextID = firstID
        maxArray = maxArraySize
    }

    /// The scripts submitted so far, with the IDs given.
    public var scripts: [(id: String, text: String)] { lock.withLock { _scripts } }
    /// The IDs cancelled so far.
    public var cancelled: [String] { lock.withLock { _cancelled } }

    /// Sets what `jobs()` reports.
    public func setJobs(_ jobs: [SlurmJobInfo]) { lock.withLock { _jobs = jobs } }

    /// Records the script and answers the next job ID (or the refusal, when set).
    public func submit(script: URL) throws -> String {
        if let refusal { throw SlurmError.submissionRefused(script.path, message: refusal) }
        let text = try String(contentsOf: script, encoding: .utf8)
        return lock.withLock {
            let id = String(nextID)
            nextID += 1
            _scripts.append((id, text))
            return id
        }
    }

    /// The jobs set with ``setJobs(_:)`` whose array job ID is among `ids`.
    public func jobs(ids: [String]) throws -> [SlurmJobInfo] {
        lock.withLock { _jobs.filter { ids.contains($0.arrayJobID) } }
    }

    /// The jobs set with ``setJobs(_:)`` whose name is among `names`.
    public func jobs(names: [String]) throws -> [SlurmJobInfo] {
        lock.withLock { _jobs.filter { names.contains($0.name) } }
    }

    /// Records the cancelled IDs.
    public func cancel(_ ids: [String]) throws { lock.withLock { _cancelled += ids } }

    /// ``maxArray``.
    public func maxArraySize() throws -> Int { maxArray }
}
