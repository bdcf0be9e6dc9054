import AblateCore
import Foundation

/// The job-directory protocol, the same for every backend: `WORKDIR/jobs/STAGE/KEY/` is the job's
/// `{output}`, where its trainer or evaluator writes what it wants (a `config.json`, `checkpoint-N/`,
/// results) and `metrics.jsonl`; Ablate's own files are under `.ablate/` in it: `config.json`,
/// `stdout.log`, `stderr.log`, `attempts/N.{start,exit}.json` (and `job.sh` on Slurm), so that the two
/// never collide. Directories of an earlier Ablate, with those files at the top, are still read.
public struct JobDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The directory of job `key` of `stage` under `workdir`.
    public init(workdir: URL, stage: String, key: Digest) {
        url = workdir.appendingPathComponent("jobs").appendingPathComponent(stage).appendingPathComponent(key.hex)
    }

    /// The directory at `url` (a recorded `output_dir`).
    public init(url: URL) {
        self.url = url
    }

    /// The output directories of `job`'s upstream jobs under `workdir`, by stage name: what `{STAGE.output}`,
    /// `config.json`'s `inputs` and `ABLATE_INPUT_<STAGE>` hold.
    public static func inputs(of job: PlannedJob, workdir: URL) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: job.upstream.map {
                ($0.stage, JobDirectory(workdir: workdir, stage: $0.stage, key: $0.key).url.path)
            })
    }

    /// `stage`'s command for `job`, rendered for `/bin/sh -c` with this directory, `inputs` and, for a job
    /// that fans out over checkpoints, the `checkpoint` it runs on.
    public func command(
        job: PlannedJob, stage: Stage, inputs: [String: String], checkpoint: CheckpointInput? = nil
    ) -> String {
        stage.run.render(
            config: config.path, output: url.path, stageOutputs: inputs, params: job.paramValues,
            checkpoints: checkpoint.map { [$0.stage: $0.directory.path] } ?? [:])
    }

    /// `.ablate/`: Ablate's own files, apart from what the job writes.
    public var control: URL { url.appendingPathComponent(".ablate") }
    /// Where Ablate's files of this directory are: `.ablate/`, or the directory itself for a job
    /// directory an earlier Ablate made (its `attempts/` at the top and no `.ablate/`).
    public var resolvedControl: URL {
        let manager = FileManager.default
        if !manager.fileExists(atPath: control.path),
            manager.fileExists(atPath: url.appendingPathComponent("attempts").path)
        {
            return url
        }
        return control
    }
    /// `.ablate/config.json`: the job's definition.
    public var config: URL { control.appendingPathComponent("config.json") }
    /// `metrics.jsonl`: written by the job itself, so at the top of its directory.
    public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
    /// `.ablate/stdout.log` (`stdout.log` in an earlier Ablate's directory).
    public var stdout: URL { resolvedControl.appendingPathComponent("stdout.log") }
    /// `.ablate/stderr.log` (`stderr.log` in an earlier Ablate's directory).
    public var stderr: URL { resolvedControl.appendingPathComponent("stderr.log") }
    /// `.ablate/attempts/` (`attempts/` in an earlier Ablate's directory).
    public var attempts: URL { resolvedControl.appendingPathComponent("attempts") }

    /// Creates the directory and writes `config.json` (atomically): the stage's `uses` values, the
    /// upstream output directories, the job's key and stage, and the runs that need it.
    public func prepare(
        job: PlannedJob, inputs: [String: String], sweep: String, runs: [String], checkpoint: CheckpointInput? = nil
    ) throws {
        do {
            try FileManager.default.createDirectory(at: control, withIntermediateDirectories: true)
            var document: ParamValue = .object([
                "key": .string(job.key.hex),
                "stage": .string(job.stage),
                "params": .object(job.paramValues),
                "inputs": .object(inputs.mapValues(ParamValue.string)),
                "output_dir": .string(url.path),
                "metrics": .string(metrics.path),
                "sweep": .string(sweep),
                "runs": .array(runs.map(ParamValue.string)),
            ])
            if let checkpoint, case .object(var fields) = document {
                fields["checkpoint"] = .object([
                    "stage": .string(checkpoint.stage), "step": .int(Int64(checkpoint.step)),
                    "path": .string(checkpoint.directory.path),
                ])
                document = .object(fields)
            }
            try Data((PrettyJSON.render(document) + "\n").utf8).write(to: config, options: .atomic)
        } catch {
            throw ExecutionError.cannotPrepare(url.path, reason: Self.reason(creating: url, error))
        }
    }

    /// Why a directory could not be made, in words: the nearest existing ancestor is a file, is not
    /// writable, or the system's own reason.
    public static func reason(creating url: URL, _ error: any Error) -> String {
        var ancestor = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        while ancestor.path != "/", !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "'\(ancestor.path)' is a file, not a directory; choose another --workdir"
        }
        if !FileManager.default.isWritableFile(atPath: ancestor.path) {
            return "there is no permission to write in '\(ancestor.path)'; choose another --workdir"
        }
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    /// Makes sure `workdir` exists and is a writable directory before anything is recorded or started.
    public static func prepareWorkdir(_ workdir: URL) throws {
        do {
            try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        } catch {
            throw ExecutionError.cannotPrepare(workdir.path, reason: reason(creating: workdir, error))
        }
        guard FileManager.default.isWritableFile(atPath: workdir.path) else {
            throw ExecutionError.cannotPrepare(
                workdir.path, reason: "there is no permission to write in it; choose another --workdir")
        }
    }

    /// The environment a job's command runs with, on top of the orchestrator's.
    public func environment(
        job: PlannedJob, attempt: Int, inputs: [String: String], checkpoint: CheckpointInput? = nil
    ) -> [String: String] {
        var environment = [
            "ABLATE_CONFIG": config.path,
            "ABLATE_OUTPUT_DIR": url.path,
            "ABLATE_METRICS": metrics.path,
            "ABLATE_JOB_ID": job.key.hex,
            "ABLATE_STAGE": job.stage,
            "ABLATE_ATTEMPT": String(attempt),
        ]
        for (stage, directory) in inputs {
            environment["ABLATE_INPUT_" + Self.environmentName(stage)] = directory
        }
        if let checkpoint {
            environment["ABLATE_CHECKPOINT"] = checkpoint.directory.path
            environment["ABLATE_CHECKPOINT_STEP"] = String(checkpoint.step)
        }
        return environment
    }

    /// `sft-long` becomes `SFT_LONG` (``Stage/environmentName(_:)``).
    public static func environmentName(_ stage: String) -> String {
        Stage.environmentName(stage)
    }
}
