import AblateCore
import Testing

@testable import AblateReport

@Suite struct ReportSpecParserTests {
    @Test func parsesEveryField() throws {
        let report = try spec(ablationSpec + "\nprecision: 2\nscale: 100\nbaseline: Books\n")
        #expect(report.name == "long-data")
        #expect(report.sweeps == ["long-data-source"])
        #expect(report.rowParams == ["long_data"])
        #expect(report.columns.count == 8)
        #expect(report.columns[4].source == .mean(["Recall", "RAG", "Re-rank", "ICL"]))
        #expect(report.columns[4].group == "Long-context")
        #expect(report.columns[5].group == "Short")
        #expect(report.aggregateOver == ["seed"])
        #expect(report.averageOver == ["eval_length"])
        #expect(report.show == .meanStd)
        #expect(report.best == .bold && report.second == .underline)
        #expect(report.precision == 2 && report.scale == 100)
        #expect(report.baseline == "Books")
    }

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try ReportSpecParser.parse(yaml: yaml, file: "r.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(
        arguments: [
            (
                "report: r\nfrom: {sweep: s}\n",
                ["r.yaml:1:1: error: missing required key 'columns'; list the metrics to show"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolums: []\ncolumns: [{metric: a}]\n",
                ["r.yaml:3:1: error: unknown key 'colums'; did you mean 'columns'?"]
            ),
            (
                "report: r\nfrom: {swep: s}\ncolumns: [{metric: a}]\n",
                [
                    "r.yaml:2:7: error: 'from' needs 'sweep': the sweep (or list of sweeps) to read runs from",
                    "r.yaml:2:8: error: unknown key 'swep' in 'from'; did you mean 'sweep'?",
                ]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a, lable: A}]\n",
                ["r.yaml:3:23: error: unknown key 'lable' in a column; did you mean 'label'?"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{label: A}]\n",
                ["r.yaml:3:11: error: a column needs 'metric: KEY' or 'mean: [COLUMNS]'"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a, label: A}, {mean: [A, B], label: Avg}]\n",
                ["r.yaml:3:34: error: column 'Avg' averages 'B', which is not another column's label or metric"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a}]\naggregate: {show: median}\n",
                ["r.yaml:4:19: error: show 'median' is not valid; use 'mean', 'mean±std', 'mean (n)' or 'mean±ci'"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a}]\nhighlight: {best: italic}\n",
                ["r.yaml:4:19: error: highlight style 'italic' is not valid; use 'bold', 'underline' or 'none'"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a, goal: up}]\n",
                ["r.yaml:3:29: error: goal 'up' is not valid; use 'max' or 'min'"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: [{metric: a}]\nprecision: 20\n",
                ["r.yaml:4:12: error: 'precision' must be a whole number from 0 to 12"]
            ),
            (
                "report: r\nfrom: {sweep: s}\ncolumns: []\n",
                ["r.yaml:3:10: error: 'columns' is empty; list at least one metric"]
            ),
        ] as [(String, [String])])
    func reportsProblems(yaml: String, expected: [String]) {
        #expect(Self.errors(yaml) == expected)
    }
}
