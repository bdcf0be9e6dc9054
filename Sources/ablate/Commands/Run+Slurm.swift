import AblateCore
import AblateKit
import AblateStore
import ArgumentParser
import Foundation

extension Run {
    /// `--backend slurm`: submit the missing jobs and return (or watch them with `--watch`).
    func runOnSlurm() async throws {
        let code = try await ErrorReporting.run { () throws -> Int32 in
            let database = try ResultStore(path: store.path)
            let (loaded, recorded) = try SweepLauncher.record(specPath: spec, store: database)
            ErrorReporting.printWarnings(loaded.warnings, source: loaded.spec.source)
            print(
                "sweep '\(loaded.spec.name)': \(loaded.plan.runCount) runs, \(loaded.plan.jobCount) jobs "
                    + "(\(recorded.newJobs) new, \(recorded.existingJobs) already recorded)")
            let submitter = SlurmSubmitter(
                store: database, client: SlurmCommandClient(),
                workdir: URL(fileURLWithPath: workdir).standardizedFileURL,
                options: .init(maxRunning: maxRunning, arrays: !noArrays, wrapper: LocalBackend().wrapper),
                report: { print($0) })
            let summary = try submitter.submit(plan: loaded.plan)
            print(summary.text)
            guard watch else {
                print("follow it with 'ablate status \(loaded.spec.name)' (reconciles with Slurm) or 'ablate sync'")
                return summary.refused > 0 ? 1 : 0
            }
            let counts = try SlurmWatcher(submitter: submitter, poll: poll).watch(plan: loaded.plan)
            let text = JobState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            print("done: " + text.joined(separator: ", "))
            return counts.keys.allSatisfy { $0 == .succeeded } ? 0 : 1
        }
        if code != 0 { throw ExitCode(code) }
    }
}
