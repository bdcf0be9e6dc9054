import AblateKit
import ArgumentParser
import Foundation

/// `ablate run SPEC`: record a sweep and run its missing jobs.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a sweep and run every job it needs that has not succeeded yet.",
        discussion: """
            Jobs that already succeeded (by key, from any sweep) are reused; failed ones run again. Stop it
            with Ctrl-C or kill it at any moment: running the same command again resumes exactly the missing
            work. Exit status 0 only when every job of the sweep succeeded.
            """
    )

    @Argument(help: "The sweep spec (YAML).")
    var spec: String

    @OptionGroup var dispatch: DispatchOptionGroup

    @OptionGroup var store: StoreOptions

    @Flag(help: "Local: start the orchestrator in the background and return at once.")
    var detach = false

    func run() async throws {
        if detach, dispatch.backend == .local {
            try await ErrorReporting.run { try detachSelf() }
            return
        }
        let code = try await ErrorReporting.run { () async throws -> Int32 in
            // An invalid spec is reported before anything (work directory, database) is created.
            let loaded = try SpecFile.load(spec)
            try JobDirectory.prepareWorkdir(dispatch.options().workdir)
            let database = try ResultStore(path: store.path)
            let recorded = try SweepLauncher.record(loaded, specPath: spec, store: database)
            ErrorReporting.printWarnings(loaded.warnings, source: loaded.spec.source)
            let reporter: any DispatchReporter = dispatch.backend == .local ? ProgressReporter() : LineReporter()
            LineReporter().event(
                "sweep '\(loaded.spec.name)': \(loaded.plan.runCount) runs, \(loaded.plan.jobCount) jobs "
                    + "(\(recorded.newJobs) new, \(recorded.existingJobs) already recorded)")
            for event in try Backends.ingestPending(
                store: database, keys: loaded.plan.stages.flatMap { $0.keys.map(\.hex) })
            {
                LineReporter().event(event)
            }
            let summary = try await Backends.make(dispatch.backend, store: database)
                .start(loaded.plan, options: dispatch.options(), reporter: reporter)
            LineReporter().event(summary.text)
            return summary.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Re-executes this command without `--detach` in a new session, logging to the work directory.
    private func detachSelf() throws {
        let log = URL(fileURLWithPath: dispatch.workdir).appendingPathComponent("orchestrator.log")
        try FileManager.default.createDirectory(
            at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let arguments = CommandLine.arguments.filter { $0 != "--detach" }
        let command =
            arguments.map(ShellQuoting.quote).joined(separator: " ") + " >> " + ShellQuoting.quote(log.path) + " 2>&1"
        let pid = try Backends.detach(command: command)
        print("started in the background (pid \(pid)); log: \(log.path)")
        print("follow it with 'tail -f \(log.path)' or 'ablate status'")
    }
}
