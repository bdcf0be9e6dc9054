import AblateCore
import Foundation

/// Reads a sweep spec from disk and validates it.
public enum SpecFile {
    /// Reads the file at `path` as UTF-8 text.
    ///
    /// - Throws: ``AblateError`` when the file is missing, unreadable or not text.
    public static func read(_ path: String) throws(AblateError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .fileNotFound(path)
        }
        if isDirectory.boolValue { throw .unreadableFile(path, reason: "it is a directory; name a .yaml file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .notText(path) }
        return text
    }

    /// Reads, validates and expands the spec at `path`, and checks what its stages `require` on this
    /// machine.
    ///
    /// - Throws: ``AblateError`` for file problems, `SpecValidationError` with every spec problem, or every
    ///   missing environment variable and path.
    public static func load(
        _ path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws -> SpecLoader.Loaded
    {
        let text = try read(path)
        let loaded = try SpecLoader.load(yaml: text, file: path, codeIdentity: CodeIdentity.resolver)
        let missing = RequirementCheck.diagnostics(loaded.spec, file: path, environment: environment)
        if !missing.isEmpty { throw SpecValidationError(diagnostics: missing + loaded.warnings) }
        return loaded
    }
}
