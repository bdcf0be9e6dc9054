/// One sweep point: its parameters and the chain of jobs that produce it.
public struct PlannedRun: Sendable {
    /// The run's position in the sweep's expansion order.
    public let index: Int
    /// The run's content-derived ID.
    public let id: Digest
    /// The point's parameters (base params, axis values, include values), with preset labels.
    public let params: [(name: String, value: AxisValue)]
    /// The key of the job of each stage, in ``SweepPlan/stages`` order.
    public let jobs: [Digest]

    /// The parameters as a map from name to value.
    public var paramValues: [String: ParamValue] {
        Dictionary(params.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Preset labels of the parameters that have one.
    public var labels: [String: String] {
        var out: [String: String] = [:]
        for (name, value) in params {
            if let label = value.label { out[name] = label }
        }
        return out
    }
}
