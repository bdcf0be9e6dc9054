/// One problem found in a spec, pointing at its place in the file.
///
/// Printed compiler-style: `sweeps/a.yaml:12:5: error: unknown key 'stagse'; did you mean 'stages'?`
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        /// The spec cannot be used until this is fixed.
        case error
        /// The spec works, but probably not as intended.
        case warning
    }

    /// The file the problem is in, as the user named it.
    public var file: String
    /// Where in the file.
    public var location: SourceLocation
    /// Error or warning.
    public var severity: Severity
    /// What is wrong and what to do.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, location: SourceLocation, severity: Severity = .error, message: String) {
        self.file = file
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `FILE:LINE:COL: error: MESSAGE`.
    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }

    /// The diagnostic followed by the offending source line and a caret under the column.
    public func rendered(source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line >= 1, location.line <= lines.count else { return description }
        let line = lines[location.line - 1].replacingTabs()
        let caretColumn = max(0, min(location.column - 1, line.unicodeScalars.count))
        return description + "\n" + line + "\n" + String(repeating: " ", count: caretColumn) + "^"
    }
}

extension Substring {
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
