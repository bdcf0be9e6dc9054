import AblateKit
import ArgumentParser
import Foundation

/// `ablate du [SWEEP|JOB]`: disk used by job directories, shared jobs counted once.
struct Du: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "du",
        abstract: "Show the disk used by job directories (checkpoints, models, logs), shared jobs counted once.",
        discussion: """
            Bytes are the apparent sizes of regular files, each hard-linked file once, symbolic links not \
            followed. Grouped by sweep, a job two sweeps share counts in each, and the total once.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name, or a job key (or unique prefix); default: every sweep.")
    var target: String?

    @Option(help: "Group by stage, sweep or job.")
    var by: DiskUsage.Grouping = .stage

    @Flag(help: "Print JSON: the total as 'bytes', and the same per entry.")
    var json = false

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            var sweep: String?
            var job: String?
            if let target {
                if try database.sweepNames().contains(target) {
                    sweep = target
                } else if case .job(let key) = try database.resolve(id: target) {
                    job = key
                } else {
                    throw ValidationError("'\(target)' is a run, not a sweep or job; give a sweep name or a job key")
                }
            }
            let report = try DiskUsage.report(store: database, sweep: sweep, job: job, by: by)
            print(json ? DiskUsageText.json(report, by: by) : DiskUsageText.text(report, by: by))
        }
    }
}

extension DiskUsage.Grouping: ExpressibleByArgument {}
