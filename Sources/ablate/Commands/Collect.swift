import AblateKit
import ArgumentParser

/// `ablate collect [SWEEP|JOB]`: read the evaluators' and trainers' result files of jobs again.
struct Collect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the results that stages' 'collect:' names (HELMET, lm-eval, HF Trainer) again.",
        discussion: """
            Results are collected by themselves when a job succeeds (training logs also while it runs); this
            collects again on demand, for results produced or fixed by hand. Each collector's earlier values
            are replaced in one transaction, so nothing is ever recorded twice.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name, or a job key or unique prefix (default: every job with collectors).")
    var target: String?

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            var sweep: String?
            var job: String?
            if let target {
                if try database.sweepNames().contains(target) {
                    sweep = target
                } else if case .job(let key) = try? database.resolve(id: target) {
                    job = key
                } else {
                    throw ValidationError(
                        "'\(target)' is neither a sweep nor a job; give a sweep name ('ablate runs' lists them) or a job key prefix ('ablate show RUN' lists a run's jobs)"
                    )
                }
            }
            let outcome = try Recollection.run(store: database, sweep: sweep, jobKey: job)
            for event in outcome.events { print(event) }
            for skipped in outcome.skipped { print("skipped \(skipped)") }
            print("\(outcome.collected) job(s) collected" + (outcome.failed > 0 ? ", \(outcome.failed) failed" : ""))
            if outcome.failed > 0 { throw ExitCode(1) }
        }
    }
}
