import AblateKit
import ArgumentParser

/// The `ablate` command: ablation studies for long-context language-model training.
@main
struct Ablate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Run ablation sweeps (pretrain -> sft -> eval), record their results, and build paper-style tables.",
        version: "0.1.0",
        subcommands: [
            Plan.self, Run.self, Status.self, Sync.self, Logs.self, Cancel.self, Retry.self, Runs.self, Show.self,
            Diff.self,
            SQL.self, Report.self, Import.self,
        ]
    )
}
