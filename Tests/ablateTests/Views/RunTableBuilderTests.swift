import AblateKit
import Foundation
import Testing

@testable import ablate

@Suite struct RunTableBuilderTests {
    @Test(arguments: [
        (91.25, "91.25"), (0.000123456, "0.0001235"), (2.0, "2"), (1234.5678, "1235"), (1e-7, "1e-07"),
        (-3.14159, "-3.142"), (Double.nan, "NaN"), (12.5, "12.5"), (123456789.123, "123500000"),
        (1796112738.39, "1796000000"), (0.1 + 0.2, "0.3"), (9.87654321e20, "9.877e+20"),
    ])
    func formatsFourSignificantDigits(value: Double, expected: String) {
        #expect(RunTableBuilder.format(value) == expected)
    }

    static func row(
        _ id: String, _ params: [String: ParamValue], labels: [String: String] = [:], metrics: [String: Double?]
    ) -> RunRow {
        RunRow(
            id: id, sweep: "s", status: .succeeded, params: params, labels: labels, paramOrder: params.keys.sorted(),
            metrics: metrics, external: false, createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test func defaultColumnsAreVaryingParamsThenMetrics() {
        let runs = [
            Self.row("a1", ["lr": .double(1e-5), "seed": .int(1)], metrics: ["recall": 50, "eval.recall": 50]),
            Self.row("b2", ["lr": .double(1e-5), "seed": .int(2)], metrics: ["recall": 60, "eval.recall": 60]),
        ]
        let table = RunTableBuilder().table(for: runs)
        #expect(table.columns == ["id", "sweep", "status", "seed", "metric.recall"])
        #expect(
            table.text()
                == "id  sweep  status     seed  metric.recall\n--  -----  ---------  ----  -------------\na1  s      succeeded  1                50\nb2  s      succeeded  2                60"
        )
    }

    @Test func csvQuotesAndJSONTypesNumbers() {
        let table = TextTable(
            columns: ["name", "value"], rows: [["a,b", "1.5"], ["say \"hi\"", nil]], numericColumns: [1])
        #expect(table.csv() == "name,value\n\"a,b\",1.5\n\"say \"\"hi\"\"\",")
        #expect(
            table.json()
                == "[\n  {\n    \"name\": \"a,b\",\n    \"value\": 1.5\n  },\n  {\n    \"name\": \"say \\\"hi\\\"\",\n    \"value\": null\n  }\n]"
        )
    }

    @Test func exactTablesCarryTheStoredValue() {
        let runs = [Self.row("a1", ["seed": .int(1)], metrics: ["recall": 123456789.123456, "loss": 1e-7])]
        let builder = RunTableBuilder(columns: ["id", "metric.recall", "metric.loss"])
        #expect(
            builder.table(for: runs, exact: true).csv() == "id,metric.recall,metric.loss\na1,123456789.123456,1e-07")
        #expect(builder.table(for: runs).csv() == "id,metric.recall,metric.loss\na1,123500000,1e-07")
    }
}
