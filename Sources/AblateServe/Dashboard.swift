import AblateCore
import AblateExecution
import AblateKit
import AblateStore
import Foundation

/// The dashboard's routes over a read-only results database: its pages and assets, and a JSON API
/// (sweeps, runs, a run, a job's log, curves, reports, parallel coordinates, a change counter). Pure over
/// its inputs and the database, so that tests call it without a socket; ``DashboardServer`` puts it on
/// HTTP.
///
/// Nothing is ever read by a path from a request: logs are addressed by job key, reports by the name of
/// a spec the server listed at start. With a token, every request must carry it (`Authorization: Bearer
/// TOKEN`, or `?token=TOKEN` for the browser): 401 without one, 403 with a wrong one.
public struct Dashboard: Sendable {
    /// The database, opened read-only: a running orchestrator never waits for the dashboard.
    public let store: ResultStore
    /// Report specs by name (their file's stem).
    public let reports: [String: String]
    /// The token every request must carry, if any.
    public let token: String?
    /// Series read for curves, while the database is unchanged.
    let cache = SeriesCache()

    /// A dashboard over `store`, rendering the report specs in `reports` (paths).
    public init(store: ResultStore, reports: [String], token: String? = nil) {
        self.store = store
        var byName: [String: String] = [:]
        for path in reports {
            byName[URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent] = path
        }
        self.reports = byName
        self.token = token
    }

    /// The response to `request`; never throws: a bad request is a 4xx with a message.
    public func respond(_ request: DashboardRequest) -> DashboardResponse {
        if let token {
            let given =
                request.headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
                ?? request.query["token"]
            guard let given else { return .error(401, "this dashboard needs its token: add ?token=TOKEN") }
            guard given == token else { return .error(403, "wrong token") }
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, "the dashboard is read-only: only GET is served")
        }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") }) {
            return .error(400, "paths with '..' are not served")
        }
        do {
            switch parts.first {
            case nil: return .text(DashboardAssets.page, type: "text/html; charset=utf-8")
            case "app.js" where parts.count == 1:
                return .text(DashboardAssets.script, type: "application/javascript; charset=utf-8")
            case "app.css" where parts.count == 1: return .text(DashboardAssets.style, type: "text/css; charset=utf-8")
            case "api": return try api(Array(parts.dropFirst()), request.query)
            case "reports" where parts.count == 2:
                return try report(parts[1], format: request.query["format"] ?? "html")
            default: return .error(404, "no page '\(request.path)'; the dashboard is at /")
            }
        } catch let error as StoreError {
            if case .unknownID = error { return .error(404, error.localizedDescription) }
            if case .ambiguousID = error { return .error(400, error.localizedDescription) }
            return .error(500, error.localizedDescription)
        } catch let error as FilterError {
            return .error(400, error.localizedDescription)
        } catch let error as DashboardError {
            return .error(400, error.message)
        } catch {
            return .error(500, "\(error.localizedDescription)")
        }
    }

    private func api(_ parts: [String], _ query: [String: String]) throws -> DashboardResponse {
        switch (parts.first, parts.count) {
        case ("changes", 1): return .json(["counter": try store.changeCounter()])
        case ("sweeps", 1): return .json(try sweeps(nil))
        case ("sweeps", 2):
            guard try store.sweepNames().contains(parts[1]) else { return .error(404, "no sweep '\(parts[1])'") }
            return .json(try sweeps(parts[1]).first ?? [:])
        case ("runs", 1): return .json(try runs(query))
        case ("runs", 2):
            guard case .run(let id) = try store.resolve(id: parts[1]) else {
                return .error(404, "'\(parts[1])' is a job, not a run")
            }
            return .json(try run(id))
        case ("jobs", 3) where parts[2] == "log":
            guard case .job(let key) = try store.resolve(id: parts[1]) else {
                return .error(404, "'\(parts[1])' is a run, not a job")
            }
            return try log(key, stream: query["stream"] ?? "stdout", tail: Int(query["tail"] ?? "") ?? 200)
        case ("curves", 1): return .json(try curves(query))
        case ("reports", 1): return .json(["reports": reports.keys.sorted()])
        case ("parallel", 1): return .json(try parallel(query))
        default: return .error(404, "no API '/api/\(parts.joined(separator: "/"))'")
        }
    }

    // MARK: - Sweeps

    private func sweeps(_ name: String?) throws -> [[String: Any]] {
        let rows = try store.sweepJobs(sweep: name)
        var result: [[String: Any]] = []
        for sweep in try name.map({ [$0] }) ?? store.sweepNames() {
            let jobs = rows.filter { $0.sweep == sweep }
            var stages: [(String, Int, [String: Int])] = []
            for job in jobs {
                if let index = stages.firstIndex(where: { $0.0 == job.stage }) {
                    stages[index].2[job.state.rawValue, default: 0] += 1
                } else {
                    stages.append((job.stage, job.stagePosition, [job.state.rawValue: 1]))
                }
            }
            let failed = jobs.filter { [.failed, .blocked, .cancelled].contains($0.state) }.prefix(20).map { job in
                [
                    "key": job.key, "stage": job.stage, "state": job.state.rawValue, "reason": job.reason ?? "",
                    "log_tail": job.outputDir.map {
                        Self.tail(JobDirectory(url: URL(fileURLWithPath: $0)).stderr, lines: 8)
                    }
                        ?? "",
                ] as [String: Any]
            }
            let (missing, unfinished) = try MissingResults.report(store: store, sweep: sweep)
            result.append([
                "name": sweep, "jobs": jobs.count,
                "stages": stages.sorted { $0.1 < $1.1 }.map { ["stage": $0.0, "states": $0.2] },
                "failed": Array(failed),
                "missing": missing.prefix(50).map { ["run": $0.run, "point": $0.point, "metrics": $0.metrics] },
                "unfinished_runs": unfinished,
            ])
        }
        return result
    }

    // MARK: - Runs

    private func runs(_ query: [String: String]) throws -> [String: Any] {
        let sweep = query["sweep"].flatMap { $0.isEmpty ? nil : $0 }
        let filter = query["where"].flatMap { $0.isEmpty ? nil : $0 }
        let offset = max(0, Int(query["offset"] ?? "") ?? 0)
        let limit = min(500, max(1, Int(query["limit"] ?? "") ?? 50))
        var rows: [RunRow]
        let total: Int
        let pageOffset: Int
        if let sort = query["sort"], !sort.isEmpty {
            // Sorting needs every matching run; without it only the page is built.
            rows = try store.runs(sweep: sweep, where: filter)
            total = rows.count
            pageOffset = offset
            let descending = query["desc"] == "1"
            func key(_ row: RunRow) -> (Int, Double, String) {
                if sort == "id" { return (0, 0, row.id) }
                if sort == "status" { return (0, 0, row.status.rawValue) }
                if let value = row.metrics[sort] ?? nil { return (0, value, "") }
                if let param = row.params[sort] {
                    if let number = param.numberValue { return (0, number, "") }
                    return (0, 0, row.labels[sort] ?? param.description)
                }
                return (1, 0, "")  // runs without it last, either way
            }
            rows.sort { lhs, rhs in
                let a = key(lhs)
                let b = key(rhs)
                if a.0 != b.0 { return a.0 < b.0 }
                return descending ? (a.1, a.2) > (b.1, b.2) : (a.1, a.2) < (b.1, b.2)
            }
        } else {
            (total, rows) = try store.runPage(sweep: sweep, where: filter, offset: offset, limit: limit)
            pageOffset = 0
        }
        var paramNames: [String] = []
        var metricNames: Set<String> = []
        var values: [String: Set<String>] = [:]
        for row in rows {
            for name in row.paramOrder where !paramNames.contains(name) { paramNames.append(name) }
            for (key, value) in row.metrics where value != nil && !key.contains(".") { metricNames.insert(key) }
            for (name, value) in row.params { values[name, default: []].insert(value.description) }
        }
        let varying = paramNames.filter { (values[$0]?.count ?? 0) > 1 }
        let chosen = query["columns"].map { $0.split(separator: ",").map(String.init) }
        let page = rows.dropFirst(pageOffset).prefix(limit).map { row -> [String: Any] in
            [
                "id": row.id, "sweep": row.sweep, "status": row.status.rawValue,
                "params": row.params.mapValues { row.labels.isEmpty ? $0.description : $0.description },
                "labels": row.labels,
                "metrics": row.metrics.compactMapValues { $0 }.filter {
                    chosen?.contains($0.key) ?? !$0.key.contains(".")
                },
            ]
        }
        return [
            "total": total, "offset": offset, "limit": limit, "params": paramNames, "varying": varying,
            "metrics": metricNames.sorted(), "rows": page,
        ]
    }

    private func run(_ id: String) throws -> [String: Any] {
        let detail = try store.runDetail(id: id)
        return [
            "id": detail.run.id, "sweep": detail.run.sweep, "status": detail.run.status.rawValue,
            "params": detail.run.params.mapValues(\.description), "labels": detail.run.labels,
            "metrics": detail.run.metrics.compactMapValues { $0 },
            "jobs": detail.jobs.map { job in
                [
                    "key": job.key, "stage": job.stage, "state": job.state.rawValue, "output_dir": job.outputDir ?? "",
                    "params": job.params,
                    "attempts": job.attempts.map { attempt in
                        [
                            "number": attempt.number, "backend": attempt.backend.rawValue,
                            "state": attempt.state.rawValue, "reason": attempt.reason ?? "",
                            "started_at": attempt.startedAt?.timeIntervalSince1970 as Any,
                            "ended_at": attempt.endedAt?.timeIntervalSince1970 as Any,
                            "exit_code": attempt.exitCode as Any, "host": attempt.host ?? "",
                        ] as [String: Any]
                    },
                    "metrics": job.metrics.map { ["key": $0.key, "value": $0.value as Any, "count": $0.count] },
                ] as [String: Any]
            },
            "revisions": detail.revisions.map { role, revision in
                [
                    "role": role, "commit": revision.commit ?? "", "branch": revision.branch ?? "",
                    "dirty": revision.dirty, "diff": revision.diff, "untracked": revision.untracked,
                ] as [String: Any]
            },
        ]
    }

    private func log(_ key: String, stream: String, tail: Int) throws -> DashboardResponse {
        guard stream == "stdout" || stream == "stderr" else {
            return .error(400, "stream is '\(stream)'; use stdout or stderr")
        }
        let detail = try store.jobDetail(key: key)
        guard let output = detail.outputDir else { return .text("") }
        let directory = JobDirectory(url: URL(fileURLWithPath: output))
        return .text(
            Self.tail(stream == "stdout" ? directory.stdout : directory.stderr, lines: min(max(tail, 1), 5_000)))
    }

    /// The last `lines` lines of a file (reading at most its last 256 KiB).
    static func tail(_ url: URL, lines: Int) -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > 262_144 ? size - 262_144 : 0
        try? handle.seek(toOffset: start)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1).joined(separator: "\n")
    }

    // MARK: - Curves, parallel coordinates, reports

    private func curves(_ query: [String: String]) throws -> [String: Any] {
        guard let key = query["key"], !key.isEmpty else { throw DashboardError("give the metric as ?key=loss") }
        let ids = (query["runs"] ?? "").split(separator: ",").map(String.init).prefix(50)
        let buckets = min(4_000, max(10, Int(query["buckets"] ?? "") ?? 800))
        let byTokens = query["x"] == "tokens"
        guard query["x"] == nil || query["x"] == "step" || byTokens else {
            throw DashboardError("x is '\(query["x"] ?? "")'; use step or tokens")
        }
        var series: [[String: Any]] = []
        let counter = try store.changeCounter()
        var byRun: [(id: String, points: [(step: Double, value: Double)])] = []
        let grouped = !(query["group"] ?? "").isEmpty
        for prefix in ids {
            guard case .run(let id) = try store.resolve(id: prefix) else { continue }
            // A long logged series is drawn from its tiles of 1,024 steps, written at ingestion.
            if !grouped, let tiles = try store.seriesTiles(runID: id, key: key), tiles.count * 2 >= buckets,
                !tiles.isEmpty
            {
                let merged = SeriesDownsampler.merge(tiles, buckets: buckets)
                let scale = try xScale(id, byTokens: byTokens)
                series.append([
                    "run": id, "points": tiles.reduce(0) { $0 + $1.count },
                    "buckets": merged.map { [$0.x * scale, $0.min, $0.max] },
                ])
                continue
            }
            let points = try cache.points(id + "\u{1F}" + key, counter: counter) {
                try store.series(runID: id, key: key)
            }
            byRun.append((id, points))
            let sampled = SeriesDownsampler.minMax(points, buckets: buckets)
            let scale = try xScale(id, byTokens: byTokens)
            series.append([
                "run": id, "points": points.count,
                "buckets": sampled.map { [$0.x * scale, $0.min, $0.max] },
            ])
        }
        var result: [String: Any] = ["key": key, "series": series]
        if let group = query["group"], !group.isEmpty {
            var groups = try bands(byRun, group: group, buckets: buckets)
            if byTokens {
                for index in groups.indices {
                    guard let first = (groups[index]["runs"] as? [String])?.first,
                        let rows = groups[index]["buckets"] as? [[Double]]
                    else { continue }
                    let scale = try xScale(first, byTokens: true)
                    groups[index]["buckets"] = rows.map { [$0[0] * scale, $0[1], $0[2]] }
                }
            }
            result["groups"] = groups
        }
        return result
    }

    /// What a curve's steps are multiplied by: 1 by step; the run's tokens per step by tokens.
    private func xScale(_ runID: String, byTokens: Bool) throws -> Double {
        guard byTokens else { return 1 }
        guard let tokens = try store.tokensPerStep(runID: runID) else {
            throw DashboardError(
                "run \(runID.prefix(12)) does not know its tokens per step (give its training stage an hf-trainer collector with tokens_per_step); draw it by step"
            )
        }
        return tokens
    }

    /// Runs grouped by parameter `group` (seeds of one configuration, say): per group, the mean and sample
    /// standard deviation across its runs of each bucket's mean value, on one grid of buckets.
    private func bands(
        _ series: [(id: String, points: [(step: Double, value: Double)])], group: String, buckets: Int
    ) throws -> [[String: Any]] {
        let steps = series.flatMap { $0.points.map(\.step) }
        guard let low = steps.min(), let high = steps.max() else { return [] }
        let width = high > low ? (high - low) / Double(buckets) : 1
        var groups: [(label: String, runs: [String], means: [[Double?]])] = []
        for (id, points) in series {
            let detail = try store.runDetail(id: id)
            let label = detail.run.labels[group] ?? detail.run.params[group]?.description ?? "–"
            let means = SeriesDownsampler.means(points, low: low, high: high, buckets: buckets)
            if let index = groups.firstIndex(where: { $0.label == label }) {
                groups[index].runs.append(id)
                groups[index].means.append(means)
            } else {
                groups.append((label, [id], [means]))
            }
        }
        return groups.map { group in
            let rows = (0..<buckets).compactMap { bucket -> [Double]? in
                let values = group.means.compactMap { $0[bucket] }
                guard !values.isEmpty else { return nil }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance =
                    values.count > 1
                    ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
                return [low + (Double(bucket) + 0.5) * width, mean, variance.squareRoot()]
            }
            return ["label": group.label, "runs": group.runs, "buckets": rows]
        }
    }

    private func parallel(_ query: [String: String]) throws -> [String: Any] {
        guard let sweep = query["sweep"], try store.sweepNames().contains(sweep) else {
            throw StoreError.unknownID(query["sweep"] ?? "")
        }
        let rows = try store.runs(sweep: sweep)
        var values: [String: Set<String>] = [:]
        for row in rows { for (name, value) in row.params { values[name, default: []].insert(value.description) } }
        let axes = (rows.first?.paramOrder ?? []).filter { (values[$0]?.count ?? 0) > 1 }
        let metric = query["metric"] ?? ""
        return [
            "axes": axes, "metric": metric,
            "rows": rows.map { row in
                [
                    "id": row.id,
                    "params": Dictionary(uniqueKeysWithValues: axes.map { ($0, row.params[$0]?.description ?? "") }),
                    "value": (row.metrics[metric] ?? nil) as Any,
                ] as [String: Any]
            },
        ]
    }

    private func report(_ name: String, format: String) throws -> DashboardResponse {
        guard let path = reports[name] else { return .error(404, "no report '\(name)'; see /api/reports") }
        guard let renderer = ReportFormat(rawValue: format) else {
            return .error(400, "format '\(format)' is not one of markdown, latex, csv, json, html")
        }
        let table = try ReportLoader(store: store).table(for: try ReportLoader.spec(at: path), curves: format == "html")
        let types = [
            "html": "text/html", "markdown": "text/markdown", "latex": "application/x-latex", "csv": "text/csv",
            "json": "application/json",
        ]
        return .text(renderer.renderer.render(table), type: (types[format] ?? "text/plain") + "; charset=utf-8")
    }
}

/// A bad request the dashboard answers with 400 and this message.
struct DashboardError: Error, LocalizedError {
    let message: String
    init(_ message: String) { self.message = message }
    var errorDescription: String? { message }
}
