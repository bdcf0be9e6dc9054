import AblateCore
import AblateExecution
import Foundation
import Testing

/// The status files `ablate-wrap` writes, read back as every backend reads them.
@Suite struct AttemptStatusTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("attempts"), withIntermediateDirectories: true)
        return url
    }

    @Test func anAttemptThatNeverStartedHasNoStatus() throws {
        #expect(AttemptStatus.read(directory: try directory(), attempt: 1) == nil)
    }

    @Test func statusFilesAreReadFromAblatesOwnFolderInTheJobDirectory() throws {
        let url = try directory()
        let control = url.appendingPathComponent(".ablate/attempts")
        try FileManager.default.createDirectory(at: control, withIntermediateDirectories: true)
        try #"{"wrapper_pid": 51, "pid": 52, "host": "n2", "started_at": 10}"#.write(
            to: control.appendingPathComponent("1.start.json"), atomically: true, encoding: .utf8)
        // A trainer's own attempts/ (or config.json) at the top changes nothing.
        try #"{"wrapper_pid": 1, "pid": 1}"#.write(
            to: url.appendingPathComponent("attempts/1.start.json"), atomically: true, encoding: .utf8)
        #expect(AttemptStatus.read(directory: url, attempt: 1)?.pid == 52)
        #expect(JobDirectory(url: url).config.path == url.path + "/.ablate/config.json")
        #expect(JobDirectory(url: url).stderr.path == url.path + "/.ablate/stderr.log")
    }

    /// A job directory of an earlier Ablate (status files at the top, no `.ablate/`) is still read.
    @Test func startAndExitFilesGiveTheProcessesTimesAndTermination() throws {
        let url = try directory()
        try #"{"wrapper_pid": 41, "pid": 42, "host": "n1", "started_at": 100.5}"#.write(
            to: url.appendingPathComponent("attempts/2.start.json"), atomically: true, encoding: .utf8)
        let started = try #require(AttemptStatus.read(directory: url, attempt: 2))
        #expect(started.wrapperPID == 41 && started.pid == 42 && started.host == "n1")
        #expect(started.startedAt == Date(timeIntervalSince1970: 100.5) && started.termination == nil)
        try #"{"signal": 15, "ended_at": 107}"#.write(
            to: url.appendingPathComponent("attempts/2.exit.json"), atomically: true, encoding: .utf8)
        let ended = try #require(AttemptStatus.read(directory: url, attempt: 2))
        #expect(ended.termination == .signaled(15) && ended.endedAt == Date(timeIntervalSince1970: 107))
    }

    @Test(arguments: ["ABLATE_INPUT_SFT_LONG"])
    func stageNamesBecomeEnvironmentNames(_ expected: String) {
        #expect("ABLATE_INPUT_" + JobDirectory.environmentName("sft-long") == expected)
    }
}
