import AblateCore

/// One run as a report reads it: parameters (with preset labels) and final metric values.
public struct ReportRun: Sendable {
    /// The run ID.
    public var id: String
    /// Parameters by name.
    public var params: [String: ParamValue]
    /// Preset labels by parameter name.
    public var labels: [String: String]
    /// Metric values by key (and by `stage.key`); a value recorded per evaluation length is here as its
    /// mean over every recorded length.
    public var metrics: [String: Double]
    /// Values recorded per evaluation length (HELMET's), by key (and `stage.key`) and length.
    public var lengthMetrics: [String: [Int: Double]] = [:]
    /// The per-example scores behind its values, for `significance: {test: paired-bootstrap}`.
    public var examples: [CollectedResults.Examples] = []

    /// Creates a run.
    public init(id: String, params: [String: ParamValue], labels: [String: String] = [:], metrics: [String: Double]) {
        self.id = id
        self.params = params
        self.labels = labels
        self.metrics = metrics
    }

    /// The value of `key`: for a value recorded per evaluation length, the mean over `lengths` (every
    /// one of them must be there) or, for `nil`, over every recorded length.
    public func value(_ key: String, lengths: [Int]?) -> Double? {
        guard let perLength = lengthMetrics[key] else { return metrics[key] }
        guard let lengths else {
            let values = perLength.values.filter(\.isFinite)
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        var sum = 0.0
        for length in lengths {
            guard let value = perLength[length], value.isFinite else { return nil }
            sum += value
        }
        return sum / Double(lengths.count)
    }

    /// The label of a parameter's value if it has one, else the value's short form.
    public func display(_ param: String) -> String? {
        labels[param] ?? params[param]?.description
    }
}
