import AblateExecution
import Foundation

/// The outside tools some integration tests need, and whether this machine has them, for
/// `.enabled(if:)`: a laptop without Slurm skips those tests and says why, while CI (`CI` set), whose
/// script installs every tool, runs them all, so that a missing tool fails instead of hiding.
public enum TestTools {
    /// Whether the tests run under CI, where every tool must be present.
    public static let underCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

    /// A single-node Slurm cluster answers (`scripts/slurm-dev-cluster.sh up`).
    public static let slurm: Bool = {
        guard let result = try? ProcessRunner().run("/usr/bin/env", ["sinfo", "-h", "-o", "%T"]) else { return false }
        return underCI || (result.status == 0 && !result.output.isEmpty)
    }()

    /// `pdflatex` is installed (`scripts/setup-report-tools.sh`).
    public static let pdflatex = underCI || FileManager.default.isExecutableFile(atPath: "/usr/bin/pdflatex")

    /// Headless Chromium is installed (`scripts/setup-report-tools.sh`).
    public static let chromium = underCI || FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")

    /// `rsvg-convert` and poppler's `pdfinfo`, `pdffonts` and `pdftoppm` are installed
    /// (`scripts/setup-report-tools.sh`), for the PDF figures.
    public static let pdfTools =
        underCI || ["rsvg-convert", "pdfinfo", "pdffonts", "pdftoppm"].allSatisfy { ProcessRunner.resolve($0) != nil }

    /// Filesystems can be mounted (root), for tests with a small tmpfs.
    public static let canMount =
        underCI || (getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount"))

    /// `python3` is on PATH (the HELMET stand-in and the baselines of the collectors' golden tests).
    public static let python = underCI || ProcessRunner.resolve("python3") != nil

    /// The trainer's venv exists with lm-evaluation-harness in it (`scripts/setup-trainer.sh`).
    public static let trainer =
        underCI
        || [".venv/bin/python", ".venv/bin/lm_eval"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: AblateProcess.packageRoot.appendingPathComponent($0).path)
        }
}
