/// Interned parameter values: each parameter's distinct values get small indices, so that a point is
/// a row of `UInt32`s and a job's identity is a short tuple.
struct ValueTable: Sendable {
    static let absent = UInt32.max

    let names: [String]
    private(set) var values: [[AxisValue]]
    /// `"name":<canonical JSON>` per parameter and value: the pieces of a job's canonical `uses` map.
    private(set) var fragments: [[[UInt8]]]
    private var lookup: [[ParamValue: UInt32]]
    let indexOfName: [String: Int]

    init(names: [String]) {
        self.names = names
        values = Array(repeating: [], count: names.count)
        fragments = Array(repeating: [], count: names.count)
        lookup = Array(repeating: [:], count: names.count)
        indexOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// The index of `value` for parameter `param`, adding it if new (the first label seen is kept).
    mutating func intern(_ value: AxisValue, param: Int) -> UInt32 {
        if let index = lookup[param][value.value] { return index }
        let index = UInt32(values[param].count)
        lookup[param][value.value] = index
        values[param].append(value)
        var fragment: [UInt8] = []
        CanonicalJSON.appendString(names[param], to: &fragment)
        fragment.append(UInt8(ascii: ":"))
        CanonicalJSON.append(value.value, to: &fragment)
        fragments[param].append(fragment)
        return index
    }

    /// The index of `value` if it was interned, without adding it.
    func find(_ value: ParamValue, param: Int) -> UInt32? {
        lookup[param][value]
    }

    func value(param: Int, index: UInt32) -> AxisValue {
        values[param][Int(index)]
    }
}
