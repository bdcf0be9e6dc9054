import AblateCore
import AblateExecution
import AblateStore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateLocal

/// `observe` (what `ablate status` and `ablate sync` do for local jobs) over fake processes: attempts
/// whose orchestrator died are settled from their status files, never left "running" forever.
@Suite struct LocalBackendTests {
    struct Orphan {
        let store: ResultStore
        let clock = FakeClock()
        let host: FakeProcessHost
        let key: String
        let directory: URL

        init(holder: String = "deadhost:1:1") throws {
            let workdir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "ablate-obs-\(UUID().uuidString)")
            store = try ResultStore(path: workdir.appendingPathComponent("a.db").path)
            let plan = try SpecLoader.load(yaml: "sweep: t\nstages:\n  a: {run: train}\n", file: "s.yaml").plan
            _ = try store.record(plan: plan, specPath: nil, revision: nil)
            host = FakeProcessHost(clock: clock) { _ in .exits(0, after: 1) }
            key = plan.stages[0].keys[0].hex
            directory = workdir.appendingPathComponent("jobs/a/\(key)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            _ = try store.claim(
                jobKey: key, owner: holder, until: clock.now.addingTimeInterval(600), now: clock.now,
                isAlive: { _ in false })
            try store.setState(ofJob: key, to: .running, outputDir: directory.path)
            _ = try store.openAttempt(
                jobKey: key, number: 1, backend: .local, backendJobID: "777", pgid: 777, host: "fakehost",
                at: clock.now)
        }

        var backend: LocalBackend { LocalBackend(store: store, processes: host, clock: clock) }
        func record() throws -> JobRecord { try #require(try store.jobRecords(keys: [key])[key]) }
    }

    @Test func anAttemptThatFinishedUnwatchedIsRecordedFromItsExitFile() throws {
        let orphan = try Orphan()
        orphan.host.adopt(pid: 777, directory: orphan.directory, attempt: 1, behavior: .exits(0, after: 0))
        orphan.clock.advance(by: 1)
        let observation = try orphan.backend.observe(keys: nil)
        #expect(observation.open == 0)
        #expect(observation.events.first?.hasPrefix("succeeded a ") == true)
        #expect(try orphan.record().state == .succeeded)
        #expect(try orphan.record().attempts.map(\.state) == [.succeeded])
    }

    @Test func anAttemptWhoseSupervisorVanishedIsLostAndRunsAgainLater() throws {
        let orphan = try Orphan()
        orphan.host.adopt(pid: 777, directory: orphan.directory, attempt: 1, behavior: .vanishes(after: 0))
        orphan.clock.advance(by: 1)
        _ = try orphan.backend.observe(keys: [orphan.key])
        #expect(try orphan.record().state == .new)
        #expect(try orphan.record().attempts.map(\.state) == [.lost])
    }

    @Test func anAttemptStillSupervisedIsLeftOpen() throws {
        let orphan = try Orphan()
        orphan.host.adopt(pid: 777, directory: orphan.directory, attempt: 1, behavior: .exits(0, after: 100))
        #expect(try orphan.backend.observe(keys: nil).open == 1)
        #expect(try orphan.record().state == .running)
    }

    @Test func aLiveOrchestratorsAttemptIsItsOwn() throws {
        let orphan = try Orphan(holder: "otherhost:9:9")
        orphan.host.setOrchestratorAlive("otherhost:9:9")
        orphan.host.adopt(pid: 777, directory: orphan.directory, attempt: 1, behavior: .exits(0, after: 0))
        orphan.clock.advance(by: 1)
        #expect(try orphan.backend.observe(keys: nil).open == 1)
        #expect(try orphan.record().attempts.map(\.state) == [.running])
    }
}
