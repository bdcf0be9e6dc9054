import Foundation

/// Round tick values for a chart axis (steps of 1, 2 or 5 times a power of ten), and their labels with
/// as few decimals as the step needs.
struct AxisTicks: Sendable, Equatable {
    /// The axis range, widened to whole ticks.
    var low: Double
    /// The upper end.
    var high: Double
    /// The tick values, ascending.
    var values: [Double]
    /// Decimals a label needs.
    var decimals: Int

    /// Ticks covering `low...high` with about `count` intervals.
    init(low: Double, high: Double, count: Int = 4) {
        var low = low
        var high = high
        if !(high > low) {
            let pad = abs(low) > 0 ? abs(low) * 0.1 : 1
            low -= pad
            high += pad
        }
        let raw = (high - low) / Double(max(count, 1))
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        self.low = floor(low / step) * step
        self.high = ceil(high / step) * step
        var values: [Double] = []
        var value = self.low
        while value <= self.high + step / 2 {
            values.append(abs(value) < step / 1e6 ? 0 : value)
            value += step
        }
        self.values = values
        decimals = max(0, Int(ceil(-log10(step) - 1e-9)))
    }

    /// A tick's label.
    func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
