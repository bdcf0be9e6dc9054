import AblateCore

/// One run as a report reads it: parameters (with preset labels) and final metric values.
public struct ReportRun: Sendable {
    /// The run ID.
    public var id: String
    /// Parameters by name.
    public var params: [String: ParamValue]
    /// Preset labels by parameter name.
    public var labels: [String: String]
    /// Metric values by key (and by `stage.key`).
    public var metrics: [String: Double]

    /// Creates a run.
    public init(id: String, params: [String: ParamValue], labels: [String: String] = [:], metrics: [String: Double]) {
        self.id = id
        self.params = params
        self.labels = labels
        self.metrics = metrics
    }

    /// The label of a parameter's value if it has one, else the value's short form.
    public func display(_ param: String) -> String? {
        labels[param] ?? params[param]?.description
    }
}
