import AblateCore
import Foundation

/// The checkpoint a job of a stage with `over: checkpoints` runs on: one `checkpoint-N` directory of its
/// upstream training job, which is ready once the files the training stage's `checkpoints.ready` names
/// are there, while the training may still be running.
public struct CheckpointInput: Sendable, Equatable {
    /// The training stage.
    public var stage: String
    /// The training job's key.
    public var job: Digest
    /// The checkpoint's step.
    public var step: Int
    /// Whether it is the training's last checkpoint, which is ready only once the training succeeded.
    public var isLast: Bool
    /// The checkpoint's directory.
    public var directory: URL
    /// Files (relative to ``directory``) whose presence makes it ready.
    public var ready: [String]

    /// The checkpoint `job` runs on, or `nil` for a job of a stage without `over:`.
    public init?(of job: PlannedJob, stage: Stage, fanOut: SweepFanOut?, workdir: URL) {
        guard stage.over != nil, let fanOut,
            let upstream = job.upstream.first(where: { $0.stage == fanOut.source }),
            case .int(let step) = job.paramValues[SweepFanOut.parameter]
        else { return nil }
        self.stage = fanOut.source
        self.job = upstream.key
        self.step = Int(step)
        self.isLast = Int(step) == fanOut.checkpoints.lastStep
        self.directory = JobDirectory(workdir: workdir, stage: fanOut.source, key: upstream.key).url
            .appendingPathComponent(fanOut.checkpoints.directory(step: Int(step)))
        self.ready = fanOut.checkpoints.ready
    }

    /// Whether every file that makes the checkpoint ready is there.
    public var isReady: Bool {
        ready.allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// The training job's state as the readiness rule should see it for this job: succeeded once the
    /// checkpoint is ready (for the last one, only once the training succeeded too); failed when the
    /// training ended and the checkpoint is not there; otherwise the training's state (waiting).
    public func effectiveState(of training: JobState) -> JobState {
        if isReady, !isLast || training == .succeeded { return .succeeded }
        if training.isFinal { return training == .succeeded ? .failed : training }
        return training
    }

    /// Why a job on this checkpoint cannot run, once the training ended without leaving it.
    public func missingReason(training: JobState) -> String {
        let name = directory.lastPathComponent
        if training == .succeeded {
            return
                "the checkpoint of step \(step) of \(stage) \(job.short) is not ready: \(ready.joined(separator: ", ")) missing in \(directory.path) (not written, or deleted); run \(stage) again to write it"
        }
        return
            "the checkpoint of step \(step) of \(stage) \(job.short) (\(name)) was not written before the training ended (\(training.rawValue))"
    }
}
