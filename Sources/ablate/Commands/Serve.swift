import AblateKit
import AblateServe
import ArgumentParser
import Foundation

/// `ablate serve`: the read-only web dashboard.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a live, read-only web dashboard over the results database.",
        discussion: """
            Sweeps (jobs per stage and state, live), runs (filtered with the --where language, sortable, \
            paged), a run (jobs, attempts, logs, git provenance), curves (downsampled on the server), \
            parallel coordinates and the reports in reports/. The database is opened read-only, so a \
            running sweep never waits for it. Binds 127.0.0.1; another --host needs --token.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free one, printed).")
    var port: UInt16 = 8321

    @Option(help: "A token every request must carry (?token= or 'Authorization: Bearer'); required off loopback.")
    var token: String?

    @Option(help: "A directory of report specs to serve (default: reports/ where ablate runs).")
    var reports = "reports"

    @Option(help: "Another report spec to serve.")
    var report: [String] = []

    func validate() throws {
        if !DashboardServer.isLoopback(host), (token ?? "").isEmpty {
            throw ValidationError(
                "--host \(host) is reachable from other machines; give --token TOKEN, which every request must carry")
        }
    }

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            var specs = report
            if let names = try? FileManager.default.contentsOfDirectory(atPath: reports) {
                specs += names.filter { $0.hasSuffix(".yaml") }.sorted().map { reports + "/" + $0 }
            }
            let server = DashboardServer(
                dashboard: Dashboard(store: database, reports: specs, token: token), host: host, port: port)
            let host = self.host
            try await server.run { bound in
                // Written at once, unbuffered: a script reads the port from this line.
                FileHandle.standardOutput.write(
                    Data("serving the dashboard at http://\(host):\(bound)/ (read-only; Ctrl-C stops it)\n".utf8))
            }
        }
    }
}
