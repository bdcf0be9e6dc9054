import AblateKit
import ArgumentParser
import Foundation

/// `ablate logs JOB [--follow]`: a job's stdout and stderr.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a job's stdout and stderr (or follow them).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A job key or unique prefix (or a run ID: its last stage's job).")
    var id: String

    @Flag(name: .shortAndLong, help: "Keep printing new output until the job ends.")
    var follow = false

    @Flag(help: "Only stderr.")
    var stderr = false

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            let key: String
            switch try database.resolve(id: id) {
            case .job(let jobKey): key = jobKey
            case .run(let runID):
                guard let last = try database.runDetail(id: runID).jobs.last else { throw StoreError.unknownID(id) }
                key = last.key
            }
            var directory = try database.jobDetail(key: key).outputDir
            while directory == nil, follow, try [.new, .queued].contains(database.jobDetail(key: key).state) {
                try await Task.sleep(for: .milliseconds(300))
                directory = try database.jobDetail(key: key).outputDir
            }
            guard let directory else {
                throw ValidationError("job \(key.prefix(12)) has not run yet, so it has no logs; --follow waits for it")
            }
            let job = JobDirectory(url: URL(fileURLWithPath: directory))
            let files = (stderr ? [job.stderr] : [job.stdout, job.stderr]).map(\.path)
            try await LogFollower(files: files).run(follow: follow) {
                let state = try database.jobDetail(key: key).state
                return state == .running || state == .queued
            }
        }
    }
}
