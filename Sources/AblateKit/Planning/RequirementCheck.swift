import AblateCore
import Foundation

/// Checks what the stages of a spec `require` (environment variables, paths) on this machine, before
/// anything is recorded, started or submitted: every missing thing is one diagnostic at the place it
/// is required, so that `ablate plan` and `ablate run` report them all at once and exit 2.
public enum RequirementCheck {
    /// The diagnostics for `spec` read from `file`.
    public static func diagnostics(
        _ spec: SweepSpec, file: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var reported = Set<String>()
        for stage in spec.stages {
            for variable in stage.requires.environment where (environment[variable.value] ?? "").isEmpty {
                guard reported.insert("env:\(variable.value)").inserted else { continue }
                diagnostics.append(
                    Diagnostic(
                        file: file, location: variable.location, severity: .error,
                        message:
                            "stage '\(stage.name)' requires the environment variable \(variable.value), which is not set; export it (export \(variable.value)=...) before 'ablate plan' or 'ablate run'"
                    ))
            }
            for path in stage.requires.paths {
                let unset = Provenance.variables(in: path.value).filter { (environment[$0] ?? "").isEmpty }
                guard unset.isEmpty else {
                    if reported.insert("path-env:\(path.value)").inserted,
                        !unset.allSatisfy({ reported.contains("env:\($0)") })
                    {
                        diagnostics.append(
                            Diagnostic(
                                file: file, location: path.location, severity: .error,
                                message:
                                    "stage '\(stage.name)' requires '\(path.value)', but \(unset.map { "$\($0)" }.joined(separator: ", ")) is not set; export it"
                            ))
                    }
                    continue
                }
                let expanded = Provenance.path(ofRepo: path.value, environment: environment)
                guard !exists(expanded), reported.insert("path:\(expanded)").inserted else { continue }
                let shown = expanded == path.value ? "'\(path.value)'" : "'\(path.value)' ('\(expanded)')"
                diagnostics.append(
                    Diagnostic(
                        file: file, location: path.location, severity: .error,
                        message:
                            "stage '\(stage.name)' requires \(shown), which does not exist; check the checkout or the variable, or prepare it as the spec's comments say"
                    ))
            }
        }
        return diagnostics
    }
}
