import AblateCore
import AblateKit
@_spi(Benchmarks) import AblateStore
import ArgumentParser
import Foundation

/// `ablate-bench du`: `ablate du`'s walk over the job directories of a sweep of 100,000 jobs (each with a
/// checkpoint folder, a few files and Ablate's `.ablate/`), beside `du -sb` over the same tree, in the
/// same run.
struct DiskUsageBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "du",
        abstract: "Disk usage of many job directories; baseline: du -sb over the same tree."
    )

    @Option(help: "Job directories.")
    var jobs = 100_000

    @Option(help: "Repetitions; medians are reported.")
    var repeats = 3

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-bench-du-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec =
            "sweep: du\ngrid:\n  i: [" + (0..<jobs).map(String.init).joined(separator: ", ")
            + "]\nstages:\n  train: {run: \"train {params.i}\", uses: [i]}\n"
        let plan = try SpecLoader.load(yaml: spec, file: "du.yaml").plan
        let store = try ResultStore(path: directory.appendingPathComponent("ablate.db").path)
        _ = try store.record(plan: plan, specPath: "du.yaml", revision: nil)
        let root = directory.appendingPathComponent("jobs/train")
        let started = ContinuousClock.now
        var expected: UInt64 = 0
        for key in plan.stages[0].keys {
            let job = root.appendingPathComponent(key.hex)
            let checkpoint = job.appendingPathComponent("checkpoint-100")
            try FileManager.default.createDirectory(
                at: job.appendingPathComponent(".ablate/attempts"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
            let files: [(URL, Int)] = [
                (job.appendingPathComponent("metrics.jsonl"), 120), (job.appendingPathComponent("config.json"), 300),
                (checkpoint.appendingPathComponent("trainer_state.json"), 800),
                (job.appendingPathComponent(".ablate/config.json"), 400),
                (job.appendingPathComponent(".ablate/attempts/1.exit.json"), 60),
            ]
            for (url, size) in files {
                _ = FileManager.default.createFile(atPath: url.path, contents: Data(repeating: 120, count: size))
                expected += UInt64(size)
            }
        }
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE jobs SET output_dir = ? || '/' || key, state = 'succeeded'", arguments: [root.path])
        }
        print(
            "fixture: \(jobs) job directories, \(jobs * 5) files, built in \((ContinuousClock.now - started).seconds.formatted(1)) s"
        )
        var ours: [Double] = []
        var theirs: [Double] = []
        var ourBytes: UInt64 = 0
        var duBytes: UInt64 = 0
        for _ in 0..<repeats {
            let clock = ContinuousClock.now
            let report = try DiskUsage.report(store: store, by: .stage)
            ours.append((ContinuousClock.now - clock).seconds)
            ourBytes = report.bytes
            let duClock = ContinuousClock.now
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/du")
            process.arguments = ["-sb", root.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            theirs.append((ContinuousClock.now - duClock).seconds)
            duBytes = UInt64(String(decoding: data, as: UTF8.self).split(separator: "\t").first ?? "0") ?? 0
        }
        let ourMedian = ours.sorted()[ours.count / 2]
        let duMedian = theirs.sorted()[theirs.count / 2]
        print("times (s): ablate du \(ours.map { $0.formatted(3) }), du -sb \(theirs.map { $0.formatted(3) })")
        print(
            "ablate du: \(ourBytes) bytes (files only; expected \(expected)) in \(ourMedian.formatted(3)) s (median), including reading \(jobs) jobs from the database"
        )
        print("baseline du -sb: \(duBytes) bytes (files and directories) in \(duMedian.formatted(3)) s (median)")
        print("ratio: ablate du takes \((ourMedian / duMedian).formatted(2))x the baseline's time")
        guard ourBytes == expected else {
            throw ValidationError("ablate du counted \(ourBytes) bytes, not \(expected)")
        }
    }
}
