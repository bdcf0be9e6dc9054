import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// For `ablate status`: per training job of a sweep that fans out over checkpoints, which of its declared
/// checkpoints exist, which are ready (their `ready` files are there), and which have been consumed (every
/// job that runs on it succeeded).
public enum CheckpointInventory {
    /// One checkpoint of a training job.
    public struct Checkpoint: Sendable, Equatable {
        /// Its step.
        public var step: Int
        /// Its directory.
        public var path: String
        /// Whether the directory exists.
        public var exists: Bool
        /// Whether the files that make it ready are there.
        public var ready: Bool
        /// The states of the jobs that run on it (one per fanned-out job of the stage with `over:`).
        public var consumers: [JobState]

        /// Every job on it succeeded.
        public var consumed: Bool { !consumers.isEmpty && consumers.allSatisfy { $0 == .succeeded } }
    }

    /// A training job and its checkpoints.
    public struct Training: Sendable, Equatable {
        /// The stage.
        public var stage: String
        /// The job key.
        public var key: String
        /// Its state.
        public var state: JobState
        /// Its declared checkpoints, by step.
        public var checkpoints: [Checkpoint]
    }

    /// The trainings of `sweep` whose checkpoints are fanned out over (none for a sweep without `over:`).
    public static func report(store: ResultStore, sweep: String) throws -> [Training] {
        guard let fanned = try FannedOutSweep(sweep, store: store),
            let source = fanned.plan.stage(named: fanned.fanOut.source)
        else { return [] }
        let (plan, fanOut) = (fanned.plan, fanned.fanOut)
        let records = try store.jobRecords(keys: plan.stages.flatMap { $0.keys.map(\.hex) })
        // The jobs on each (training, step).
        var consumers: [String: [JobState]] = [:]
        for stage in plan.stages where stage.stage.over != nil {
            for index in 0..<stage.jobCount {
                let job = plan.job(stage: stage.index, index: index)
                guard let training = job.upstream.first(where: { $0.stage == fanOut.source }),
                    case .int(let step) = job.paramValues[SweepFanOut.parameter]
                else { continue }
                consumers["\(training.key.hex)/\(step)", default: []].append(records[job.key.hex]?.state ?? .new)
            }
        }
        return source.keys.map { key in
            let record = records[key.hex]
            let directory = record?.outputDir.map { URL(fileURLWithPath: $0) }
            let checkpoints = fanOut.checkpoints.steps.map { step -> Checkpoint in
                let url = directory?.appendingPathComponent(fanOut.checkpoints.directory(step: step))
                let exists = url.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
                let ready =
                    url.map { url in
                        fanOut.checkpoints.ready.allSatisfy {
                            FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
                        }
                    } ?? false
                return Checkpoint(
                    step: step, path: url?.path ?? fanOut.checkpoints.directory(step: step), exists: exists,
                    ready: ready, consumers: consumers["\(key.hex)/\(step)"] ?? [])
            }
            return Training(stage: source.name, key: key.hex, state: record?.state ?? .new, checkpoints: checkpoints)
        }
    }

    /// The inventory as text, one line per checkpoint.
    public static func text(_ trainings: [Training]) -> String {
        var lines: [String] = []
        for training in trainings {
            lines.append("checkpoints of \(training.stage) \(training.key.prefix(12)) (\(training.state.rawValue)):")
            for checkpoint in training.checkpoints {
                let presence = checkpoint.ready ? "ready" : checkpoint.exists ? "being written" : "not written"
                let done = checkpoint.consumers.filter { $0 == .succeeded }.count
                let use =
                    checkpoint.consumers.isEmpty
                    ? "not fanned out over"
                    : checkpoint.consumed
                        ? "consumed" : "consumed by \(done) of \(checkpoint.consumers.count) job(s)"
                let step = "step \(checkpoint.step)".padding(toLength: 12, withPad: " ", startingAt: 0)
                lines.append("  \(step) \(presence.padding(toLength: 14, withPad: " ", startingAt: 0)) \(use)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
