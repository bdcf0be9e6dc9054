import AblateCore
import AblateExecution
import AblateStore
import Foundation

/// `ablate gc`: what no kept sweep needs, by policy, as a dry run unless applied.
///
/// - The whole output of a job that no kept sweep's current runs use is deleted (its `.ablate/` files,
///   logs and status, stay), and the job becomes `new`: it runs again if a sweep needs it later.
/// - The checkpoints (`checkpoint-N/`, or the stage's declared `checkpoints.path`) of a succeeded job of a
///   kept sweep whose downstream jobs all succeeded are deleted, except the last `keepLast` and those a
///   fan-out consumes.
/// - A job that is queued or running, or whose downstream jobs are not all final, is never touched. The
///   database keeps every record: each deletion is written `deleting` before any file goes and
///   `deleted` after the last, so a gc killed midway never leaves a job looking intact with half its
///   files gone (the next gc finishes what it began).
public enum GarbageCollector {
    /// One deletion.
    public struct Deletion: Sendable, Equatable {
        /// The job.
        public var jobKey: String
        /// Its stage.
        public var stage: String
        /// The directory deleted (a checkpoint), or whose contents are (an output).
        public var path: String
        /// `output` or `checkpoint`.
        public var what: String
        /// Bytes it frees.
        public var bytes: UInt64
        /// Why.
        public var reason: String
    }

    /// What a gc deletes, and the jobs it leaves alone on purpose.
    public struct Plan: Sendable, Equatable {
        /// The deletions, by job and path.
        public var deletions: [Deletion] = []
        /// Jobs left alone although a policy would apply, with why.
        public var protected: [(key: String, reason: String)] = []
        /// Bytes freed.
        public var bytes: UInt64 { deletions.reduce(0) { $0 + $1.bytes } }

        /// Equal when they say the same (the left-alone list and tuples aside).
        public static func == (lhs: Plan, rhs: Plan) -> Bool { lhs.deletions == rhs.deletions }
    }

    /// The deletions the policies call for now.
    public static func plan(store: ResultStore, keepLast: Int = 1) throws -> Plan {
        var plan = Plan()
        var declared: [String: [String: CheckpointSpec]] = [:]  // sweep -> stage -> checkpoints
        func checkpoints(of job: ResultStore.GarbageCandidate) -> CheckpointSpec? {
            for sweep in job.sweeps {
                if declared[sweep] == nil {
                    var stages: [String: CheckpointSpec] = [:]
                    if let (text, path) = try? store.sweepSpec(named: sweep),
                        let loaded = try? SpecLoader.load(yaml: text, file: path ?? sweep, codeIdentity: { _ in "" })
                    {
                        for stage in loaded.spec.stages { stages[stage.name] = stage.checkpoints }
                    }
                    declared[sweep] = stages
                }
                if let found = declared[sweep]?[job.stage] { return found }
            }
            return nil
        }
        for job in try store.garbageCandidates() {
            guard let directory = job.outputDir, FileManager.default.fileExists(atPath: directory) else { continue }
            if job.state == .queued || job.state == .running || job.state == .new {
                if !job.kept, job.state != .new { plan.protected.append((job.key, "it is \(job.state.rawValue)")) }
                continue
            }
            if job.downstream.contains(where: { !$0.isFinal }) {
                plan.protected.append((job.key, "its downstream jobs are not all final"))
                continue
            }
            if !job.kept {
                // Everything but `.ablate/`, which stays.
                var whole = DirectorySize()
                var control = DirectorySize()
                let bytes = whole.size(of: directory).bytes - control.size(of: directory + "/.ablate").bytes
                let reason =
                    job.sweeps.isEmpty
                    ? "no current run uses it"
                    : "no kept sweep uses it (\(job.sweeps.joined(separator: ", ")) not kept)"
                plan.deletions.append(
                    Deletion(
                        jobKey: job.key, stage: job.stage, path: directory, what: "output", bytes: bytes, reason: reason
                    ))
                continue
            }
            guard job.state == .succeeded, job.downstream.allSatisfy({ $0 == .succeeded }) else { continue }
            let found = Self.checkpointDirectories(in: directory, declared: checkpoints(of: job))
            let consumed = Set(job.consumers.map(\.step))
            let kept = Set(found.map(\.step).sorted().suffix(max(keepLast, 0)))
            for checkpoint in found where !kept.contains(checkpoint.step) && !consumed.contains(checkpoint.step) {
                var walker = DirectorySize()
                plan.deletions.append(
                    Deletion(
                        jobKey: job.key, stage: job.stage, path: checkpoint.path, what: "checkpoint",
                        bytes: walker.size(of: checkpoint.path).bytes,
                        reason:
                            "its downstream jobs all succeeded; the last \(keepLast) and those a fan-out consumes stay")
                )
            }
        }
        plan.deletions.sort { ($0.jobKey, $0.path) < ($1.jobKey, $1.path) }
        return plan
    }

    /// The checkpoint directories of a job: the declared `checkpoints.path` (with `{step}` in its last
    /// component), else the Hugging Face Trainer's `checkpoint-N`.
    static func checkpointDirectories(in directory: String, declared: CheckpointSpec?) -> [(step: Int, path: String)] {
        let pattern = declared?.path ?? "checkpoint-{step}"
        let parent = pattern.split(separator: "/").dropLast().joined(separator: "/")
        let last = String(pattern.split(separator: "/").last ?? "")
        guard let marker = last.range(of: "{step}") else { return [] }
        let prefix = String(last[..<marker.lowerBound])
        let suffix = String(last[marker.upperBound...])
        let base = parent.isEmpty ? directory : directory + "/" + parent
        var found: [(Int, String)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(suffix) && name.count > prefix.count + suffix.count {
            let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard digits.allSatisfy(\.isNumber), let step = Int(digits) else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory),
                isDirectory.boolValue
            {
                found.append((step, base + "/" + name))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// Deletes what `plan` lists (first finishing what an interrupted gc began); returns the bytes freed.
    public static func apply(_ plan: Plan, store: ResultStore, report: (String) -> Void) throws -> UInt64 {
        for (id, path) in try store.unfinishedDeletions() {
            try remove(path, keepingControl: true)
            try store.finishDeletion(id)
            report("finished deleting \(path) (an earlier gc stopped midway)")
        }
        var freed: UInt64 = 0
        for deletion in plan.deletions {
            let id = try store.beginDeletion(
                jobKey: deletion.jobKey, path: deletion.path, what: deletion.what, bytes: deletion.bytes)
            try remove(deletion.path, keepingControl: deletion.what == "output")
            try store.finishDeletion(id)
            freed += deletion.bytes
        }
        return freed
    }

    /// Removes `path`; for a job's output, everything in it but `.ablate/`.
    private static func remove(_ path: String, keepingControl: Bool) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: path) else { return }
        var isDirectory: ObjCBool = false
        _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
        if keepingControl, isDirectory.boolValue, manager.fileExists(atPath: path + "/.ablate") {
            for name in try manager.contentsOfDirectory(atPath: path) where name != ".ablate" {
                try manager.removeItem(atPath: path + "/" + name)
            }
        } else {
            try manager.removeItem(atPath: path)
        }
    }
}
