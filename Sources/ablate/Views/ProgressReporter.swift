import AblateKit
import Foundation

/// Shows a run's progress: plain line-by-line events when output is not a terminal, a live per-stage
/// display when it is.
final class ProgressReporter: DispatchReporter, @unchecked Sendable {
    // Used only from the orchestrator's task; @unchecked because it holds a FileHandle and mutable
    // display state that never cross tasks.
    private let output: FileHandle
    private let live: Bool
    private let start = Date()
    private var drawnLines = 0

    /// Reports to standard output; `live` defaults to whether it is a terminal.
    init(output: FileHandle = .standardOutput, live: Bool? = nil) {
        self.output = output
        self.live = live ?? (isatty(output.fileDescriptor) == 1)
    }

    /// One event: `12:00:01 started pretrain 0123456789ab (attempt 1)`.
    func event(_ text: String) {
        clear()
        write(Self.clock(Date()) + " " + text + "\n")
    }

    /// Redraws the live display (terminals only): per-stage counts, elapsed time, ETA and the latest
    /// loss of running jobs.
    func progress(_ snapshot: ProgressSnapshot) {
        guard live else { return }
        let (stages, running, done, total) = (snapshot.stages, snapshot.running, snapshot.done, snapshot.total)
        clear()
        var lines: [String] = []
        let elapsed = Date().timeIntervalSince(start)
        var eta = ""
        if done > 0, done < total {
            eta = ", ETA " + Self.duration(elapsed / Double(done) * Double(total - done))
        }
        lines.append("── \(done)/\(total) jobs done, \(Self.duration(elapsed)) elapsed\(eta)")
        for stage in stages {
            let c = stage.counts
            lines.append(
                "   \(stage.name): \(c[.succeeded] ?? 0) done, \(c[.running] ?? 0) running, "
                    + "\((c[.failed] ?? 0) + (c[.blocked] ?? 0)) failed/blocked, \((c[.new] ?? 0) + (c[.queued] ?? 0)) pending"
            )
        }
        for job in running.prefix(8) {
            lines.append("   ▸ \(job.label)" + (job.loss.map { "  loss \(RunTableBuilder.format($0))" } ?? ""))
        }
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func clear() {
        guard live, drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    private func write(_ text: String) {
        output.write(Data(text.utf8))
    }

    static func clock(_ date: Date) -> String {
        var components = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        components.nanosecond = 0
        return String(format: "%02d:%02d:%02d", components.hour ?? 0, components.minute ?? 0, components.second ?? 0)
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%dh%02dm", total / 3600, total / 60 % 60)
            : String(format: "%dm%02ds", total / 60, total % 60)
    }
}
