import AblateCore
import AblateTestSupport
import Foundation
import Testing

@testable import AblateReport

/// The paper's figures over training: one line per configuration, a band over seeds, x the tokens seen at
/// each checkpoint; and tables of such sweeps show their final models.
@Suite struct FigureBuilderTests {
    static let report = """
        report: over-training
        from: {sweep: fan}
        rows: {by: long_data, labels: {books: Books, repos: "Code repos"}}
        columns:
          - {metric: recall, label: Recall}
          - {metric: rag, label: RAG}
          - {mean: [Recall, RAG], label: Avg.}
        aggregate: {over: [seed], show: mean±std}
        figure:
          panels:
            - {y: base.helmet_avg, title: Before SFT, ylabel: HELMET avg.}
            - {y: Avg., title: After SFT}
        """

    /// Two data sources x 2 seeds x 4 checkpoints of 250 steps of 4M tokens.
    static func context() -> ReportContext {
        var runs: [ReportRun] = []
        for (source, offset) in [("books", 0.0), ("repos", 5.0)] {
            for seed in 1...2 {
                for step in [250, 500, 750, 1000] {
                    let progress = Double(step) / 100
                    let noise = seed == 1 ? -1.0 : 1.0
                    runs.append(
                        ReportRun(
                            id: "\(source)-\(seed)-\(step)",
                            params: [
                                "long_data": .string(source), "seed": .int(Int64(seed)),
                                "checkpoint": .int(Int64(step)),
                                "checkpoint_tokens": .int(Int64(step) * 4_194_304),
                            ],
                            metrics: [
                                "recall": 40 + offset + progress + noise, "rag": 30 + progress,
                                "base.helmet_avg": 20 + offset / 2 + progress / 2 + noise,
                            ]))
                }
            }
        }
        return ReportContext(runs: runs, valueOrder: ["long_data": ["books", "repos"]])
    }

    @Test func oneLinePerConfigurationWithABandOverSeedsAtEachCheckpointsTokens() throws {
        let figure = try #require(FigureBuilder(spec: try spec(Self.report)).build(Self.context()))
        #expect(figure.xLabel == "Training tokens (B)")
        #expect(figure.panels.map(\.title) == ["Before SFT", "After SFT"])
        #expect(figure.panels.map(\.yLabel) == ["HELMET avg.", "Avg."])
        let after = figure.panels[1]
        #expect(after.lines.map(\.label) == ["Books", "Code repos"])
        let books = after.lines[0].points
        #expect(books.map(\.count) == [2, 2, 2, 2])
        #expect(abs(books[0].x - 250 * 4_194_304 / 1e9) < 1e-9)
        // Avg. of recall and rag per run, then mean and std over the two seeds: (40 + 2.5 ± 1 + 30 + 2.5) / 2.
        #expect(abs(books[0].mean - 37.5) < 1e-9)
        #expect(abs((books[0].std ?? 0) - 0.5.squareRoot()) < 1e-9)  // of 37 and 38
        #expect(figure.warnings.isEmpty)
    }

    @Test func theFigureIsAPaperStyleSVG() throws {
        let figure = try #require(FigureBuilder(spec: try spec(Self.report)).build(Self.context()))
        let svg = FigureSVGRenderer().render(figure)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"3.25in\""))
        expectGolden(svg, "over-training.svg", in: "../Golden")
    }

    @Test func theTableShowsTheFinalCheckpoint() throws {
        let table = ReportBuilder(spec: try spec(Self.report)).build(Self.context())
        #expect(table.rows.map(\.label) == ["Books", "Code repos"])
        // recall at step 1000: 40 + 10 ± 1 for books.
        #expect(table.rows[0].cells[0]?.mean == 50)
        #expect(table.rows[0].cells[0]?.count == 2)
        #expect(table.figure != nil)
    }

    @Test func trainingLossOverTokens() throws {
        var context = Self.context()
        // Every run of a training shares its loss curve: steps 0, 500, 1000.
        for run in context.runs {
            let seed: Double = run.params["seed"] == .int(1) ? 0 : 0.2
            context.curves[run.id] = [(0, 3 + seed), (500, 2 + seed), (1000, 1.5 + seed)]
        }
        let report = Self.report.replacingOccurrences(
            of: "    - {y: Avg., title: After SFT}", with: "    - {curve: loss, title: Training}")
        let figure = try #require(FigureBuilder(spec: try spec(report)).build(context))
        let loss = figure.panels[1]
        #expect(loss.yLabel == "Training loss")
        let books = loss.lines[0].points
        let billions: [Double] = [0, 500 * 4_194_304 / 1e9, 1000 * 4_194_304 / 1e9]
        #expect(books.map(\.x) == billions)
        #expect(books.map(\.count) == [2, 2, 2], "one curve per seed, not per checkpoint")
        #expect(abs(books[1].mean - 2.1) < 1e-9)
    }

    /// The demo's scale: checkpoints of 262K to 786K tokens, three panels in one column. The axis is in
    /// thousands, and no two x tick labels of a panel overlap (fewer ticks where they would).
    @Test func smallTokenCountsAreInThousandsAndXTickLabelsDoNotOverlap() throws {
        var runs: [ReportRun] = []
        for seed in 1...2 {
            for step in [128, 256, 384] {
                runs.append(
                    ReportRun(
                        id: "books-\(seed)-\(step)",
                        params: [
                            "long_data": .string("books"), "seed": .int(Int64(seed)), "checkpoint": .int(Int64(step)),
                            "checkpoint_tokens": .int(Int64(step) * 2048),
                        ],
                        metrics: ["recall": Double(step) / 10, "rag": 20, "base.helmet_avg": 10]))
            }
        }
        let report = Self.report.replacingOccurrences(
            of: "    - {y: Avg., title: After SFT}", with: "    - {y: Avg., title: After SFT}\n    - {y: Recall}")
        let figure = try #require(
            FigureBuilder(spec: try spec(report)).build(
                ReportContext(runs: runs, valueOrder: ["long_data": ["books"]])))
        #expect(figure.xLabel == "Training tokens (K)")
        #expect(figure.panels[0].lines[0].points.map(\.x) == [262.144, 524.288, 786.432])
        let svg = FigureSVGRenderer().render(figure)
        // Tick labels are the texts 11 pt under each panel's axis: per panel, their centres must be apart
        // by the two half-widths and a gap.
        let ticks = svg.components(separatedBy: "<text x=\"").dropFirst().compactMap {
            piece -> (x: Double, text: String)? in
            guard piece.contains("text-anchor=\"middle\">"), let open = piece.range(of: "\">"),
                let close = piece.range(of: "</text>"), open.upperBound <= close.lowerBound
            else { return nil }
            let text = String(piece[open.upperBound..<close.lowerBound])
            guard Double(text) != nil, let x = Double(piece.prefix { $0 != "\"" }) else { return nil }
            return (x, text)
        }
        #expect(ticks.count >= 6)
        let panelWidth = 3.25 * 72 / 3
        for panel in 0..<3 {
            let own = ticks.filter { Int($0.x / panelWidth) == panel }.sorted { $0.x < $1.x }
            #expect(own.count >= 2, "panel \(panel): \(own)")
            for (a, b) in zip(own, own.dropFirst()) {
                let room = (FigureSVGRenderer.textWidth(a.text) + FigureSVGRenderer.textWidth(b.text)) / 2
                #expect(b.x - a.x >= room + 3, "'\(a.text)' and '\(b.text)' overlap in panel \(panel)")
            }
        }
    }

    @Test func aFigureWithoutCheckpointsSaysWhy() throws {
        let table = ReportBuilder(spec: try spec(Self.report)).build(ablationContext())
        #expect(
            table.warnings.contains(
                "figure: no run is at a checkpoint: the figure needs a sweep that fans out over checkpoints ('over: checkpoints')"
            ), "\(table.warnings)")
    }

    @Test(arguments: [
        (
            "figure: {x: epochs, y: recall}",
            "r.yaml:5:13: error: 'figure.x' is 'epochs'; use 'tokens' or 'step'"
        ),
        ("figure: {x: tokens}", "r.yaml:5:9: error: 'figure' needs 'y' (a metric or column label) or 'panels'"),
        (
            "figure: {y: recall, panels: [{y: rag}]}",
            "r.yaml:5:9: error: 'figure' gives both 'y' and 'panels'; give 'y' for one panel, or 'panels'"
        ),
        (
            "figure: {y: recall, width: 0.1}",
            "r.yaml:5:28: error: 'figure.width' must be inches between 1 and 20, such as 3.25"
        ),
    ])
    func badFiguresAreRefusedAtTheirPosition(line: String, expected: String) throws {
        let yaml = "report: r\nfrom: {sweep: fan}\nrows: {by: long_data}\ncolumns: [{metric: recall}]\n" + line + "\n"
        do {
            _ = try ReportSpecParser.parse(yaml: yaml, file: "r.yaml")
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.diagnostics.map(\.description).contains(expected), "\(error.diagnostics.map(\.description))")
        }
    }
}
