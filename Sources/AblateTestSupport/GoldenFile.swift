import Foundation
import Testing

/// Expects `text` to equal a golden file: the one golden-file check of the package's tests, so that every
/// golden test records, fails and explains itself the same way.
///
/// The golden file is `directory/name`, with `directory` relative to the folder of the calling test file
/// (`filePath`, the caller's `#filePath` unless given), so golden files live next to the tests that use them.
///
/// - With `RECORD_GOLDEN=1` in the environment, it (re)writes the file and records an issue saying so, so that
///   a recording run never passes unnoticed: check the file, then run the tests again without the variable.
/// - A missing golden file is an issue that says how to record it.
/// - A mismatch is an issue that shows the first line that differs, golden and actual.
///
/// - Parameters:
///   - text: The text under test.
///   - name: The golden file's name, such as `"array.sbatch"`.
///   - directory: The folder of golden files, relative to the calling test file's folder.
///   - filePath: The calling test file; leave the default.
///   - sourceLocation: Where issues are reported; leave the default.
public func expectGolden(
    _ text: String, _ name: String, in directory: String = "Golden", filePath: String = #filePath,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent(directory)
        .appendingPathComponent(name).standardizedFileURL
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            Issue.record(
                "recorded golden file \(url.path); check it, then run the tests again without RECORD_GOLDEN=1",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("cannot write golden file \(url.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard FileManager.default.fileExists(atPath: url.path) else {
        Issue.record(
            "golden file \(url.path) does not exist; run the tests with RECORD_GOLDEN=1 to record it, then check it",
            sourceLocation: sourceLocation)
        return
    }
    let golden: String
    do {
        golden = try String(contentsOf: url, encoding: .utf8)
    } catch {
        Issue.record("cannot read golden file \(url.path): \(error)", sourceLocation: sourceLocation)
        return
    }
    guard text != golden else { return }
    let difference = firstDifference(golden: golden, actual: text)
    Issue.record(
        "text differs from golden file \(url.path)\(difference); RECORD_GOLDEN=1 rewrites the file",
        sourceLocation: sourceLocation)
}

/// Where the text first differs from the golden file, for ``expectGolden(_:_:in:filePath:sourceLocation:)``:
/// `" at line N (golden: "…", actual: "…")"`, each line quoted as a Swift literal so that spaces, tabs and a `\r`
/// show; a missing line shows as the end of the file or text, a missing last newline as such.
private func firstDifference(golden: String, actual: String) -> String {
    // Split at each `\n` scalar: a `\r\n` is one `Character`, so splitting characters would not split it.
    let endsWithNewline = { (text: String) in text.unicodeScalars.last == "\n" }
    let split = { (text: String) -> [String] in
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(Substring($0))
        }
        if endsWithNewline(text) { lines.removeLast() }
        return lines
    }
    let goldenLines = split(golden)
    let actualLines = split(actual)
    for index in 0..<max(goldenLines.count, actualLines.count) {
        let goldenLine = index < goldenLines.count ? goldenLines[index] : nil
        let actualLine = index < actualLines.count ? actualLines[index] : nil
        guard goldenLine != actualLine else { continue }
        let shownGolden = goldenLine.map { String(reflecting: $0) } ?? "end of file"
        let shownActual = actualLine.map { String(reflecting: $0) } ?? "end of text"
        return " at line \(index + 1) (golden: \(shownGolden), actual: \(shownActual))"
    }
    if endsWithNewline(golden) != endsWithNewline(actual) {
        return endsWithNewline(golden)
            ? " at the end (the golden file ends with a newline, the text does not)"
            : " at the end (the text ends with a newline, the golden file does not)"
    }
    return ""
}
