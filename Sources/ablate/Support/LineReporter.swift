import AblateKit
import Foundation

/// Prints each event as one unbuffered line, even into a file or a pipe (`--watch > log`): the Slurm
/// backend's reporter.
struct LineReporter: DispatchReporter {
    func event(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
