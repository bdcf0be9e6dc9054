import AblateCore
import AblateKit
import AblateStore
import ArgumentParser
import Foundation

extension Run {
    /// `--backend slurm`: submit the missing jobs and return (or watch them with `--watch`).
    func runOnSlurm() async throws {
        // One line per event, unbuffered, even into a file or a pipe (`--watch > log`).
        let say: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
        let code = try await ErrorReporting.run { () throws -> Int32 in
            let database = try ResultStore(path: store.path)
            let (loaded, recorded) = try SweepLauncher.record(specPath: spec, store: database)
            ErrorReporting.printWarnings(loaded.warnings, source: loaded.spec.source)
            say(
                "sweep '\(loaded.spec.name)': \(loaded.plan.runCount) runs, \(loaded.plan.jobCount) jobs "
                    + "(\(recorded.newJobs) new, \(recorded.existingJobs) already recorded)")
            let submitter = SlurmSubmitter(
                store: database, client: SlurmCommandClient(),
                workdir: URL(fileURLWithPath: workdir).standardizedFileURL,
                options: .init(maxRunning: maxRunning, arrays: !noArrays, wrapper: LocalBackend().wrapper),
                report: say)
            let summary = try submitter.submit(plan: loaded.plan)
            say(summary.text)
            guard watch else {
                say("follow it with 'ablate status \(loaded.spec.name)' (reconciles with Slurm) or 'ablate sync'")
                return summary.refused > 0 ? 1 : 0
            }
            let counts = try SlurmWatcher(submitter: submitter, poll: poll).watch(plan: loaded.plan)
            let text = JobState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            say("done: " + text.joined(separator: ", "))
            return counts.keys.allSatisfy { $0 == .succeeded } ? 0 : 1
        }
        if code != 0 { throw ExitCode(code) }
    }
}
