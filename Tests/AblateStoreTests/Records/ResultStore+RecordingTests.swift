import AblateCore
import Foundation
import GRDB
import Testing

@_spi(Benchmarks) @testable import AblateStore

@Suite struct ResultStoreRecordingTests {
    @Test func recordsRunsJobsParamsAndSharedUpstreams() throws {
        let store = try ResultStore.inMemory()
        let sweep = try plan(twoStageSpec)
        let summary = try store.record(plan: sweep, specPath: "sweeps/lengths.yaml", revision: nil)
        #expect(summary.newRuns == 8)
        #expect(summary.newJobs == 4 + 8)
        #expect(summary.existingJobs == 0)
        func value<T: DatabaseValueConvertible>(_ sql: String, as type: T.Type = T.self) throws -> T? {
            try store.database.read { try T.fetchOne($0, sql: sql) }
        }
        #expect(try value("SELECT COUNT(*) FROM runs", as: Int.self) == 8)
        #expect(try value("SELECT COUNT(*) FROM run_params", as: Int.self) == 8 * 4)
        #expect(try value("SELECT COUNT(*) FROM jobs", as: Int.self) == 12)
        #expect(try value("SELECT COUNT(*) FROM job_upstreams", as: Int.self) == 8)
        #expect(try value("SELECT COUNT(DISTINCT job_id) FROM run_jobs WHERE stage = 'pretrain'", as: Int.self) == 4)
        #expect(
            try value("SELECT value_text FROM run_params WHERE name = 'long_data' LIMIT 1", as: String.self)
                == "book-65536@0.6")
        #expect(try value("SELECT label FROM run_params WHERE name = 'long_data' LIMIT 1", as: String.self) == "books")
        #expect(
            try value("SELECT MAX(value_num) FROM run_params WHERE name = 'train_length'", as: Double.self) == 524288)
        #expect(try value("SELECT spec_path FROM sweeps", as: String.self) == "sweeps/lengths.yaml")
    }

    @Test func recordingAgainDuplicatesNothingAndAnotherSweepSharesJobs() throws {
        let store = try ResultStore.inMemory()
        _ = try store.record(plan: try plan(twoStageSpec), specPath: nil, revision: nil)
        let again = try store.record(plan: try plan(twoStageSpec), specPath: nil, revision: nil)
        #expect(again.newRuns == 0 && again.existingRuns == 8 && again.newJobs == 0 && again.existingJobs == 12)
        let other = twoStageSpec.replacingOccurrences(of: "sweep: lengths", with: "sweep: other")
            .replacingOccurrences(of: "seed: [1, 2]", with: "seed: [1, 3]")
        let shared = try store.record(plan: try plan(other), specPath: nil, revision: nil)
        #expect(shared.newRuns == 8)
        #expect(shared.existingJobs == 4 + 4)  // all pretrain jobs, and the seed-1 eval jobs
        #expect(shared.newJobs == 4)
    }

    @Test func runsDroppedFromTheSpecAreKeptButNotCurrent() throws {
        let store = try ResultStore.inMemory()
        _ = try store.record(plan: try plan(twoStageSpec), specPath: nil, revision: nil)
        let smaller = twoStageSpec.replacingOccurrences(of: "seed: [1, 2]", with: "seed: [1]")
        _ = try store.record(plan: try plan(smaller), specPath: nil, revision: nil)
        #expect(try store.runs(sweep: "lengths").count == 4)
        #expect(try store.runs(sweep: "lengths", includeRetired: true).count == 8)
    }

    @Test func runStatusFollowsJobStates() throws {
        let store = try ResultStore.inMemory()
        let sweep = try plan(twoStageSpec)
        _ = try store.record(plan: sweep, specPath: nil, revision: nil)
        let run = sweep.run(0)
        #expect(try store.runs(where: "id = \(run.id.hex)").first?.status == .pending)
        try store.setState(ofJob: run.jobs[0].hex, to: .succeeded)
        try store.setState(ofJob: run.jobs[1].hex, to: .running)
        #expect(try store.runs(where: "id = \(run.id.hex)").first?.status == .running)
        try store.setState(ofJob: run.jobs[1].hex, to: .succeeded)
        #expect(try store.runs(where: "id = \(run.id.hex)").first?.status == .succeeded)
        #expect(try store.succeededJobKeys(among: sweep.stages.flatMap(\.keys)) == Set(run.jobs))
        try store.setState(ofJob: run.jobs[0].hex, to: .failed)
        #expect(try store.runs(where: "id = \(run.id.hex)").first?.status == .failed)
    }

    @Test func runsOfALaterSweepGetTheResultsOfJobsTheyReuse() throws {
        let store = try ResultStore.inMemory()
        let first = try plan(twoStageSpec)
        _ = try store.record(plan: first, specPath: nil, revision: nil)
        let directory = try TemporaryDirectory()
        let file = directory.path("metrics.jsonl")
        try append("{\"recall\": 77}\n", to: file)
        try store.ingestMetrics(jobKey: first.run(0).jobs[1].hex, file: file)
        let later = twoStageSpec.replacingOccurrences(of: "sweep: lengths", with: "sweep: later")
        _ = try store.record(plan: try plan(later), specPath: nil, revision: nil)
        let runs = try store.runs(sweep: "later", where: "metric.recall = 77")
        #expect(runs.count == 1)
        #expect(runs.first?.params == first.run(0).paramValues)
    }
}
