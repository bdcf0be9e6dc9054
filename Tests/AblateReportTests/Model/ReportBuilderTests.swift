import AblateCore
import Testing

@testable import AblateReport

@Suite struct ReportBuilderTests {
    @Test func aggregatesOverSeedsAfterAveragingEvalLengths() throws {
        let table = ReportBuilder(spec: try spec(ablationSpec)).build(ablationContext())
        #expect(table.rows.map(\.label) == ["Code repos", "Books", "Code repos + Books", "Textbooks"])
        // Recall for code_repos: per seed, mean over lengths = 80 + (seed - 2) - 2.5 -> 76.5, 77.5, 78.5.
        let recall = try #require(table.rows[0].cells[0])
        #expect(recall.mean == 77.5)
        #expect(recall.std == 1.0)
        #expect(recall.count == 3)
        // Long Avg. = per-seed mean of the four categories, then over seeds.
        let longAvg = try #require(table.rows[0].cells[4])
        let expected = [1.0, 2.0, 3.0].map { seed -> Double in
            let noise = seed - 2
            let recall = 80 + noise - 2.5
            let rag = 55 + noise / 2 - 2.5
            let rerank = 20 - 2.5
            let icl = 70 + noise
            return (recall + rag + rerank + icl) / 4
        }
        #expect(abs(longAvg.mean - expected.reduce(0, +) / 3) < 1e-9)
    }

    @Test func missingCellsStayMissingAndAreReported() throws {
        let table = ReportBuilder(spec: try spec(ablationSpec)).build(ablationContext())
        #expect(table.rows[3].cells[2] == nil)
        #expect(table.rows[3].cells[4] == nil)  // Long Avg. needs every component
        #expect(
            table.warnings == [
                "no value for 'Re-rank' in row 'Textbooks'", "no value for 'Long Avg.' in row 'Textbooks'",
            ])
    }

    @Test func ranksBestAndSecondByGoalWithTies() throws {
        var report = try spec(ablationSpec)
        report.columns.append(.init(source: .metric("mmlu"), label: "MMLU loss", goal: .min))
        let table = ReportBuilder(spec: report).build(ablationContext())
        let recall = table.rows.map { $0.cells[0]?.rank }
        #expect(recall == [.plain, .second, .best, .plain])
        // MMLU is identical for every row: all tie for best (max) and for best (min).
        #expect(table.rows.map { $0.cells[6]?.rank } == [.best, .best, .best, .best])
        #expect(table.rows.map { $0.cells[8]?.rank } == [.best, .best, .best, .best])
        // HellaSwag decreases with offset: textbooks (offset -3) is best.
        #expect(table.rows.map { $0.cells[5]?.rank } == [.second, .plain, .plain, .best])
    }

    @Test func baselineDeltas() throws {
        var report = try spec(ablationSpec)
        report.baseline = "Code repos"
        let table = ReportBuilder(spec: report).build(ablationContext())
        #expect(table.rows[0].isBaseline)
        #expect(table.rows[0].cells[0]?.delta == nil)
        #expect(table.rows[1].cells[0]?.delta == 4.0)
        #expect(table.formatDelta(4.0, column: 0) == "+4.0")
        #expect(table.formatDelta(-0.04, column: 0) == "±0.0")
        #expect(table.formatDelta(-1.25, column: 0) == "-1.3")
    }

    @Test(arguments: [
        ([1.0], 1.0, nil as Double?), ([1.0, 3.0], 2.0, 1.4142135623730951), ([2.0, 4.0, 6.0], 4.0, 2.0),
    ])
    func meanAndSampleStd(values: [Double], mean: Double, std: Double?) {
        let cell = ReportBuilder.aggregate(values)
        #expect(cell.mean == mean)
        #expect(cell.std == std)
        #expect(cell.count == values.count)
    }

    @Test func oneRowPerRunWhenRowsAreRuns() throws {
        let table = ReportBuilder(
            spec: try spec("report: r\nfrom: {sweep: s}\nrows: {by: run}\ncolumns: [{metric: recall}]\n")
        )
        .build(
            ReportContext(runs: [
                ReportRun(id: "a", params: ["lr": .int(1)], metrics: ["recall": 1]),
                ReportRun(id: "b", params: ["lr": .int(2)], metrics: ["recall": 2]),
            ]))
        #expect(table.rows.map(\.label) == ["lr=1", "lr=2"])
        #expect(table.rowHeader == "run")
    }

    @Test(arguments: [
        (0.05, 1, "0.1"), (-0.04, 1, "0.0"), (12.345, 2, "12.35"), (1234.5, 0, "1235"), (0.5, 3, "0.500"),
    ])
    func numbersHaveExactlyThePrecision(value: Double, precision: Int, expected: String) {
        #expect(ReportNumber.format(value, precision: precision) == expected)
    }
}
