/// How a dispatch ended, as `ablate run` prints it and exits with it.
public struct DispatchSummary: Sendable, Equatable {
    /// The closing lines.
    public var text: String
    /// 0 when every job succeeded (or, for a submission, when everything was submitted); 130 when
    /// interrupted; 1 otherwise.
    public var exitCode: Int32

    /// Creates a summary.
    public init(text: String, exitCode: Int32) {
        self.text = text
        self.exitCode = exitCode
    }
}
