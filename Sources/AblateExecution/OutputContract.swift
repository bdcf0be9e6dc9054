import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a successful job leaves behind (a stage's `produces:`): a job that exits 0 without one of these
/// paths fails, so that retries apply and its downstream jobs are blocked instead of running on nothing.
public enum OutputContract {
    /// The patterns of `produces` with no match in `directory`. A pattern is a path relative to the job
    /// directory whose components may hold `*`, `?` and `[...]` (matched per component, not across `/`,
    /// and not matching a leading `.` unless written).
    public static func missing(_ patterns: [String], in directory: URL) -> [String] {
        patterns.filter { !matches($0, in: directory) }
    }

    /// The reason a job that exited 0 is failed, naming what it did not produce.
    public static func reason(missing: [String]) -> String {
        "exited 0 but produced no " + missing.map { "'\($0)'" }.joined(separator: ", ")
            + " (the stage's 'produces'); check its log"
    }

    static func matches(_ pattern: String, in directory: URL) -> Bool {
        var candidates = [directory.path]
        for component in pattern.split(separator: "/").map(String.init) where component != "." {
            var next: [String] = []
            for base in candidates {
                if component.contains(where: { "*?[".contains($0) }) {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
                    for name in names where fnmatch(component, name, FNM_PERIOD) == 0 {
                        next.append(base + "/" + name)
                    }
                } else if FileManager.default.fileExists(atPath: base + "/" + component) {
                    next.append(base + "/" + component)
                }
            }
            candidates = next
            if candidates.isEmpty { return false }
        }
        return true
    }
}
