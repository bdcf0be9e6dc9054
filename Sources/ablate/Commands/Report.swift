import AblateKit
import ArgumentParser
import Foundation

/// `ablate report`: a paper-style table.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a paper-style table from a report spec (or a default one for a sweep).",
        discussion:
            "Formats: markdown, latex (booktabs), csv (raw means, std, n), json, html (self-contained, with charts). "
            + "A spec's 'figure' (scores over training checkpoints) is embedded in html and written by --figure."
    )

    @Argument(help: "A report spec (YAML), e.g. reports/long-data-source.yaml.")
    var spec: String?

    @Option(help: "Build a default table for this sweep instead of a report spec.")
    var sweep: String?

    @Option(help: "markdown, latex, csv, json or html.")
    var format: String = "markdown"

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Also write the spec's figure over training to this file: FILE.svg, or FILE.pdf for papers.")
    var figure: String?

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await ErrorReporting.run {
            guard let format = ReportFormat(rawValue: format) else {
                throw ValidationError(
                    "format '\(format)' is not one of "
                        + ReportFormat.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
            }
            guard (spec == nil) != (sweep == nil) else {
                throw ValidationError("give a report spec file or --sweep NAME (one of them)")
            }
            let loader = ReportLoader(store: try store.openReadOnly())
            let curves = format == .html
            let table: ReportTable
            if let spec {
                table = try loader.table(for: ReportLoader.spec(at: spec), curves: curves)
            } else {
                table = try loader.defaultTable(sweep: sweep ?? "", curves: curves)
            }
            for warning in table.warnings { ErrorReporting.standardError("warning: \(warning)") }
            if let figure {
                guard let drawn = table.figure else { throw AblateError.noFigure(table.name) }
                try FigureExport.write(drawn, to: figure)
                ErrorReporting.standardError("wrote \(figure)")
            }
            let text = format.renderer.render(table)
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
                ErrorReporting.standardError("wrote \(output)")
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
