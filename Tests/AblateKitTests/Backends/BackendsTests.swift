import AblateCore
import AblateExecution
import AblateStore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateKit

/// Composition across backends, over fake ones: each backend gets exactly the jobs whose attempts it runs.
@Suite struct BackendsTests {
    static let spec = """
        sweep: t
        grid: {seed: [1, 2, 3]}
        stages:
          a: {uses: [seed], run: "train {params.seed}"}
          b: {after: [a], run: "eval {a.output}"}
        """

    func recorded() throws -> (ResultStore, SweepPlan) {
        let store = try ResultStore.inMemory()
        let plan = try SpecLoader.load(yaml: Self.spec, file: "s.yaml").plan
        _ = try store.record(plan: plan, specPath: nil, revision: nil)
        return (store, plan)
    }

    @Test func cancellationGoesToTheBackendThatRunsEachJob() throws {
        let (store, plan) = try recorded()
        let keys = plan.stage(named: "a")!.keys.map(\.hex)
        _ = try store.openAttempt(jobKey: keys[0], number: 1, backend: .slurm, backendJobID: "7", pgid: nil, host: nil)
        _ = try store.openAttempt(jobKey: keys[1], number: 1, backend: .local, backendJobID: "9", pgid: 9, host: nil)
        let fakes = Dictionary(
            uniqueKeysWithValues: BackendKind.allCases.map { ($0, FakeBackend(kind: $0, store: store)) })
        let stopped = try Backends.cancel(store: store, keys: keys) { fakes[$0]! }
        #expect(fakes[.slurm]!.log == ["cancel \(keys[0])"])
        #expect(fakes[.local]!.log == ["cancel " + [keys[1], keys[2]].sorted().joined(separator: ",")])
        #expect(stopped[.slurm] == [keys[0]])
    }

    @Test func observationAsksEveryBackend() throws {
        let (store, _) = try recorded()
        let fakes = Dictionary(
            uniqueKeysWithValues: BackendKind.allCases.map { ($0, FakeBackend(kind: $0, store: store)) })
        _ = try Backends.observe(store: store, keys: nil) { fakes[$0]! }
        #expect(BackendKind.allCases.allSatisfy { fakes[$0]!.log == ["observe all"] })
    }

    @Test func theFakeBackendRunsThePlanWithTheReadinessRule() async throws {
        let (store, plan) = try recorded()
        let fake = FakeBackend(kind: .local, store: store, failing: ["b"])
        let summary = try await fake.start(
            plan, options: DispatchOptions(workdir: URL(fileURLWithPath: "/tmp")), reporter: RecordingReporter())
        #expect(summary.exitCode == 1)
        let states = try store.jobRecords(keys: plan.stages.flatMap { $0.keys.map(\.hex) }).values.map(\.state)
        #expect(states.filter { $0 == .succeeded }.count == 3 && states.filter { $0 == .failed }.count == 3)
    }
}
