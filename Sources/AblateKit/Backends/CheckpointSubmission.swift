import AblateCore
import AblateExecution
import AblateSlurm
import AblateStore
import Foundation

/// What `ablate sync` (and `ablate status`) does for a sweep that fans out over the checkpoints of trainings
/// submitted to Slurm: submit-and-leave submits the last checkpoint's jobs with a dependency on the
/// training, and leaves those of intermediate checkpoints, which no dependency can express, for later;
/// this submits them once their checkpoint is ready (as arrays where there are several), with their
/// downstream jobs, and never a job twice.
public enum CheckpointSubmission {
    /// Submits the never-submitted jobs of the fanned-out stages of `sweeps` (default: every sweep)
    /// whose checkpoints are ready; returns how many it submitted.
    public static func submitReady(
        store: ResultStore, sweeps: [String]? = nil, client: any SlurmClient = SlurmCommandClient(),
        wrapper: String? = nil, report: @escaping (String) -> Void
    ) throws -> Int {
        var submitted = 0
        for name in try sweeps ?? store.sweepNames() {
            guard let sweep = try FannedOutSweep(name, store: store) else { continue }
            let (plan, fanOut) = (sweep.plan, sweep.fanOut)
            let keys = plan.stages.flatMap { $0.keys.map(\.hex) }
            let records = try store.jobRecords(keys: keys)
            // Only sweeps whose trainings went to Slurm, from the directory they were submitted from.
            guard let source = plan.stage(named: fanOut.source),
                let training = source.keys.lazy.compactMap({ records[$0.hex] }).first(where: {
                    $0.attempts.contains { $0.backend == .slurm }
                }), let outputDir = training.outputDir
            else { continue }
            let workdir = URL(fileURLWithPath: outputDir).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let pending = Set(
                plan.stages.filter { fanOut.stages.contains($0.name) }.flatMap(\.keys).map(\.hex).filter {
                    guard let record = records[$0] else { return true }
                    return record.state == .new && record.attempts.isEmpty
                })
            guard !pending.isEmpty else { continue }
            let submitter = SlurmSubmitter(
                store: store, client: client, workdir: workdir,
                options: .init(resubmitCancelled: false, wrapper: wrapper ?? WrapperLocation.resolve()),
                provenance: GitCodeProvenance(), report: report)
            submitted += try submitter.submit(plan: plan, reconcile: false, only: pending).submitted
        }
        return submitted
    }
}
