import Foundation

/// Thrown when a spec has one or more errors; holds every diagnostic found, warnings included.
public struct SpecValidationError: LocalizedError, Sendable, CustomStringConvertible {
    /// All diagnostics, sorted by position.
    public var diagnostics: [Diagnostic]

    /// Creates an error from diagnostics.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.file, $0.location) < ($1.file, $1.location) }
    }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// One diagnostic per line, then a count: `2 errors in sweeps/a.yaml`.
    public var description: String {
        let count = errors.count
        let files = Set(diagnostics.map(\.file)).sorted().joined(separator: ", ")
        let summary = "\(count) error\(count == 1 ? "" : "s") in \(files)"
        return (diagnostics.map(\.description) + [summary]).joined(separator: "\n")
    }
}

extension SpecValidationError {
    /// Same as ``description``.
    public var errorDescription: String? { description }
}
