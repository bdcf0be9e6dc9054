import ArgumentParser
import Foundation

/// `ablate-bench slurm-submit`: submitting N jobs of one stage (equal resources) to the local Slurm
/// cluster with `ablate run --backend slurm`, as job arrays and as one sbatch per job, in the same run;
/// baseline: a shell loop of plain `sbatch --wrap` calls (what a bash script does, recording nothing).
/// The jobs are submitted held (`--hold`) so that only submission is measured; they are cancelled after.
struct SlurmSubmitBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm-submit",
        abstract: "Submit N held jobs to Slurm as arrays vs one sbatch per job; baseline: a shell sbatch loop."
    )

    @Option(help: "Number of jobs.")
    var jobs = 1000

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-slurm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tag = String(UUID().uuidString.prefix(8)).lowercased()
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ablate")
        let points = (0..<jobs).map(String.init).joined(separator: ", ")
        var timings: [(String, Double)] = []
        for (mode, flags) in [("arrays", [String]()), ("single", ["--no-arrays"])] {
            let sweep = "bench-\(mode)-\(tag)"
            let spec = """
                sweep: \(sweep)
                grid: {i: [\(points)]}
                stages:
                  noop: {uses: [i], run: "true \(mode)"}
                slurm: {sbatch: ["--hold"]}

                """
            try spec.write(to: directory.appendingPathComponent("\(mode).yaml"), atomically: true, encoding: .utf8)
            let start = ContinuousClock.now
            let status = try DispatchBenchmark.execute(
                binary.path, ["run", "\(mode).yaml", "--backend", "slurm", "--db", "\(mode).db"] + flags,
                in: directory)
            let seconds = (ContinuousClock.now - start).seconds
            guard status == 0 else { throw ValidationError("ablate run --backend slurm (\(mode)) exited \(status)") }
            timings.append((mode, seconds))
            _ = try DispatchBenchmark.execute(
                "/usr/bin/env", ["scancel", "--name", "ablate/\(sweep)/noop"], in: directory)
        }
        let loop = """
            i=0; while [ $i -lt \(jobs) ]; do
              sbatch --parsable --hold --job-name=bench-raw-\(tag) --output=/dev/null --wrap "true $i" >/dev/null || exit 1
              i=$((i + 1)); done
            """
        let start = ContinuousClock.now
        let status = try DispatchBenchmark.execute("/bin/sh", ["-c", loop], in: directory)
        let baseline = (ContinuousClock.now - start).seconds
        _ = try DispatchBenchmark.execute("/usr/bin/env", ["scancel", "--name", "bench-raw-\(tag)"], in: directory)
        guard status == 0 else { throw ValidationError("the sbatch loop failed") }

        let arrays = timings[0].1
        let single = timings[1].1
        print("submitting \(jobs) held jobs of one stage to the local Slurm cluster (ablate run --backend slurm):")
        print(
            "  as job arrays:        \(arrays.formatted(2)) s (\((arrays / Double(jobs) * 1000).formatted(2)) ms per job)"
        )
        print(
            "  one sbatch per job:   \(single.formatted(2)) s (\((single / Double(jobs) * 1000).formatted(2)) ms per job)"
        )
        print(
            "baseline, a shell loop of \(jobs) 'sbatch --wrap' (records nothing): \(baseline.formatted(2)) s")
        print(
            "ratio: arrays are \((single / arrays).formatted(1))x faster than one sbatch per job, "
                + "\((baseline / arrays).formatted(1))x faster than the shell loop")
    }
}
