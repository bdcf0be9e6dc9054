import ArgumentParser

/// Benchmarks that print their figures beside a baseline measured in the same run.
@main
struct AblateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate-bench",
        abstract: "Measure Ablate's performance against a baseline in the same run.",
        subcommands: [
            ExpandBenchmark.self, IngestBenchmark.self, QueryBenchmark.self, DispatchBenchmark.self,
            ReportBenchmark.self, SlurmSubmitBenchmark.self, CollectBenchmark.self, DiskUsageBenchmark.self,
            ServeBenchmark.self,
        ]
    )
}
