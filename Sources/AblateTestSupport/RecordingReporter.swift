import AblateExecution
import Foundation

/// A dispatch reporter for tests: keeps every event line, in order.
public final class RecordingReporter: DispatchReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    /// Creates an empty reporter.
    public init() {}

    /// The events so far.
    public var events: [String] { lock.withLock { lines } }

    /// Keeps the line.
    public func event(_ text: String) { lock.withLock { lines.append(text) } }
}
