import AblateTestSupport
import Foundation
import Testing

/// A fanned-out sweep's report with a figure: the PDF for papers is vector with its fonts embedded, one
/// column (3.25 in) wide, and renders to a non-blank image; the HTML report's charts, rendered in
/// headless Chromium, have no two labels overlapping (measured from the rendered text boxes).
@Suite(.serialized) struct FigureToolsTests {
    /// A sweep of three data sources x 2 seeds whose training writes 3 checkpoints, evaluated at each,
    /// with long row labels; and its report with a two-panel figure.
    static func setUp() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: fig
        grid:
          data: [books, "code repositories (the Stack, by repo)", "books + code repositories 1:1 with ShortMix"]
          seed: [1, 2]
        stages:
          pretrain:
            uses: [data, seed]
            checkpoints: {path: "checkpoint-{step}", steps: [100, 200, 300], tokens_per_step: "65536 * 64"}
            run: >-
              cd {output} && for s in 100 200 300; do mkdir -p checkpoint-$s && echo '{{}}' > checkpoint-$s/trainer_state.json; done
          eval:
            after: [pretrain]
            over: checkpoints
            run: >-
              h=$(echo {pretrain.output} | cksum | cut -d' ' -f1) &&
              echo '{{"step": 0, "recall": '$(( {checkpoint.step} / 10 + h % 13 ))', "rag": '$(( 40 + h % 5 ))'}}' > {output}/metrics.jsonl
        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        try """
        report: fig
        from: {sweep: fig}
        rows: {by: data}
        columns:
          - {metric: recall, label: Recall}
          - {metric: rag, label: RAG}
          - {mean: [Recall, RAG], label: Avg.}
        aggregate: {over: [seed], show: mean±std}
        figure:
          panels:
            - {y: Recall, title: Recall}
            - {y: Avg., title: Average}
        """.write(to: directory.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "s.yaml", "--cpus", "4"], in: directory)
        #expect(run.status == 0, "\(run.stdout)")
        return directory
    }

    @Test(.enabled(if: TestTools.pdfTools, "rsvg-convert or poppler-utils missing; run scripts/setup-report-tools.sh"))
    func thePDFFigureIsVectorWithEmbeddedFontsOneColumnWide() throws {
        let directory = try Self.setUp()
        let report = try AblateProcess.run(["report", "r.yaml", "--figure", "figure.pdf"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let (infoStatus, info) = try AblateProcess.tool("/usr/bin/env", ["pdfinfo", "figure.pdf"], in: directory)
        #expect(infoStatus == 0, "\(info)")
        #expect(info.contains("Page size:       234 x "), "\(info)")  // 3.25 in
        let (_, fonts) = try AblateProcess.tool("/usr/bin/env", ["pdffonts", "figure.pdf"], in: directory)
        let rows = fonts.split(separator: "\n").dropFirst(2)
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" yes yes ") }, "every font embedded: \(fonts)")
        let (renderStatus, render) = try AblateProcess.tool(
            "/usr/bin/env", ["pdftoppm", "-png", "-r", "150", "-singlefile", "figure.pdf", "figure"], in: directory)
        #expect(renderStatus == 0, "\(render)")
        let checker = AblateProcess.packageRoot.appendingPathComponent("scripts/check-png.py").path
        let (blank, summary) = try AblateProcess.tool(
            "/usr/bin/env", ["python3", checker, "figure.png"], in: directory)
        #expect(blank == 0, "\(summary)")
        let svg = try AblateProcess.run(["report", "r.yaml", "--figure", "figure.svg"], in: directory)
        #expect(svg.status == 0)
        let text = try String(contentsOf: directory.appendingPathComponent("figure.svg"), encoding: .utf8)
        #expect(text.components(separatedBy: "<polyline").count == 7, "3 lines in each of 2 panels")
        let wrong = try AblateProcess.run(["report", "r.yaml", "--figure", "figure.png"], in: directory)
        #expect(wrong.status != 0)
        #expect(
            wrong.stderr.contains(
                "'figure.png' ends in neither .svg nor .pdf; name the figure's file FILE.svg or FILE.pdf"))
    }

    @Test(.enabled(if: TestTools.chromium, "chromium is missing; run scripts/setup-report-tools.sh"))
    func theHTMLChartsHaveNoOverlappingLabels() throws {
        let directory = try Self.setUp()
        let report = try AblateProcess.run(
            ["report", "r.yaml", "--format", "html", "-o", "report.html"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        // The page measures every chart's text boxes once rendered and writes the overlapping pairs.
        var html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        html = html.replacingOccurrences(
            of: "</body>",
            with: """
                <pre id="overlaps"></pre>
                <script>
                const found = [];
                let texts = 0;
                for (const svg of document.querySelectorAll("svg")) {
                  const boxes = [...svg.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()]);
                  texts += boxes.length;
                  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const [a, p] = boxes[i], [b, q] = boxes[j];
                    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
                    const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
                    if (w > 0.5 && h > 0.5) found.push(a + " / " + b);
                  }
                }
                document.getElementById("overlaps").textContent = "texts=" + texts + " overlaps=" + found.length + " " + found.join("; ");
                </script>
                </body>
                """)
        try html.write(to: directory.appendingPathComponent("measured.html"), atomically: true, encoding: .utf8)
        let (status, dom) = try AblateProcess.tool(
            "/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,1400", "--dump-dom",
                "file://\(directory.path)/measured.html",
            ], in: directory)
        #expect(status == 0)
        let result = try #require(
            dom.range(of: "<pre id=\"overlaps\">").map { String(dom[$0.upperBound...].prefix { $0 != "<" }) })
        #expect(result.contains(" overlaps=0 "), "\(result)")
        let texts = Int(result.dropFirst("texts=".count).prefix { $0.isNumber }) ?? 0
        #expect(texts > 40, "the charts were measured: \(result)")
    }
}
