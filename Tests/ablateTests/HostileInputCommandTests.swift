import AblateTestSupport
import Foundation
import Testing

/// Paths and files a careless user gives: each refused with a message that names the problem, never
/// converted, never a Foundation error code.
@Suite struct HostileInputCommandTests {
    static func directory() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        try "sweep: ok\nstages:\n  s: {run: 'true'}\n".write(
            to: directory.appendingPathComponent("ok.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func anotherProgramsSQLiteFileIsRefusedAndLeftAsItIs() throws {
        let directory = try Self.directory()
        let other = directory.appendingPathComponent("other.db")
        let made = try AblateProcess.tool(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3; c = sqlite3.connect('\(other.path)'); c.execute('create table t(x)'); c.commit()",
            ])
        try #require(made.status == 0, "\(made.output)")
        for command in [["run", "ok.yaml"], ["import", "ok.yaml"], ["runs"]] {
            let result = try AblateProcess.run(command + ["--db", "other.db"], in: directory)
            #expect(result.status == 2)
            #expect(
                result.stderr
                    == "error: '\(other.path)' is not an Ablate results database; pass the right --db PATH\n"
                    .replacingOccurrences(of: other.path, with: "other.db"))
        }
        let tables = try AblateProcess.tool(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3; print(sqlite3.connect('\(other.path)').execute('select count(*) from sqlite_master').fetchone()[0])",
            ])
        #expect(tables.output == "1\n")
    }

    @Test(arguments: [
        ["run", "ok.yaml", "--db", "/dev/null"], ["runs", "--db", "/dev/null"], ["runs", "--db", "/tmp"],
    ])
    func aDeviceOrDirectoryAsTheDatabaseIsAClearError(arguments: [String]) throws {
        let result = try AblateProcess.run(arguments, in: try Self.directory())
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "is not a regular file (a device or a directory), so it cannot hold a results database"))
    }

    @Test func aWorkDirectoryUnderAFileSaysSo() throws {
        let result = try AblateProcess.run(["run", "ok.yaml", "--workdir", "/dev/null/x"], in: try Self.directory())
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: cannot prepare the directory '/dev/null/x': '/dev/null' is a file, not a directory; choose another --workdir\n"
        )
    }

    @Test func importingAMissingFileSpeaksOfImporting() throws {
        let result = try AblateProcess.run(["import", "nothere.json", "--format", "lm-eval"], in: try Self.directory())
        #expect(result.status == 2)
        #expect(result.stderr == "error: no such file or directory 'nothere.json' to import; check the path\n")
    }
}
