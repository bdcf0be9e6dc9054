/// A partial assignment of parameter values, as written in `exclude` or `include`.
public struct Assignment: Sendable, Hashable {
    /// One `param: value` entry.
    public struct Entry: Sendable, Hashable {
        /// The parameter name.
        public var param: String
        /// Where the name was written.
        public var location: SourceLocation
        /// The value (preset names resolved).
        public var value: AxisValue

        /// Creates an entry.
        public init(param: String, location: SourceLocation, value: AxisValue) {
            self.param = param
            self.location = location
            self.value = value
        }
    }

    /// The entries, in the order written.
    public var entries: [Entry]
    /// Where the assignment starts.
    public var location: SourceLocation

    /// Creates an assignment.
    public init(entries: [Entry], location: SourceLocation) {
        self.entries = entries
        self.location = location
    }
}
