import AblateTestSupport
import Foundation
import Testing

/// The LaTeX table compiles with pdflatex and the HTML report renders in headless Chromium with
/// content (tools installed by scripts/setup-report-tools.sh).
@Suite(.serialized) struct ReportToolsTests {
    /// A directory with imported ablation-shaped results and a report spec.
    static func setUp() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        var lines: [String] = []
        for (index, source) in ["code_repos", "books", "code_repos+books"].enumerated() {
            for seed in 1...3 {
                for length in [32768, 65536] {
                    let base = Double(index * 3 + seed) + (length == 65536 ? -4 : 0)
                    lines.append(
                        #"{"sweep": "long_data_100%", "params": {"long_data": "\#(source)", "seed": \#(seed), "eval_length": \#(length)}, "#
                            + #""metrics": {"recall": \#(70 + base), "rag": \#(50 + base / 2), "hellaswag": \#(80 - base / 10)}}"#
                    )
                }
            }
        }
        try lines.joined(separator: "\n").write(
            to: directory.appendingPathComponent("r.jsonl"), atomically: true, encoding: .utf8)
        try """
        report: long_data & #1
        title: "Long-data source: 100% of 5B tokens"
        caption: "mean ± std over 3 seeds; best_in_bold"
        from: {sweep: long_data_100%}
        rows: {by: long_data}
        columns:
          - group: Long-context
            columns:
              - {metric: recall, label: Recall}
              - {metric: rag, label: RAG_%}
              - {mean: [Recall, RAG_%], label: Long Avg.}
          - group: Short
            columns:
              - {metric: hellaswag, label: "HellaS. #"}
        aggregate: {over: [seed], average_over: [eval_length], show: mean±std}
        highlight: {best: bold, second: underline}
        baseline: code_repos

        """.write(to: directory.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let imported = try AblateProcess.run(["import", "r.jsonl"], in: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        return directory
    }

    @Test(.enabled(if: TestTools.pdflatex, "pdflatex is missing; run scripts/setup-report-tools.sh"))
    func latexCompilesWithPdflatex() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/pdflatex"), "run scripts/setup-report-tools.sh")
        let directory = try Self.setUp()
        let report = try AblateProcess.run(["report", "r.yaml", "--format", "latex", "-o", "table.tex"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        try """
        \\documentclass{article}
        \\usepackage{booktabs}
        \\begin{document}
        \\input{table.tex}
        \\end{document}

        """.write(to: directory.appendingPathComponent("paper.tex"), atomically: true, encoding: .utf8)
        let (status, log) = try AblateProcess.tool(
            "/usr/bin/pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"], in: directory)
        #expect(status == 0, "\(log.suffix(2000))")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("paper.pdf").path))
    }

    @Test(.enabled(if: TestTools.chromium, "chromium is missing; run scripts/setup-report-tools.sh"))
    func htmlRendersInHeadlessChromium() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "run scripts/setup-report-tools.sh")
        let directory = try Self.setUp()
        let report = try AblateProcess.run(
            ["report", "r.yaml", "--format", "html", "-o", "report.html"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let (status, log) = try AblateProcess.tool(
            "/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,900",
                "--screenshot=\(directory.path)/report.png", "file://\(directory.path)/report.html",
            ], in: directory)
        #expect(status == 0, "\(log.suffix(2000))")
        let checker = AblateProcess.packageRoot.appendingPathComponent("scripts/check-png.py").path
        let (blank, summary) = try AblateProcess.tool(
            "/usr/bin/env", ["python3", checker, "report.png"], in: directory)
        #expect(blank == 0, "\(summary)")
        if let keep = ProcessInfo.processInfo.environment["ABLATE_KEEP_SCREENSHOT"] {
            try? FileManager.default.copyItem(
                at: directory.appendingPathComponent("report.png"), to: URL(fileURLWithPath: keep))
        }
    }
}
