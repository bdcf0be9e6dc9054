import AblateCore
import Foundation
import GRDB
internal import GRDBSQLite

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
        try runs(
            sweep: sweep, where: filter, limit: limit, includeRetired: includeRetired,
            probeThreshold: Self.probeThreshold)
    }

    func runs(
        sweep: String?, where filter: String?, limit: Int?, includeRetired: Bool, probeThreshold: Int,
        offset: Int? = nil
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
            let (conditions, arguments) = try Self.conditions(
                conditions, arguments, expression: expression, probeThreshold: probeThreshold, db)
            let sql = """
                SELECT runs.id, sweeps.name, runs.status, runs.params, runs.labels, runs.key, runs.external,
                    runs.created_at
                FROM runs JOIN sweeps ON sweeps.id = runs.sweep_id
                WHERE \(conditions)
                ORDER BY sweeps.name, runs.position
                \(limit.map { "LIMIT \($0)" } ?? "") \(offset.map { limit == nil ? "LIMIT -1 OFFSET \($0)" : "OFFSET \($0)" } ?? "")
                """
            // Columns by position: GRDB's by-name lookup lower-cases names on every access.
            let orders = try Self.parameterOrders(db)
            let orderSets = orders.mapValues(Set.init)
            var result: [RunRow] = []
            var rowIDs: [Int64] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                rowIDs.append(row[0])
                var labelMap: [String: String] = [:]
                if case .object(let members) = JSONValueDecoding.decode(row[4]) {
                    for (name, value) in members { labelMap[name] = value.stringValue }
                }
                let paramMap: [String: ParamValue]
                if case .object(let members) = JSONValueDecoding.decode(row[3]) {
                    paramMap = members
                } else {
                    paramMap = [:]
                }
                let sweep: String = row[1]
                let order = orders[sweep] ?? []
                let ordered = orderSets[sweep] ?? []
                result.append(
                    RunRow(
                        id: row[5], sweep: sweep, status: try RunStatus.stored(row[2]), params: paramMap,
                        labels: labelMap,
                        paramOrder: order.filter { paramMap[$0] != nil }
                            + paramMap.keys.filter { !ordered.contains($0) }.sorted(),
                        metrics: [:], external: row[6], createdAt: Date(timeIntervalSince1970: row[7])))
            }
            try Self.attachMetrics(&result, rowIDs: rowIDs, db)
            return result
        }
    }

    /// The integer IDs a set fragment selects, read straight from the SQLite statement.
    private static func fetchIDs(_ fragment: FilterCompiler.Fragment, _ db: Database) throws -> [Int64] {
        let statement = try db.makeStatement(sql: fragment.sql)
        try statement.setArguments(fragment.arguments)
        var ids: [Int64] = []
        try stepRows(statement, db) { ids.append(sqlite3_column_int64($0, 0)) }
        return ids
    }

    /// Steps `statement` through its rows straight on the SQLite handle (no row objects), calling `body`
    /// with the handle at each; for reads of many rows.
    static func stepRows(_ statement: Statement, _ db: Database, _ body: (OpaquePointer) -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            body(handle)
        }
    }

    /// Below this many candidates, remaining conditions are checked per run instead of intersected.
    static let probeThreshold = 256

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

    /// The SQL conditions of a filter over `runs` (index-read ID sets intersected while there are many
    /// candidates, probes for the rest), with their arguments.
    static func conditions(
        _ base: [String], _ baseArguments: StatementArguments, expression: FilterExpression?, probeThreshold: Int,
        _ db: Database
    ) throws -> (String, StatementArguments) {
        var conditions = base
        var arguments = baseArguments
        if let expression {
            let compiled = try FilterCompiler.compile(expression, in: db)
            var probes = [compiled.predicate]
            if let driver = compiled.driver {
                var candidates = Set(try Self.fetchIDs(driver, db))
                for refinement in compiled.refinements {
                    if candidates.count > probeThreshold {
                        candidates.formIntersection(try Self.fetchIDs(refinement.set, db))
                    } else {
                        probes.append(refinement.probe)
                    }
                }
                conditions.insert("runs.id IN (SELECT value FROM json_each(?))", at: 0)
                arguments = [ParamValue.array(candidates.sorted().map { .int($0) }).canonicalJSON] + arguments
            }
            let predicate = FilterCompiler.conjunction(probes)
            conditions.append(predicate.sql)
            arguments += predicate.arguments
        }
        return (conditions.joined(separator: " AND "), arguments)
    }

    /// One page of the runs matching `filter` (in `ablate runs` order) and how many match in all: what the
    /// dashboard's runs table reads, without building every matching run.
    public func runPage(
        sweep: String? = nil, where filter: String? = nil, offset: Int, limit: Int
    ) throws -> (
        total: Int, rows: [RunRow]
    ) {
        let expression: FilterExpression? =
            if let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty { try FilterParser.parse(filter) } else
            { nil }
        var base = ["runs.current = 1"]
        var arguments = StatementArguments()
        if let sweep {
            base.append("runs.sweep_id IN (SELECT id FROM sweeps WHERE name = ?)")
            arguments += [sweep]
        }
        let total = try database.read { db in
            let (where_, values) = try Self.conditions(
                base, arguments, expression: expression, probeThreshold: Self.probeThreshold, db)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE \(where_)", arguments: values) ?? 0
        }
        let rows = try runs(
            sweep: sweep, where: filter, limit: limit, includeRetired: false, probeThreshold: Self.probeThreshold,
            offset: offset)
        return (total, rows)
    }

    private static func attachMetrics(_ runs: inout [RunRow], rowIDs: [Int64], _ db: Database) throws {
        guard !runs.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: rowIDs.enumerated().map { ($1, $0) })
        let idList = ParamValue.array(rowIDs.map { .int($0) }).canonicalJSON
        // Cursors, not arrays of rows: a large sweep has millions of metric values.
        let stageOrder = try Row.fetchCursor(
            db, sql: "SELECT run_id, stage, position FROM run_jobs WHERE run_id IN (SELECT value FROM json_each(?))",
            arguments: [idList])
        var positions: [Int64: [String: Int]] = [:]
        while let row = try stageOrder.next() {
            positions[row[0], default: [:]][row[1]] = row[2]
        }
        let metricRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT run_id, stage, key, eval_length, value FROM run_metrics
                WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id
                """,
            arguments: [idList])
        var best: [Int64: [String: Int]] = [:]
        var lengthBest: [Int64: [String: Int]] = [:]
        var touched: Set<Int> = []
        while let row = try metricRows.next() {
            let runID: Int64 = row[0]
            guard let offset = index[runID] else { continue }
            let stage: String = row[1]
            let key: String = row[2]
            let length: Int = row[3]
            let value: Double? = row[4]
            let position = positions[runID]?[stage] ?? -1
            if length != 0 {
                touched.insert(offset)
                runs[offset].lengthMetrics["\(stage).\(key)", default: [:]][length] = value ?? .nan
                if (lengthBest[runID]?[key] ?? Int.min) <= position {
                    if lengthBest[runID]?[key] != position { runs[offset].lengthMetrics[key] = [:] }
                    lengthBest[runID, default: [:]][key] = position
                    runs[offset].lengthMetrics[key, default: [:]][length] = value ?? .nan
                }
                continue
            }
            runs[offset].metrics["\(stage).\(key)"] = value
            if (best[runID]?[key] ?? Int.min) <= position {
                best[runID, default: [:]][key] = position
                runs[offset].metrics[key] = value
            }
        }
        // A value per length is also a plain value: its mean over the recorded lengths.
        for offset in touched {
            for (key, values) in runs[offset].lengthMetrics where runs[offset].metrics[key] == nil {
                let finite = values.values.filter(\.isFinite)
                runs[offset].metrics[key] = finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
            }
        }
    }
}
