import AblateStore
import Foundation

extension SlurmSync {
    func recoverSubmissions(_ report: inout Report) throws {
        let unconfirmed = try store.unconfirmedSubmissions()
        guard !unconfirmed.isEmpty else { return }
        for submission in unconfirmed { waitForSubmitter(script: submission.script) }
        let names = Set(unconfirmed.map { "ablate/\($0.sweep)/\($0.stage)" })
        let jobs = try client.jobs(names: names.sorted())
        for submission in unconfirmed {
            if let found = jobs.first(where: { $0.comment == "ablate:\(submission.token)" }) {
                try store.confirmSubmission(id: submission.id, slurmJobID: found.arrayJobID)
                report.recovered += 1
                report.events.append(
                    "found   \(submission.stage) submission \(submission.token) in Slurm as \(found.arrayJobID) (ablate had stopped while submitting it)"
                )
            } else {
                try store.abandonSubmission(
                    id: submission.id, state: .lost,
                    message: "never reached Slurm: ablate stopped while submitting it; 'ablate run' submits it again")
                report.lost += 1
                report.events.append(
                    "lost    \(submission.stage) submission \(submission.token): it never reached Slurm")
            }
        }
    }

    /// Waits while an `sbatch` of this script (left behind by a killed `ablate`) is still running.
    func waitForSubmitter(script: String) {
        let deadline = Date().addingTimeInterval(submitterWait)
        while Date() < deadline, Self.processRunning(withArgument: script) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    static func processRunning(withArgument argument: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            if data.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == argument }) {
                return true
            }
        }
        return false
    }
}
