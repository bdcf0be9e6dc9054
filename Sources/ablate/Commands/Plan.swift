import AblateKit
import ArgumentParser
import Foundation

/// `ablate plan SPEC`: shows the runs and jobs a sweep means before anything runs.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a sweep spec and show its runs, jobs per stage, shared jobs and jobs already done.",
        discussion: "Exit status 2 means the spec is invalid; every problem is listed as FILE:LINE:COL: error: MESSAGE."
    )

    @Argument(help: "The sweep spec (YAML), e.g. sweeps/long-data-source.yaml.")
    var spec: String

    @Flag(help: "Print every run and job as JSON.")
    var json = false

    @Option(help: "How many runs and jobs to list in the text output.")
    var limit = 40

    @OptionGroup var store: StoreOptions

    func validate() throws {
        try DispatchOptionGroup.check(limit, "--limit", 0...Int(Int32.max))
    }

    func run() async throws {
        try await ErrorReporting.run {
            let loaded = try SpecFile.load(spec)
            ErrorReporting.printWarnings(loaded.warnings, source: loaded.spec.source)
            var done: Set<Digest> = []
            var database: ResultStore?
            if FileManager.default.fileExists(atPath: store.path) {
                let opened = try store.openReadOnly()
                database = opened
                done = try opened.succeededJobKeys(among: loaded.plan.stages.flatMap(\.keys))
                for warning in try CodeDrift.warnings(
                    plan: loaded.plan, doneKeys: done, store: opened, provenance: GitCodeProvenance())
                {
                    ErrorReporting.standardError("warning: " + warning)
                }
            }
            let summary = PlanSummary(plan: loaded.plan, doneKeys: done)
            print(json ? summary.json() : summary.text(limit: limit))
            if !json {
                print(try Forecast.estimate(plan: loaded.plan, done: done, store: database).text)
            }
        }
    }
}
