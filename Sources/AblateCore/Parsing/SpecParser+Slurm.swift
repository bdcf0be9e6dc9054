import Yams

extension SpecParser {
    static let slurmKeys = SlurmDefaults.optionKeys + ["sbatch", "max_running", "signal"]

    /// The `slurm:` section.
    mutating func parseSlurm(_ node: Node) -> SlurmDefaults {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'slurm'", expected: "a mapping such as '{partition: gpu, max_running: 8}'")
            return SlurmDefaults()
        }
        var defaults = SlurmDefaults()
        for (keyNode, value) in mapping {
            guard let key = keyString(keyNode) else { continue }
            let what = "'slurm.\(key)'"
            switch key {
            case "sbatch":
                defaults.sbatch = sbatchOptions(value, what: what)
            case "max_running":
                defaults.maxRunning = wholeNumber(value, what: what, minimum: 1)
            case "signal":
                if let seconds = duration(value, what: what) { defaults.signalSeconds = Int(seconds.rounded(.up)) }
            case _ where SlurmDefaults.optionKeys.contains(key):
                if let text = scalarString(value, what: what, expected: "a single value") {
                    defaults.options[key] = text
                }
            default:
                report(location(of: keyNode), "unknown key '\(key)' in 'slurm'" + hintOrList(key, Self.slurmKeys))
            }
        }
        return defaults
    }
}
