/// A parameter that varies across the sweep, with its values in the order written.
public struct Axis: Sendable, Hashable {
    /// The parameter name.
    public var param: String
    /// Where the parameter name was written.
    public var location: SourceLocation
    /// The values, in order.
    public var values: [AxisValue]

    /// Creates an axis.
    public init(param: String, location: SourceLocation, values: [AxisValue]) {
        self.param = param
        self.location = location
        self.values = values
    }
}
