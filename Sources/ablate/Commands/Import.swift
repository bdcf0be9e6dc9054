import AblateKit
import ArgumentParser
import Foundation

/// `ablate import`: record runs made outside Ablate so they can sit in the same tables.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import external results (JSON lines, HELMET output, lm-eval results) as runs.",
        discussion: """
            HELMET and lm-eval results are read by the same readers as a sweep's 'collect:' (docs/spec-format.md): \
            one run per evaluated model, HELMET's values per input length. Imported runs are marked external and \
            have no jobs; importing the same files again changes nothing. With --match, the values are attached \
            instead to the runs of --sweep that the condition selects (stage 'import').
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, helmet
        case lmEval = "lm-eval"
    }

    @Argument(help: "Files (jsonl, lm-eval results_*.json) or folders (HELMET output, an lm-eval --output_path).")
    var files: [String]

    @Option(help: "jsonl, helmet or lm-eval.")
    var format: Format = .jsonl

    @Option(help: "The sweep to record the runs under (default: from each jsonl line, else 'helmet' or 'lm-eval').")
    var sweep: String?

    @Option(help: "HELMET: the --tag of the files to read (default v1, as HELMET's scripts run).")
    var tag: String?

    @Option(help: "HELMET: the --seed of the files to read (default 42, eval.py's).")
    var seed: Int?

    @Option(
        help: ArgumentHelp(
            "Attach the values to the existing runs of --sweep that this --where condition selects.",
            valueName: "where"))
    var match: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await ErrorReporting.run {
            if match != nil, sweep == nil {
                throw ValidationError("--match attaches values to a sweep's runs; name the sweep with --sweep")
            }
            if match != nil, format == .jsonl {
                throw ValidationError(
                    "--match works with --format helmet or lm-eval; jsonl lines name their sweep and params")
            }
            let database = try ResultStore(path: store.path)
            for file in files {
                guard FileManager.default.fileExists(atPath: file) else { throw ImportError.missing(file) }
                var batches: [String: [ExternalRun]] = [:]
                var warnings: [String] = []
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
                    let read = try HELMETImporter.runs(in: URL(fileURLWithPath: file), tag: tag, seed: seed)
                    batches[sweep ?? "helmet"] = read.runs
                    warnings = read.warnings
                case .lmEval:
                    let read = try LMEvalImporter.runs(in: URL(fileURLWithPath: file))
                    batches[sweep ?? "lm-eval"] = read.runs
                    warnings = read.warnings
                }
                for warning in warnings { ErrorReporting.standardError("warning: \(warning)") }
                if let match, let sweep, let runs = batches[sweep] {
                    try attach(runs, to: sweep, where: match, file: file, database: database)
                    continue
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

    private func attach(
        _ runs: [ExternalRun], to sweep: String, where condition: String, file: String, database: ResultStore
    ) throws {
        guard runs.count == 1, let run = runs.first else {
            let models = runs.compactMap { $0.params["model"]?.description }.joined(separator: ", ")
            throw ValidationError(
                "\(file) holds results of \(runs.count) models (\(models)); --match attaches one model's results, so import one folder at a time"
            )
        }
        guard try database.sweepNames().contains(sweep) else { throw ExecutionError.unknownSweep(sweep) }
        let targets = try database.runs(sweep: sweep, where: condition)
        guard !targets.isEmpty else {
            throw ValidationError(
                "no run of sweep '\(sweep)' matches '\(condition)'; 'ablate runs --sweep \(sweep)' lists them")
        }
        let attached = try database.attachImported(run, toRuns: targets.map(\.id))
        print("\(file): \(attached) run(s) of sweep '\(sweep)' got its values (stage 'import')")
    }
}
