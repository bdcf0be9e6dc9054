import AblateKit
import AblateServe
import AblateStore
import AblateTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `ablate serve`: every endpoint of the dashboard over a database holding a finished sweep (status codes,
/// JSON shapes, 404s, the token, traversal attempts), then the real server over HTTP, and the pages in
/// headless Chromium.
@Suite(.serialized) struct DashboardTests {
    /// A finished sweep: 2 data sources x 2 seeds, a training that logs 300 loss points, an evaluation.
    static let directory: URL = {
        let directory = try! AblateProcess.temporaryDirectory()
        try! """
        sweep: dash
        grid:
          data: [books, repos]
          seed: [1, 2]
        stages:
          train:
            uses: [data, seed]
            run: >-
              for s in $(seq 1 300); do echo '{{"step": '$s', "loss": '$(( 1000 - s ))'}}'; done > {output}/metrics.jsonl;
              echo training {params.data}
          eval:
            after: [train]
            run: >-
              echo '{{"step": 0, "recall": '$(( ${#ABLATE_INPUT_TRAIN} % 7 + 40 ))'}}' > {output}/metrics.jsonl
        metrics:
          recall: {goal: max, label: Recall}
        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        try! FileManager.default.createDirectory(
            at: directory.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try! """
        report: dash
        from: {sweep: dash}
        rows: {by: data}
        columns: [{metric: recall, label: Recall}]
        """.write(to: directory.appendingPathComponent("reports/dash.yaml"), atomically: true, encoding: .utf8)
        let run = try! AblateProcess.run(["run", "s.yaml"], in: directory)
        precondition(run.status == 0, run.stdout)
        return directory
    }()

    static func dashboard(token: String? = nil) throws -> Dashboard {
        let store = try ResultStore.openReadOnly(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        return Dashboard(
            store: store, reports: [directory.appendingPathComponent("reports/dash.yaml").path], token: token)
    }

    static func get(
        _ path: String, _ query: [String: String] = [:], token: String? = nil, headers: [String: String] = [:]
    )
        throws -> (Int, Any?)
    {
        let response = try dashboard(token: token).respond(DashboardRequest(path: path, query: query, headers: headers))
        return (response.status, try? JSONSerialization.jsonObject(with: response.body))
    }

    @Test func sweepsShowJobsPerStageAndState() throws {
        let (status, body) = try Self.get("/api/sweeps")
        #expect(status == 200)
        let sweeps = try #require(body as? [[String: Any]])
        #expect(sweeps.map { $0["name"] as? String } == ["dash"])
        let stages = try #require(sweeps[0]["stages"] as? [[String: Any]])
        #expect(stages.map { $0["stage"] as? String } == ["train", "eval"])
        #expect((stages[0]["states"] as? [String: Int]) == ["succeeded": 4])
        #expect(try Self.get("/api/sweeps/nope").0 == 404)
        #expect(try Self.get("/api/sweeps/dash").0 == 200)
    }

    @Test func runsAreFilteredSortedAndPaged() throws {
        let (status, body) = try Self.get(
            "/api/runs", ["where": "data = books", "sort": "seed", "desc": "1", "limit": "1"])
        #expect(status == 200)
        let page = try #require(body as? [String: Any])
        #expect(page["total"] as? Int == 2)
        #expect(page["varying"] as? [String] == ["data", "seed"] || page["varying"] as? [String] == ["seed"])
        let rows = try #require(page["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows[0]["params"] as? [String: String])?["seed"] == "2")
        #expect((rows[0]["metrics"] as? [String: Double])?["recall"] != nil)
        let (bad, error) = try Self.get("/api/runs", ["where": "data = = books"])
        #expect(bad == 400)
        #expect(((error as? [String: String])?["error"] ?? "").isEmpty == false)
    }

    @Test func aRunItsJobsAndTheirLogs() throws {
        let page = try #require(try Self.get("/api/runs").1 as? [String: Any])
        let id = try #require((page["rows"] as? [[String: Any]])?.first?["id"] as? String)
        let run = try #require(try Self.get("/api/runs/\(id.prefix(10))").1 as? [String: Any])
        let jobs = try #require(run["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["stage"] as? String } == ["train", "eval"])
        let key = try #require(jobs[0]["key"] as? String)
        let log = try Self.dashboard().respond(DashboardRequest(path: "/api/jobs/\(key)/log", query: ["tail": "5"]))
        #expect(log.status == 200)
        #expect(String(decoding: log.body, as: UTF8.self).contains("training "))
        #expect(try Self.get("/api/runs/ffffffffffff").0 == 404)
        #expect(try Self.get("/api/jobs/\(key)/log", ["stream": "/etc/passwd"]).0 == 400)
        #expect(try Self.get("/api/jobs/\(id)/log").0 == 404, "a run's ID is not a job")
    }

    @Test func curvesAreDownsampledOnTheServer() throws {
        let page = try #require(try Self.get("/api/runs").1 as? [String: Any])
        let ids = try #require(page["rows"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        let (status, body) = try Self.get(
            "/api/curves", ["runs": ids.joined(separator: ","), "key": "loss", "buckets": "50"])
        #expect(status == 200)
        let series = try #require((body as? [String: Any])?["series"] as? [[String: Any]])
        #expect(series.count == 4)
        #expect(series[0]["points"] as? Int == 300)
        let buckets = try #require(series[0]["buckets"] as? [[Double]])
        #expect(buckets.count == 50)
        #expect(buckets.first?[2] == 999 && buckets.last?[1] == 700, "each bucket keeps its extremes")
        #expect(try Self.get("/api/curves").0 == 400)
        // A band over seeds: the runs grouped by their data source, two seeds each.
        let grouped = try #require(
            try Self.get(
                "/api/curves", ["runs": ids.joined(separator: ","), "key": "loss", "buckets": "30", "group": "data"]
            ).1
                as? [String: Any])
        let groups = try #require(grouped["groups"] as? [[String: Any]])
        #expect(groups.compactMap { $0["label"] as? String }.sorted() == ["books", "repos"])
        #expect(groups.allSatisfy { ($0["runs"] as? [String])?.count == 2 })
        let band = try #require(groups[0]["buckets"] as? [[Double]])
        #expect(band.count == 30 && band.allSatisfy { $0[2] == 0 }, "both seeds logged the same losses")
    }

    @Test func aLongSeriesIsDrawnFromItsTilesWithEveryExtremeKept() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: long
        stages:
          train:
            collect: [{hf-trainer: ., tokens_per_step: "4096"}]
            run: >-
              awk 'BEGIN {{ for (s = 1; s <= 20000; s++) printf "{{\\"step\\": %d, \\"loss\\": %d}}\\n", s, (s == 7777 ? 5000 : s % 100) }}'
              > {output}/metrics.jsonl
        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "s.yaml"], in: directory)
        #expect(run.status == 0, "\(run.stdout)")
        let store = try ResultStore.openReadOnly(path: directory.appendingPathComponent(".ablate/ablate.db").path)
        let dashboard = Dashboard(store: store, reports: [])
        let id = try #require(try store.runs().first?.id)
        let response = dashboard.respond(
            DashboardRequest(path: "/api/curves", query: ["runs": id, "key": "loss", "buckets": "10"]))
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let series = try #require((body["series"] as? [[String: Any]])?.first)
        #expect(series["points"] as? Int == 20_000)
        let buckets = try #require(series["buckets"] as? [[Double]])
        #expect(buckets.count == 10)
        #expect(buckets.map { $0[2] }.max() == 5_000, "the spike at step 7,777 survives")
        #expect(buckets.map { $0[1] }.min() == 0)
        #expect(try store.seriesTiles(runID: id, key: "loss")?.count == 20)
        // By tokens: steps times the training's tokens per step (its hf-trainer collector's).
        let tokens = dashboard.respond(
            DashboardRequest(path: "/api/curves", query: ["runs": id, "key": "loss", "x": "tokens", "buckets": "10"]))
        let byTokens = try #require(
            ((try JSONSerialization.jsonObject(with: tokens.body) as? [String: Any])?["series"] as? [[String: Any]])?
                .first?["buckets"] as? [[Double]])
        #expect(byTokens.map { $0[0] } == buckets.map { $0[0] * 4_096 })
        #expect(
            dashboard.respond(DashboardRequest(path: "/api/curves", query: ["runs": id, "key": "loss", "x": "epochs"]))
                .status == 400)
    }

    @Test func reportsAndParallelCoordinates() throws {
        #expect((try Self.get("/api/reports").1 as? [String: [String]]) == ["reports": ["dash"]])
        let html = try Self.dashboard().respond(DashboardRequest(path: "/reports/dash", query: ["format": "html"]))
        #expect(html.status == 200 && html.contentType.hasPrefix("text/html"))
        let csv = try Self.dashboard().respond(DashboardRequest(path: "/reports/dash", query: ["format": "csv"]))
        #expect(String(decoding: csv.body, as: UTF8.self).hasPrefix("data,"))
        #expect(try Self.get("/reports/../../etc/passwd").0 == 400)
        #expect(try Self.get("/reports/other").0 == 404)
        let parallel = try #require(
            try Self.get("/api/parallel", ["sweep": "dash", "metric": "recall"]).1 as? [String: Any])
        #expect(parallel["axes"] as? [String] == ["data", "seed"])
        #expect((parallel["rows"] as? [Any])?.count == 4)
    }

    @Test func theTokenIsCheckedOnEveryRequestAndPathsNeverReachFiles() throws {
        #expect(try Self.get("/api/sweeps", token: "s3cret").0 == 401)
        #expect(try Self.get("/api/sweeps", ["token": "wrong"], token: "s3cret").0 == 403)
        #expect(try Self.get("/api/sweeps", ["token": "s3cret"], token: "s3cret").0 == 200)
        #expect(try Self.get("/", token: "s3cret", headers: ["authorization": "Bearer s3cret"]).0 == 200)
        #expect(try Self.get("/app.js", token: "s3cret").0 == 401)
        for path in ["/../.ablate/ablate.db", "/api/jobs/../../etc/passwd/log", "/etc/passwd", "/api/nothing"] {
            #expect([400, 404].contains(try Self.get(path).0), "\(path)")
        }
        let post = try Self.dashboard().respond(DashboardRequest(method: "POST", path: "/api/sweeps"))
        #expect(post.status == 405)
    }

    /// Starts `ablate serve` on a free port; returns the process and the base URL.
    static func serve(in directory: URL, arguments: [String] = []) throws -> (Process, String) {
        let process = Process()
        process.executableURL = AblateProcess.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init), "\(line)")
        return (process, url)
    }

    static func curl(_ url: String) throws -> (status: Int, body: String) {
        let (_, output) = try AblateProcess.tool(
            "/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}", "--path-as-is", url])
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    @Test(.enabled(if: ProcessRunner.resolve("curl") != nil, "curl is missing"))
    func theServerAnswersOverHTTPAndRefusesOtherHostsWithoutAToken() throws {
        let (process, base) = try Self.serve(in: Self.directory)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let page = try Self.curl(base)
        #expect(page.status == 200 && page.body.contains("<script src=\"app.js\"></script>"))
        #expect(try Self.curl(base + "api/sweeps").body.contains("\"name\":\"dash\""))
        #expect(try Self.curl(base + "api/runs/zzzz").status == 404)
        #expect([400, 404].contains(try Self.curl(base + "../../../etc/passwd").status))
        let open = try AblateProcess.run(["serve", "--host", "0.0.0.0"], in: Self.directory)
        #expect(open.status == 2)
        #expect(open.stderr.contains("--host 0.0.0.0 is reachable from other machines; give --token TOKEN"))
    }

    @Test(.enabled(if: TestTools.chromium, "chromium is missing; run scripts/setup-report-tools.sh"))
    func thePagesRenderInHeadlessChromiumAndCountsChangeLive() throws {
        let (process, base) = try Self.serve(in: Self.directory)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        func dom(_ hash: String) throws -> String {
            let (_, output) = try AblateProcess.tool(
                "/usr/bin/chromium",
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=4000", "--dump-dom",
                    base + "#" + hash,
                ], in: Self.directory)
            return output
        }
        let sweeps = try dom("sweeps")
        #expect(sweeps.contains("data-rendered=\"sweeps\"") && sweeps.contains("succeeded 4"), "\(sweeps.suffix(2000))")
        let runs = try dom("runs")
        #expect(runs.components(separatedBy: "<tr class=\"run\"").count == 5, "4 run rows")
        let curves = try dom("curves")
        #expect(curves.components(separatedBy: "class=\"series\"").count == 5, "a line per run")
        let parallel = try dom("parallel")
        #expect(parallel.contains("id=\"parallel\""))
        let reports = try dom("reports")
        #expect(reports.contains("reports/dash?format=latex"))
        let screenshot = Self.directory.appendingPathComponent("runs.png")
        _ = try AblateProcess.tool(
            "/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=4000",
                "--window-size=1200,700", "--screenshot=\(screenshot.path)", base + "#runs",
            ], in: Self.directory)
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
        if let keep = ProcessInfo.processInfo.environment["ABLATE_KEEP_SCREENSHOT"] {
            try? FileManager.default.copyItem(at: screenshot, to: URL(fileURLWithPath: keep))
        }
    }

    @Test(.enabled(if: TestTools.chromium, "chromium is missing; run scripts/setup-report-tools.sh"))
    func theOpenPageShowsTheCountsOfARunningSweepChangeWithoutAReload() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: first\nstages:\n  work: {run: \"true\"}\n".write(
            to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        try "sweep: live\ngrid: {i: [1, 2, 3, 4, 5, 6]}\nstages:\n  work2: {uses: [i], run: \"sleep 0.5\"}\n".write(
            to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        #expect(try AblateProcess.run(["run", "s.yaml"], in: directory).status == 0)
        let (server, base) = try Self.serve(in: directory)
        let debugPort = 9_300 + Int(getpid() % 500)
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        browser.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=\(debugPort)",
            "--user-data-dir=\(directory.path)/chrome", base + "#sweeps",
        ]
        browser.standardOutput = FileHandle.nullDevice
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        defer {
            browser.terminate()
            server.terminate()
            browser.waitUntilExit()
            server.waitUntilExit()
        }
        // The sweep starts once the page is open, in another process.
        let runner = Process()
        runner.executableURL = AblateProcess.binary
        runner.arguments = ["run", "t.yaml", "--jobs", "1"]
        runner.currentDirectoryURL = directory
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        let watcher = AblateProcess.packageRoot.appendingPathComponent("scripts/cdp-watch.py").path
        let expression =
            "JSON.stringify([performance.timeOrigin, (document.querySelector('[data-sweep=\"live\"] .counts') || {}).textContent || null])"
        usleep(1_500_000)
        try runner.run()
        let (status, output) = try AblateProcess.tool(
            "/usr/bin/env", ["python3", watcher, String(debugPort), expression, "7", "0.2"], in: directory)
        runner.waitUntilExit()
        #expect(status == 0, "\(output)")
        let seen = output.split(separator: "\n").compactMap { line -> [String]? in
            guard
                let text = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: .fragmentsAllowed)
                    as? String,
                let pair = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
            else { return nil }
            return ["\(pair[0])", pair[1] as? String ?? "-"]
        }
        #expect(Set(seen.map(\.[0])).count == 1, "one page load, never reloaded: \(seen)")
        let counts = seen.map(\.[1]).filter { $0 != "-" }
        #expect(counts.count >= 3, "the counts changed on the open page: \(counts)")
        #expect(counts.last == "succeeded 6", "\(counts)")
    }

    @Test func aSweepRunningInAnotherProcessShowsUpWithoutLockErrors() throws {
        let directory = try AblateProcess.temporaryDirectory()
        try """
        sweep: live
        grid: {i: [1, 2, 3, 4, 5, 6]}
        stages:
          work: {uses: [i], run: "sleep 0.4"}
        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        // The database exists before the dashboard opens it.
        _ = try AblateProcess.run(["run", "s.yaml", "--jobs", "1"], in: directory, environment: [:])
        let db = directory.appendingPathComponent(".ablate/ablate.db").path
        try """
        sweep: live2
        grid: {i: [1, 2, 3, 4, 5, 6]}
        stages:
          work2: {uses: [i], run: "sleep 0.4"}
        """.write(to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
        let runner = Process()
        runner.executableURL = AblateProcess.binary
        runner.arguments = ["run", "t.yaml", "--jobs", "1"]
        runner.currentDirectoryURL = directory
        let log = Pipe()
        runner.standardOutput = log
        runner.standardError = log
        try runner.run()
        let dashboard = Dashboard(store: try ResultStore.openReadOnly(path: db), reports: [])
        var counters: Set<String> = []
        var succeeded: Set<Int> = []
        while runner.isRunning {
            counters.insert(
                String(decoding: dashboard.respond(DashboardRequest(path: "/api/changes")).body, as: UTF8.self))
            let body = dashboard.respond(DashboardRequest(path: "/api/sweeps/live2")).body
            if let sweep = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                let stage = (sweep["stages"] as? [[String: Any]])?.first, let states = stage["states"] as? [String: Int]
            {
                succeeded.insert(states["succeeded"] ?? 0)
            }
            usleep(50_000)
        }
        runner.waitUntilExit()
        let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(runner.terminationStatus == 0, "\(output)")
        #expect(!output.lowercased().contains("locked") && !output.lowercased().contains("busy"), "\(output)")
        #expect(counters.count >= 3, "the change counter moved while the sweep ran: \(counters.count)")
        #expect(succeeded.count >= 3, "the counts changed without a reload: \(succeeded.sorted())")
    }
}
