/// Axes that vary together: the i-th values of every axis form one combination.
public struct ZipGroup: Sendable, Hashable {
    /// The axes; all have the same number of values in a valid spec.
    public var axes: [Axis]
    /// Where the group starts.
    public var location: SourceLocation

    /// Creates a zip group.
    public init(axes: [Axis], location: SourceLocation) {
        self.axes = axes
        self.location = location
    }

    /// The number of combinations (the length of the shortest axis).
    public var count: Int { axes.map(\.values.count).min() ?? 0 }
}
