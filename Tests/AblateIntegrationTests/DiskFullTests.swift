import AblateTestSupport
import Foundation
import Testing

/// The results database on a small tmpfs that fills up during a sweep: jobs end with their metrics
/// pending, never silently without them, and once there is room again the next `ablate run` records
/// every metric line of every job exactly once.
@Suite(.serialized, .enabled(if: TestTools.canMount, "mounting a tmpfs needs root"))
struct DiskFullTests {
    static let jobs = 6
    static let lines = 20_000

    /// A fresh working directory whose `db` folder is a tmpfs of `size` (mount's spelling, e.g. `2m`);
    /// the caller unmounts it.
    static func mountTmpfs(size: String) throws -> (directory: URL, database: URL) {
        let directory = try AblateProcess.temporaryDirectory()
        let database = directory.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
        let mount = try AblateProcess.tool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", database.path])
        try #require(mount.status == 0, "\(mount.output)")
        return (directory, database)
    }

    @Test func metricsOfAFullDiskArePendingThenRecordedExactlyOnce() throws {
        let (directory, database) = try Self.mountTmpfs(size: "2m")
        defer { _ = try? AblateProcess.tool("/bin/umount", ["-l", database.path]) }
        try """
        i=1; while [ $i -le \(Self.lines) ]; do echo "{\\"step\\": $i, \\"loss\\": $i.5, \\"acc\\": $1}"; i=$((i+1)); done >> "$ABLATE_METRICS"

        """.write(to: directory.appendingPathComponent("gen.sh"), atomically: true, encoding: .utf8)
        try """
        sweep: full
        grid: {j: [\((1...Self.jobs).map(String.init).joined(separator: ", "))]}
        stages:
          work: {uses: [j], run: "sh gen.sh {params.j}"}

        """.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let arguments = ["run", "s.yaml", "--db", "db/a.db", "--jobs", "2"]
        let full = try AblateProcess.run(arguments, in: directory)
        #expect(full.status == 1, "\(full.stdout)\(full.stderr)")
        #expect(full.stdout.contains("metrics not ingested"), "\(full.stdout)")
        #expect(full.stdout.contains("ended with their metrics pending"), "\(full.stdout)")
        func value(_ sql: String) throws -> String {
            try AblateProcess.run(["sql", sql, "--format", "csv", "--db", "db/a.db"], in: directory).stdout
                .split(separator: "\n").dropFirst().joined(separator: "|")
        }
        #expect(try value("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'") == String(Self.jobs))
        #expect(try Int(value("SELECT SUM(metrics_pending) FROM jobs")) ?? 0 > 0)
        // Room again.
        let grow = try AblateProcess.tool("/bin/mount", ["-o", "remount,size=64m", database.path])
        try #require(grow.status == 0, "\(grow.output)")
        let again = try AblateProcess.run(arguments, in: directory)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(try value("SELECT SUM(metrics_pending) FROM jobs") == "0")
        #expect(try value("SELECT COUNT(*) FROM metric_points") == String(Self.jobs * Self.lines * 2))
        #expect(
            try value(
                "SELECT COUNT(*) FROM (SELECT job_id, key_id, step FROM metric_points GROUP BY 1, 2, 3 HAVING COUNT(*) > 1)"
            ) == "0")
        #expect(try value("SELECT MIN(count), MAX(count) FROM metric_summaries") == "\(Self.lines),\(Self.lines)")
    }

    @Test func aDatabaseOnAReadOnlyFilesystemCanStillBeRead() throws {
        let (directory, database) = try Self.mountTmpfs(size: "8m")
        defer { _ = try? AblateProcess.tool("/bin/umount", ["-l", database.path]) }
        try "sweep: ro\nstages:\n  s: {run: 'echo {{\\\"recall\\\": 91.5}} >> $ABLATE_METRICS'}\n".write(
            to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "s.yaml", "--db", "db/a.db"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let readOnly = try AblateProcess.tool("/bin/mount", ["-o", "remount,ro", database.path])
        try #require(readOnly.status == 0, "\(readOnly.output)")
        let runs = try AblateProcess.run(
            ["runs", "--db", "db/a.db", "--format", "csv", "--columns", "sweep,metric.recall"], in: directory)
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout == "sweep,metric.recall\nro,91.5\n")
    }
}
