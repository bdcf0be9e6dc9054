import AblateCore
import AblateExecution
import AblateStore
import Foundation

extension SlurmSubmitter {
    /// Writes the job directories and the script of one submission, records it, runs sbatch and records
    /// the answer. Returns the Slurm job ID.
    func submit(
        _ group: SlurmArrayPlanner.Group, jobs: [PlannedJob], stage: Stage, plan: SweepPlan,
        records: [String: JobRecord], runs: [String: [String]]
    ) throws -> String {
        let token = Self.newToken()
        let slurmDirectory = workdir.appendingPathComponent("slurm")
        let links = slurmDirectory.appendingPathComponent(token)
        var tasks: [BatchScript.Task] = []
        var submitted: [SubmittedJob] = []
        for (task, job) in zip(group.tasks, jobs) {
            let directory = JobDirectory(workdir: workdir, stage: stage.name, key: job.key)
            let inputs = JobDirectory.inputs(of: job, workdir: workdir)
            let checkpoint = CheckpointInput(of: job, stage: stage, fanOut: plan.spec.fanOut, workdir: workdir)
            try directory.prepare(
                job: job, inputs: inputs, sweep: plan.spec.name, runs: runs[job.key.hex] ?? [], checkpoint: checkpoint)
            try writeJobScript(directory: directory, job: job, stage: stage, inputs: inputs, checkpoint: checkpoint)
            if let index = task.index {
                try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: links.appendingPathComponent(String(index)))
                try FileManager.default.createSymbolicLink(
                    atPath: links.appendingPathComponent(String(index)).path, withDestinationPath: directory.url.path)
            }
            let attempt = (records[job.key.hex]?.attempts.last?.number ?? 0) + 1
            tasks.append(.init(index: task.index, directory: directory.url.path, firstAttempt: attempt))
            submitted.append(
                SubmittedJob(key: job.key.hex, attempt: attempt, arrayIndex: task.index, directory: directory.url.path))
        }
        let script = BatchScript(
            sweep: plan.spec.name, stage: stage.name, token: token,
            options: BatchScript.resourceOptions(
                resources: stage.resources, defaults: plan.spec.slurm, timeoutSeconds: stage.timeoutSeconds),
            dependency: group.dependency,
            throttle: group.isArray ? (options.maxRunning ?? plan.spec.slurm.maxRunning) : nil,
            signalSeconds: plan.spec.slurm.signalSeconds, tasks: tasks, linkDirectory: links.path,
            wrapper: options.wrapper)
        let scriptURL = slurmDirectory.appendingPathComponent("\(token).sbatch")
        try FileManager.default.createDirectory(at: slurmDirectory, withIntermediateDirectories: true)
        try Data(script.render().utf8).write(to: scriptURL, options: .atomic)
        let submission = try store.recordSubmission(
            token: token, sweep: plan.spec.name, stage: stage.name, script: scriptURL.path,
            dependency: group.dependency.option, retries: stage.retries, jobs: submitted)
        let jobID: String
        do {
            jobID = try client.submit(script: scriptURL)
        } catch let error as SlurmError {
            if case .submissionRefused(_, let message) = error {
                try store.abandonSubmission(id: submission, state: .refused, message: "sbatch refused it: \(message)")
            } else {
                try store.abandonSubmission(id: submission, state: .lost, message: error.localizedDescription)
            }
            throw error
        }
        try store.confirmSubmission(id: submission, slurmJobID: jobID)
        let what =
            group.isArray
            ? "array \(jobID) [\(SlurmArrayPlanner.indexList(group.tasks.compactMap(\.index)))]"
                + (script.throttle.map { " at most \($0) at a time" } ?? "")
            : "job \(jobID)"
        report(
            "submit  \(stage.name): \(group.tasks.count) job(s) as \(what)"
                + (group.dependency.option.map { " after \($0)" } ?? ""))
        return jobID
    }

    /// `job.sh`: the job's environment and command, run by `ablate-wrap` on the compute node.
    func writeJobScript(
        directory: JobDirectory, job: PlannedJob, stage: Stage, inputs: [String: String],
        checkpoint: CheckpointInput? = nil
    ) throws {
        let command = directory.command(job: job, stage: stage, inputs: inputs, checkpoint: checkpoint)
        var text = "# Written by ablate: job \(job.key.hex) of stage '\(stage.name)', run by ablate-wrap.\n"
        let environment = directory.environment(job: job, attempt: 0, inputs: inputs, checkpoint: checkpoint)
        for name in environment.keys.sorted() where name != "ABLATE_ATTEMPT" {
            text += "export \(name)=\(ShellQuoting.quote(environment[name]!))\n"
        }
        text += "cd \(ShellQuoting.quote(FileManager.default.currentDirectoryPath)) || exit 2\n"
        text += command + "\n"
        try Data(text.utf8).write(to: directory.control.appendingPathComponent("job.sh"), options: .atomic)
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
