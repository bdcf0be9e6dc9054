import AblateCore
import AblateTestSupport
import Testing

@testable import AblateReport

/// Every format against golden files: bold/underline placement, ties, missing cells, mean±std,
/// two-level headers, LaTeX escaping of `_ % & #`.
@Suite struct RendererGoldenTests {
    static func table(
        baseline: Bool = false, show: ReportSpec.Show = .meanStd, interval: ReportSpec.IntervalMethod = .t,
        significance: ReportSpec.Significance? = nil
    ) throws -> ReportTable {
        var report = try spec(ablationSpec)
        report.show = show
        report.interval = interval
        report.significance = significance
        if baseline { report.baseline = "Code repos" }
        var context = ablationContext()
        context.curves = [
            "books-1-32768": [(0, 5), (100, 3.5), (200, 2.9)], "both-1-32768": [(0, 5), (100, 3.2), (200, 2.5)],
        ]
        return ReportBuilder(spec: report).build(context)
    }

    @Test(arguments: ReportFormat.allCases)
    func format(_ format: ReportFormat) throws {
        let extensions: [ReportFormat: String] = [
            .markdown: "md", .latex: "tex", .csv: "csv", .json: "json", .html: "html",
        ]
        try expectGolden(format.renderer.render(Self.table()), "long-data.\(extensions[format]!)", in: "../Golden")
    }

    @Test(arguments: ReportFormat.allCases)
    func confidenceIntervals(_ format: ReportFormat) throws {
        let extensions: [ReportFormat: String] = [
            .markdown: "md", .latex: "tex", .csv: "csv", .json: "json", .html: "html",
        ]
        expectGolden(
            format.renderer.render(try Self.table(show: .meanCI)), "long-data-ci.\(extensions[format]!)",
            in: "../Golden")
    }

    @Test(arguments: ReportFormat.allCases)
    func significanceMarksAndNotes(_ format: ReportFormat) throws {
        let extensions: [ReportFormat: String] = [
            .markdown: "md", .latex: "tex", .csv: "csv", .json: "json", .html: "html",
        ]
        let table = try Self.table(show: .meanCI, significance: ReportSpec.Significance(baseline: "Code repos"))
        expectGolden(format.renderer.render(table), "long-data-significance.\(extensions[format]!)", in: "../Golden")
    }

    @Test func aChosenMarkReplacesTheDagger() throws {
        var significance = ReportSpec.Significance(baseline: "Code repos")
        significance.mark = "‡"
        let text = MarkdownRenderer().render(try Self.table(show: .meanCI, significance: significance))
        #expect(text.contains("83.5 ± 2.5‡"))
        #expect(text.contains("‡ differs from 'Code repos'"))
        #expect(!text.contains("†"))
    }

    @Test func bootstrapIntervals() throws {
        expectGolden(
            MarkdownRenderer().render(try Self.table(show: .meanCI, interval: .bootstrap)), "long-data-bootstrap.md",
            in: "../Golden")
    }

    @Test func baselineDeltasAndCounts() throws {
        try expectGolden(
            MarkdownRenderer().render(Self.table(baseline: true, show: .meanCount)), "long-data-baseline.md",
            in: "../Golden")
        try expectGolden(
            LaTeXRenderer().render(Self.table(baseline: true, show: .mean)), "long-data-baseline.tex", in: "../Golden")
    }

    @Test func latexEscapesSpecialCharacters() {
        #expect(
            LaTeXRenderer.escape("a_b 50% R&D #1 $x {y} ~ ^ \\")
                == "a\\_b 50\\% R\\&D \\#1 \\$x \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}")
    }

    @Test func htmlIsSelfContained() throws {
        let html = HTMLRenderer().render(try Self.table())
        #expect(!html.contains("http://") || !html.replacingAll("\"", with: "").contains("src=http"))
        #expect(!html.contains("<script src"))
        #expect(!html.contains("<link"))
        #expect(html.contains("<svg"))
        #expect(html.contains("training loss"))
    }
}
