import AblateExecution
import AblateTestSupport
import Foundation
import Testing

/// `ablate-wrap` delivers the signals it gets to the job's whole process group: a trainer that `sh -c`
/// started (as `cd DIR && python train.py` does) gets SIGUSR1 to checkpoint and SIGTERM to stop.
@Suite(.enabled(if: TestTools.python, "needs python3 for the trainer")) struct WrapperSignalTests {
    static var wrapper: String {
        AblateProcess.binary.deletingLastPathComponent().appendingPathComponent("ablate-wrap").path
    }

    func wait(for condition: () -> Bool) {
        for _ in 0..<200 where !condition() { usleep(50_000) }
    }

    @Test func aTrainerUnderShellGetsSIGUSR1AndSIGTERM() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let log = directory.appendingPathComponent("signals.txt")
        let trainer = """
            import signal, sys, time
            log = open(sys.argv[1], "a", buffering=1)
            signal.signal(signal.SIGUSR1, lambda *_: log.write("usr1\\n"))
            def stop(*_):
                log.write("term\\n"); sys.exit(0)
            signal.signal(signal.SIGTERM, stop)
            log.write("ready\\n")
            while True: time.sleep(0.05)
            """
        try trainer.write(to: directory.appendingPathComponent("train.py"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.wrapper)
        // Two commands, so that the shell cannot exec python in its own place: python is its child.
        process.arguments = [directory.path, "1", "cd '\(directory.path)' && python3 train.py signals.txt; echo done"]
        try process.run()
        func lines() -> [String] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        wait { lines().contains("ready") }
        kill(process.processIdentifier, SIGUSR1)
        wait { lines().contains("usr1") }
        #expect(lines() == ["ready", "usr1"])
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(lines() == ["ready", "usr1", "term"])
        let status = try #require(AttemptStatus.read(directory: directory, attempt: 1))
        // The shell got SIGTERM too: the job's group was signalled, once.
        #expect(status.termination == .signaled(SIGTERM) || status.termination == .exited(0))
        let start = try String(
            contentsOf: directory.appendingPathComponent(".ablate/attempts/1.start.json"), encoding: .utf8)
        #expect(start.contains("\"pid\": \(status.pid ?? -1)"))
    }
}
