import Foundation

/// Errors of the orchestration layer; each message quotes the bad value and says what to do.
public enum AblateError: LocalizedError, Sendable, Equatable {
    /// A file the user named does not exist.
    case fileNotFound(String)
    /// A file exists but cannot be read.
    case unreadableFile(String, reason: String)
    /// A file is not UTF-8 text.
    case notText(String)
    /// A report has no figure to write.
    case noFigure(String)
    /// A figure's file name says neither SVG nor PDF.
    case figureFormat(String)
    /// A PDF figure needs a converter that is not installed, or that failed.
    case figureConversion(String, reason: String)

    /// The message shown to the user.
    public var errorDescription: String? {
        switch self {
        case .fileNotFound(let path):
            "no such file '\(path)'; check the path (sweep specs usually live in 'sweeps/')"
        case .unreadableFile(let path, let reason):
            "cannot read '\(path)': \(reason)"
        case .notText(let path):
            "'\(path)' is not UTF-8 text; a spec must be a YAML text file"
        case .noFigure(let report):
            "report '\(report)' has no 'figure'; add 'figure: {x: tokens, y: METRIC}' to its spec (docs/report-format.md)"
        case .figureFormat(let path):
            "'\(path)' ends in neither .svg nor .pdf; name the figure's file FILE.svg or FILE.pdf"
        case .figureConversion(let path, let reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}
