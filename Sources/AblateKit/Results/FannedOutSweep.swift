import AblateCore
import AblateStore

/// A recorded sweep that fans out over checkpoints, planned again from its stored spec (with the code
/// identities of its `code: key` stages, so its job keys are the recorded ones): what `ablate sync`'s
/// submission of ready checkpoints and `ablate status`'s checkpoint inventory both start from.
struct FannedOutSweep {
    /// The plan.
    let plan: SweepPlan
    /// Its fan-out.
    let fanOut: SweepFanOut

    /// The sweep named `name`, or `nil` when it is unknown, has no fan-out, or its stored spec no longer
    /// loads.
    init?(_ name: String, store: ResultStore) throws {
        guard let (text, path) = try store.sweepSpec(named: name), text.contains("over:"),
            let loaded = try? SpecLoader.load(yaml: text, file: path ?? name, codeIdentity: CodeIdentity.resolver),
            let fanOut = loaded.plan.spec.fanOut
        else { return nil }
        plan = loaded.plan
        self.fanOut = fanOut
    }
}
