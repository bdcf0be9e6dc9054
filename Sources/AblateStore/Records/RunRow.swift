import AblateCore
import Foundation

/// One run as queries return it: its parameters, status and metric values.
public struct RunRow: Sendable {
    /// The run ID (64 hex characters).
    public var id: String
    /// The sweep's name.
    public var sweep: String
    /// pending, running, succeeded, failed, cancelled or blocked (or `external` for imported runs).
    public var status: RunStatus
    /// Parameters, by name.
    public var params: [String: ParamValue]
    /// Preset labels, by parameter name.
    public var labels: [String: String]
    /// The order of the parameters as the sweep defines them.
    public var paramOrder: [String]
    /// Metric values: by `stage.key` and, for convenience, by `key` (the last stage's value wins). A
    /// value recorded per evaluation length is here as its mean over the recorded lengths (NaN skipped).
    public var metrics: [String: Double?]
    /// Values recorded per evaluation length (HELMET's categories and datasets), keyed like ``metrics``,
    /// then by length.
    public var lengthMetrics: [String: [Int: Double]] = [:]
    /// Whether the run was imported rather than run by Ablate.
    public var external: Bool
    /// When the run was recorded.
    public var createdAt: Date

    /// Creates a run row (queries make these; importers and tests may too).
    public init(
        id: String, sweep: String, status: RunStatus, params: [String: ParamValue], labels: [String: String],
        paramOrder: [String], metrics: [String: Double?], external: Bool, createdAt: Date
    ) {
        self.id = id
        self.sweep = sweep
        self.status = status
        self.params = params
        self.labels = labels
        self.paramOrder = paramOrder
        self.metrics = metrics
        self.external = external
        self.createdAt = createdAt
    }

    /// The label of a parameter if it has one, else its value's short form.
    public func display(param name: String) -> String? {
        labels[name] ?? params[name]?.description
    }
}
