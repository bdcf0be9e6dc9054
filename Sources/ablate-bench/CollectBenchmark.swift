import AblateCollect
import AblateCore
import AblateExecution
@_spi(Benchmarks) import AblateStore
import ArgumentParser
import Foundation

/// `ablate-bench collect`: collecting the HELMET results of 100 jobs (every dataset of HELMET's short
/// configs at two lengths each) into the results database, beside HELMET's own collection logic in Python
/// (`scripts/bench/helmet_collect_baseline.py`) over the same folders, in the same run.
struct CollectBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect HELMET results of many jobs; baseline: HELMET's collection logic in Python."
    )

    @Option(help: "Jobs, each with a folder of HELMET results.")
    var jobs = 100

    @Option(help: "Repetitions; medians are reported.")
    var repeats = 3

    static let packageRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/",
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ablate-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let standIn = Self.packageRoot.appendingPathComponent("scripts/standins/helmet")
        let template = directory.appendingPathComponent("template")
        for config in ["recall", "rag", "rerank", "icl", "longqa", "summ", "cite", "ruler"] {
            try python(
                standIn.appendingPathComponent("eval.py").path,
                [
                    "--config", standIn.appendingPathComponent("configs/\(config)_short.yaml").path,
                    "--model_name_or_path", "/models/bench", "--tag", "v1", "--output_dir",
                    directory.appendingPathComponent("output/bench").path,
                ], in: standIn)  // eval.py reads its data files relative to the checkout
        }
        for script in ["eval_gpt4_longqa.py", "eval_gpt4_summ.py"] {
            try python(
                standIn.appendingPathComponent("scripts/\(script)").path, ["--model_to_check", "bench"], in: directory)
        }
        // Keep 32K and 64K: every dataset at two lengths.
        try FileManager.default.createDirectory(at: template, withIntermediateDirectories: true)
        let generated = directory.appendingPathComponent("output/bench")
        var files = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: generated.path)
        where name.contains("_in32768_") || name.contains("_in65536_") {
            try FileManager.default.copyItem(
                at: generated.appendingPathComponent(name), to: template.appendingPathComponent(name))
            files += 1
        }
        let spec =
            "sweep: collect\ngrid:\n  i: [" + (0..<jobs).map(String.init).joined(separator: ", ")
            + "]\nstages:\n  eval: {run: \"eval {params.i}\", uses: [i], collect: [{helmet: helmet/}]}\n"
        let plan = try SpecLoader.load(yaml: spec, file: "bench.yaml").plan
        var folders: [(key: String, directory: URL)] = []
        for job in 0..<plan.stages[0].jobCount {
            let jobDirectory = directory.appendingPathComponent("jobs/\(job)")
            try FileManager.default.createDirectory(at: jobDirectory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: template, to: jobDirectory.appendingPathComponent("helmet"))
            folders.append((plan.stages[0].keys[job].hex, jobDirectory))
        }

        var readTimes: [Double] = []
        var ablateTimes: [Double] = []
        var baselineTimes: [Double] = []
        var recorded = 0
        var baselineValues = 0
        for repetition in 0..<repeats {
            let readStart = ContinuousClock.now
            for folder in folders {
                _ = try HELMETCollector().collect(
                    in: folder.directory.appendingPathComponent("helmet"),
                    as: JobCollector(kind: .helmet, path: "helmet"))
            }
            readTimes.append((ContinuousClock.now - readStart).seconds)
            let store = try ResultStore(path: directory.appendingPathComponent("ablate-\(repetition).db").path)
            _ = try store.record(plan: plan, specPath: nil, revision: nil)
            let start = ContinuousClock.now
            for folder in folders {
                _ = try ResultIngestion.ingest(
                    store: store, jobKey: folder.key, directory: folder.directory, final: true, succeeded: true)
            }
            ablateTimes.append((ContinuousClock.now - start).seconds)
            recorded = try store.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM job_values") ?? 0 }

            let baseline = try Measurements.runPython(
                Self.packageRoot.appendingPathComponent("scripts/bench/helmet_collect_baseline.py").path,
                arguments: [standIn.appendingPathComponent("configs").path]
                    + folders.map { $0.directory.appendingPathComponent("helmet").path } + [
                        "--lengths", "32768,65536", "--time",
                    ])
            baselineTimes.append(baseline["seconds"] as? Double ?? .nan)
            baselineValues = baseline["values"] as? Int ?? 0
        }
        let ablate = ablateTimes.sorted()[repeats / 2]
        let baseline = baselineTimes.sorted()[repeats / 2]
        print("jobs: \(jobs), each with \(files) HELMET files (every dataset of the short configs at 32768 and 65536)")
        print(
            "times (s): ablate \(ablateTimes.map { $0.formatted(3) }), baseline \(baselineTimes.map { $0.formatted(3) })"
        )
        print(
            "ablate: \(recorded) values in \(ablate.formatted(3)) s (median) = \((Double(jobs) / ablate).formatted(1)) jobs/s "
                + "(read, scored, recorded in the database with every run's values, one transaction per job); "
                + "reading and scoring alone: \(readTimes.sorted()[repeats / 2].formatted(3)) s")
        print(
            "baseline (HELMET's collect_results.py logic, Python, no database): \(baselineValues) values in "
                + "\(baseline.formatted(3)) s (median) = \((Double(jobs) / baseline).formatted(1)) jobs/s")
        print("ratio: ablate takes \((ablate / baseline).formatted(2))x the baseline's time")
    }

    private func python(_ script: String, _ arguments: [String], in directory: URL) throws {
        // The judge scripts need an OpenAI key, as HELMET's do; the stand-in never sends anything.
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_API_KEY"] = environment["OPENAI_API_KEY"] ?? "stand-in"
        let result = try ProcessRunner().run("python3", [script] + arguments, in: directory, environment: environment)
        guard result.status == 0 else { throw ValidationError("\(script) failed: \(result.error)") }
    }
}
