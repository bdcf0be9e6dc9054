import AblateKit
import ArgumentParser
import Foundation

/// `ablate import`: record runs made outside Ablate so they can sit in the same tables.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import external results (JSON lines, a HELMET output directory, lm-eval results) as runs.",
        discussion: "Imported runs are marked external and have no jobs. Importing the same file again changes nothing."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, helmet
        case lmEval = "lm-eval"
    }

    @Argument(help: "Files (jsonl, lm-eval results*.json) or directories (helmet).")
    var files: [String]

    @Option(help: "jsonl, helmet or lm-eval.")
    var format: Format = .jsonl

    @Option(help: "The sweep to record the runs under (default: from each jsonl line, else 'helmet' or 'lm-eval').")
    var sweep: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            for file in files {
                guard FileManager.default.fileExists(atPath: file) else { throw ImportError.missing(file) }
                var batches: [String: [ExternalRun]] = [:]
                switch format {
                case .jsonl:
                    let text: String
                    do {
                        text = try SpecFile.read(file)
                    } catch {
                        throw ImportError.unreadable(
                            file, reason: "it is not a UTF-8 text file of JSON lines, or cannot be read")
                    }
                    batches = try JSONLImporter.runs(in: text, file: file, defaultSweep: sweep)
                case .helmet:
                    batches[sweep ?? "helmet"] = try HELMETImporter.runs(in: URL(fileURLWithPath: file))
                case .lmEval:
                    batches[sweep ?? "lm-eval"] = [try LMEvalImporter.run(in: URL(fileURLWithPath: file))]
                }
                for (name, runs) in batches.sorted(by: { $0.key < $1.key }) {
                    let summary = try database.importRuns(runs, sweep: name, source: file)
                    print(
                        "\(file): sweep '\(name)': \(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged"
                    )
                }
            }
        }
    }
}
