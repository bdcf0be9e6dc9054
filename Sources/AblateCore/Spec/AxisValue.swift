/// One value of a sweep axis, after preset names have been resolved.
public struct AxisValue: Sendable, Hashable {
    /// The value that reaches configs and keys.
    public var value: ParamValue
    /// The preset name the spec wrote, if the value came from a preset; used in plans and reports.
    public var label: String?
    /// Where the value was written.
    public var location: SourceLocation

    /// Creates an axis value.
    public init(value: ParamValue, label: String? = nil, location: SourceLocation) {
        self.value = value
        self.label = label
        self.location = location
    }

    /// The label if there is one, else the value's short form.
    public var displayName: String { label ?? value.description }

    /// Whether two values are equal (see the type's discussion for what counts).
    public static func == (lhs: AxisValue, rhs: AxisValue) -> Bool {
        lhs.value == rhs.value && lhs.label == rhs.label
    }

    /// Hashes the parts that equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(label)
    }
}
