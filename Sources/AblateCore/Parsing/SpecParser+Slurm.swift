import Yams

extension SpecParser {
    /// The keys of the `slurm:` section, in the order that "valid keys are" lists them: each of
    /// ``SlurmDefaults/optionKeys`` (which become `--KEY=VALUE`), then those that Ablate reads itself. Read through
    /// ``YAMLReader/readKeys(of:as:in:context:reader:unknown:_:)`` so that the keys accepted and suggested are
    /// exactly those that ``parseSlurm(_:)``'s exhaustive `switch` handles; not a `String` enum, so that the option
    /// keys stay those of `SlurmDefaults`, which the batch scripts follow too.
    private enum SlurmKey: CaseIterable, RawRepresentable {
        case option(String)
        case sbatch
        case maxRunning
        case signal

        static var allCases: [SlurmKey] {
            SlurmDefaults.optionKeys.map(SlurmKey.option) + [.sbatch, .maxRunning, .signal]
        }

        var rawValue: String {
            switch self {
            case .option(let key): key
            case .sbatch: "sbatch"
            case .maxRunning: "max_running"
            case .signal: "signal"
            }
        }

        init?(rawValue: String) {
            guard let key = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
            self = key
        }
    }

    /// The `slurm:` section.
    mutating func parseSlurm(_ node: Node) -> SlurmDefaults {
        guard case .mapping(let mapping) = node else {
            expect(node, what: "'slurm'", expected: "a mapping such as '{partition: gpu, max_running: 8}'")
            return SlurmDefaults()
        }
        var defaults = SlurmDefaults()
        readKeys(of: mapping, as: SlurmKey.self, in: "'slurm'") { parser, key, value in
            let what = "'slurm.\(key.rawValue)'"
            switch key {
            case .sbatch:
                defaults.sbatch = parser.sbatchOptions(value, what: what)
            case .maxRunning:
                defaults.maxRunning = parser.wholeNumber(value, what: what, minimum: 1)
            case .signal:
                if let seconds = parser.duration(value, what: what) {
                    defaults.signalSeconds = Int(seconds.rounded(.up))
                }
            case .option(let option):
                if let text = parser.batchValue(value, what: what, expected: "a single value") {
                    defaults.options[option] = text
                }
            }
        }
        return defaults
    }
}
