import AblateCore
import Foundation
import GRDB

extension ResultStore {
    /// The runs matching a `--where` expression, optionally of one sweep, in sweep and position order.
    ///
    /// - Parameters:
    ///   - sweep: Only this sweep's current runs.
    ///   - filter: A `--where` expression (see ``FilterParser``).
    ///   - limit: At most this many runs.
    ///   - includeRetired: Also runs that an earlier version of their sweep's spec had.
    /// - Throws: ``FilterError`` for a bad expression.
    public func runs(
        sweep: String? = nil, where filter: String? = nil, limit: Int? = nil, includeRetired: Bool = false
    ) throws -> [RunRow] {
        var conditions = includeRetired ? ["1"] : ["runs.current = 1"]
        var arguments = StatementArguments()
        if let sweep {
            conditions.append("runs.sweep_id IN (SELECT id FROM sweeps WHERE name = ?)")
            arguments += [sweep]
        }
        let expression: FilterExpression?
        if let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty {
            expression = try FilterParser.parse(filter)
        } else {
            expression = nil
        }
        return try database.read { db in
            var conditions = conditions
            var arguments = arguments
            if let expression {
                let compiled = try FilterCompiler.compile(expression, in: db)
                if let driver = compiled.driver {
                    conditions.insert("runs.id IN (\(driver.sql))", at: 0)
                    arguments = driver.arguments + arguments
                }
                conditions.append(compiled.predicate.sql)
                arguments += compiled.predicate.arguments
            }
            let sql = """
                SELECT runs.id AS rowid, runs.key AS id, sweeps.name AS sweep, runs.status, runs.params, runs.labels, runs.external,
                    runs.created_at
                FROM runs JOIN sweeps ON sweeps.id = runs.sweep_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY sweeps.name, runs.position
                \(limit.map { "LIMIT \($0)" } ?? "")
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let orders = try Self.parameterOrders(db)
            var result = rows.map { row -> RunRow in
                let params = JSONValueDecoding.decode(row["params"])
                let labels = JSONValueDecoding.decode(row["labels"])
                var labelMap: [String: String] = [:]
                if case .object(let members) = labels {
                    for (name, value) in members { labelMap[name] = value.stringValue }
                }
                let paramMap: [String: ParamValue]
                if case .object(let members) = params { paramMap = members } else { paramMap = [:] }
                let sweep: String = row["sweep"]
                let order = orders[sweep] ?? paramMap.keys.sorted()
                return RunRow(
                    id: row["id"], sweep: sweep, status: row["status"], params: paramMap, labels: labelMap,
                    paramOrder: order.filter { paramMap[$0] != nil }
                        + paramMap.keys.filter { !order.contains($0) }.sorted(),
                    metrics: [:], external: row["external"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
            try Self.attachMetrics(&result, rowIDs: rows.map { $0["rowid"] }, db)
            return result
        }
    }

    /// Each sweep's parameter order (params, then axes), as recorded.
    private static func parameterOrders(_ db: Database) throws -> [String: [String]] {
        var orders: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, param_order FROM sweeps") {
            if case .array(let names) = JSONValueDecoding.decode(row["param_order"]) {
                orders[row["name"]] = names.compactMap(\.stringValue)
            }
        }
        return orders
    }

    private static func attachMetrics(_ runs: inout [RunRow], rowIDs: [Int64], _ db: Database) throws {
        guard !runs.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: rowIDs.enumerated().map { ($1, $0) })
        let idList = ParamValue.array(rowIDs.map { .int($0) }).canonicalJSON
        let stageOrder = try Row.fetchAll(
            db, sql: "SELECT run_id, stage, position FROM run_jobs WHERE run_id IN (SELECT value FROM json_each(?))",
            arguments: [idList])
        var positions: [Int64: [String: Int]] = [:]
        for row in stageOrder {
            positions[row["run_id"], default: [:]][row["stage"]] = row["position"]
        }
        let metricRows = try Row.fetchAll(
            db,
            sql:
                "SELECT run_id, stage, key, value FROM run_metrics WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id",
            arguments: [idList])
        var best: [Int64: [String: Int]] = [:]
        for row in metricRows {
            let runID: Int64 = row["run_id"]
            guard let offset = index[runID] else { continue }
            let stage: String = row["stage"]
            let key: String = row["key"]
            let value: Double? = row["value"]
            runs[offset].metrics["\(stage).\(key)"] = value
            let position = positions[runID]?[stage] ?? -1
            if (best[runID]?[key] ?? Int.min) <= position {
                best[runID, default: [:]][key] = position
                runs[offset].metrics[key] = value
            }
        }
    }
}
