import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Shared helpers: peak memory, running baselines, number formatting.
enum Measurements {
    /// The process's peak resident set size in megabytes.
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Runs a Python baseline script that prints one JSON object on its last line, and returns it.
    static func runPython(_ script: String, arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "{}"
        return (try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any]) ?? [:]
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

extension Double {
    func formatted(_ decimals: Int) -> String {
        String(format: "%.\(decimals)f", self)
    }
}
