import AblateCore
import ArgumentParser
import Foundation

/// `ablate-bench dispatch`: orchestration overhead per job for 1,000 trivial jobs (`true`) with
/// `--jobs 2`, against `xargs -P 2` running the same commands.
struct DispatchBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Run N trivial jobs with ablate run --jobs 2; baseline: xargs -P 2 running the same commands."
    )

    @Option(help: "Number of jobs.")
    var jobs = 1000

    @Option(help: "Parallel jobs.")
    var parallel = 2

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-dispatch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec =
            "sweep: dispatch\ngrid:\n  i: [" + (0..<jobs).map(String.init).joined(separator: ", ")
            + "]\nstages:\n  noop: {run: \"true\", uses: [i]}\n"
        try spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)

        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "ablate")
        let start = ContinuousClock.now
        let status = try Self.execute(binary.path, ["run", "s.yaml", "--jobs", String(parallel)], in: directory)
        let wall = (ContinuousClock.now - start).seconds
        guard status == 0 else { throw ValidationError("ablate run exited \(status)") }
        // The jobs' own run time: what ablate-wrap measured around each command.
        var own = 0.0
        let root = directory.appendingPathComponent(".ablate/jobs/noop")
        for job in try FileManager.default.contentsOfDirectory(atPath: root.path) {
            let attempts = root.appendingPathComponent(job).appendingPathComponent("attempts")
            guard
                case .object(let started)? = try? JSONParser.parse(
                    String(contentsOf: attempts.appendingPathComponent("1.start.json"), encoding: .utf8)),
                case .object(let ended)? = try? JSONParser.parse(
                    String(contentsOf: attempts.appendingPathComponent("1.exit.json"), encoding: .utf8)),
                let a = started["started_at"]?.numberValue, let b = ended["ended_at"]?.numberValue
            else { continue }
            own += b - a
        }
        let overhead = (wall - own / Double(parallel)) / Double(jobs)

        let commands = directory.appendingPathComponent("commands")
        try String(repeating: "true\n", count: jobs).write(to: commands, atomically: true, encoding: .utf8)
        let baselineStart = ContinuousClock.now
        _ = try Self.execute("/bin/sh", ["-c", "xargs -P \(parallel) -I{} sh -c {} < commands"], in: directory)
        let baseline = (ContinuousClock.now - baselineStart).seconds

        print(
            "ablate run --jobs \(parallel), \(jobs) jobs of 'true': \(wall.formatted(2)) s wall, "
                + "jobs' own run time \(own.formatted(2)) s (sum)")
        print(
            "  orchestration overhead per job: \((overhead * 1000).formatted(2)) ms "
                + "((wall - own / \(parallel)) / jobs); wall per job \((wall / Double(jobs) * 1000).formatted(2)) ms")
        print(
            "baseline (xargs -P \(parallel) sh -c true): \(baseline.formatted(2)) s wall = "
                + "\((baseline / Double(jobs) * 1000).formatted(2)) ms per job")
        print("ratio: ablate's wall time is \((wall / baseline).formatted(1))x xargs' (which records nothing)")
    }

    static func execute(_ path: String, _ arguments: [String], in directory: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
