import AblateCore

/// JSON: the report's name, title, columns and rows with raw and displayed values and highlights.
public struct JSONRenderer: ReportRenderer {
    /// Creates the renderer.
    public init() {}

    /// Renders `table`.
    public func render(_ table: ReportTable) -> String {
        let columns: [ParamValue] = table.columns.map { column in
            .object([
                "label": .string(column.label), "group": column.group.map(ParamValue.string) ?? .null,
                "goal": .string(column.goal.rawValue), "precision": .int(Int64(column.precision)),
                "scale": .double(column.scale),
            ])
        }
        let rows: [ParamValue] = table.rows.map { row in
            .object([
                "label": .string(row.label),
                "baseline": .bool(row.isBaseline),
                "runs": .array(row.runIDs.map(ParamValue.string)),
                "cells": .array(
                    row.cells.enumerated().map { column, cell in
                        guard let cell else { return .null }
                        var members: [String: ParamValue] = [
                            "mean": .double(cell.mean), "std": cell.std.map(ParamValue.double) ?? .null,
                            "n": .int(Int64(cell.count)), "text": .string(table.text(of: cell, column: column)),
                            "rank": .string(cell.rank == .best ? "best" : cell.rank == .second ? "second" : "none"),
                            "delta": cell.delta.map(ParamValue.double) ?? .null,
                        ]
                        if table.tested {
                            members["p"] = cell.p.map(ParamValue.double) ?? .null
                            members["significant"] = .bool(cell.significant)
                        }
                        if table.show == .meanCI {
                            members["lo"] = cell.lower.map(ParamValue.double) ?? .null
                            members["hi"] = cell.upper.map(ParamValue.double) ?? .null
                        }
                        return .object(members)
                    }),
            ])
        }
        var document: [String: ParamValue] = [
            "report": .string(table.name), "row_header": .string(table.rowHeader), "columns": .array(columns),
            "rows": .array(rows), "warnings": .array(table.warnings.map(ParamValue.string)),
        ]
        if let title = table.title { document["title"] = .string(title) }
        if let caption = table.caption { document["caption"] = .string(caption) }
        if let note = table.significanceNote { document["significance"] = .string(note) }
        if let note = table.intervalNote {
            document["interval"] = .object([
                "level": .double(table.confidence), "method": .string(table.interval.rawValue), "note": .string(note),
            ])
        }
        return PrettyJSON.render(.object(document)) + "\n"
    }
}
