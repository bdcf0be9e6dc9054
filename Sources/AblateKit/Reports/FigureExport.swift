import AblateExecution
import AblateReport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a report's figure: SVG as rendered, or PDF (vector, fonts embedded, the figure's size in inches)
/// converted from it by librsvg's `rsvg-convert`.
public enum FigureExport {
    /// Writes `figure` to `path` (`.svg` or `.pdf`).
    public static func write(_ figure: ReportFigure, to path: String) throws {
        let svg = FigureSVGRenderer().render(figure)
        let url = URL(fileURLWithPath: path)
        switch url.pathExtension.lowercased() {
        case "svg":
            try Data(svg.utf8).write(to: url, options: .atomic)
        case "pdf":
            guard let converter = ProcessRunner.resolve("rsvg-convert") else {
                throw AblateError.figureConversion(
                    path,
                    reason:
                        "a PDF is converted from the SVG by rsvg-convert, which is not installed (Debian: apt install librsvg2-bin); or write FILE.svg"
                )
            }
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
                "ablate-figure-\(UUID().uuidString).svg")
            try Data(svg.utf8).write(to: temporary)
            defer { try? FileManager.default.removeItem(at: temporary) }
            let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
            let result = try ProcessRunner().run(converter, ["-f", "pdf", "-o", partial.path, temporary.path])
            guard result.status == 0 else {
                try? FileManager.default.removeItem(at: partial)
                throw AblateError.figureConversion(
                    path, reason: "rsvg-convert failed: \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))"
                )
            }
            // rename(2): the finished PDF replaces an older one whole, never a half-written file.
            guard rename(partial.path, url.path) == 0 else {
                try? FileManager.default.removeItem(at: partial)
                throw AblateError.figureConversion(path, reason: String(cString: strerror(errno)))
            }
        default:
            throw AblateError.figureFormat(path)
        }
    }
}
