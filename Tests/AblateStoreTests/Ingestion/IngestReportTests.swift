import Testing

@testable import AblateStore

@Suite struct IngestReportTests {
    func report(malformed count: Int, notices: [String] = []) -> IngestReport {
        var report = IngestReport()
        report.malformed = (0..<count).map { .init(file: "m.jsonl", line: $0 + 1, reason: "not JSON") }
        report.notices = notices
        return report
    }

    @Test func aCleanIngestionWarnsOfNothing() {
        #expect(report(malformed: 0).warnings(job: "train 1a2b3c4d").isEmpty)
    }

    @Test func theFirstThreeBadLinesAreQuotedAndTheRestCounted() {
        #expect(
            report(malformed: 5, notices: ["metrics.jsonl was replaced while it was read"]).warnings(
                job: "train 1a2b3c4d")
                == [
                    "warning m.jsonl:1: malformed metrics line skipped: not JSON",
                    "warning m.jsonl:2: malformed metrics line skipped: not JSON",
                    "warning m.jsonl:3: malformed metrics line skipped: not JSON",
                    "warning train 1a2b3c4d: 2 more malformed metrics lines",
                    "warning train 1a2b3c4d: metrics.jsonl was replaced while it was read",
                ])
    }

    @Test func threeBadLinesNeedNoCount() {
        #expect(report(malformed: 3).warnings(job: "j").count == 3)
    }
}
