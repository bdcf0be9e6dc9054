import AblateKit
import ArgumentParser
import Foundation

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
            SQL.self, Report.self, Import.self, Collect.self, Du.self, GC.self, Serve.self,
        ]
    )

    /// Runs the command; invalid arguments exit with 2, like every other invalid input (ArgumentParser's
    /// own code for them is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
