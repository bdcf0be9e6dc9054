/// Expands a checked spec into runs and content-addressed stage jobs, reporting point-level problems:
/// duplicate points, points a stage cannot resolve, exclusions that match nothing, empty sweeps.
///
/// Points are the product of the grid axes (outermost first) and the zip groups (after the grid, in
/// order), the last dimension varying fastest, as `itertools.product` does; then `exclude` drops
/// points and `include` appends its points. With no axes at all, the product is the single base point
/// (`params`), unless `include` gives the points.
struct SweepExpander {
    let spec: SweepSpec
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    /// The most points a sweep may have: refused before anything is allocated (a point costs 4 bytes
    /// per parameter, and its jobs more), so that a typo of a zero never exhausts memory.
    static let maximumPoints = 20_000_000

    init(spec: SweepSpec, file: String) {
        self.spec = spec
        self.file = file
    }

    private mutating func report(_ location: SourceLocation, _ message: String, severity: Diagnostic.Severity = .error)
    {
        diagnostics.append(Diagnostic(file: file, location: location, severity: severity, message: message))
    }

    /// A dimension of the product: its combinations, each a list of (param, value) pairs.
    private struct Dimension {
        var params: [Int]
        var combinations: [[UInt32]]
    }

    /// Expands the points; with `skipJobs`, only the point-level checks run (earlier errors exist).
    mutating func expand(skipJobs: Bool = false) -> SweepPlan? {
        var table = ValueTable(names: spec.parameterNames)
        let width = table.names.count
        let index = table.indexOfName

        // Base row.
        var base = [UInt32](repeating: ValueTable.absent, count: width)
        for entry in spec.params {
            base[index[entry.param]!] = table.intern(entry.value, param: index[entry.param]!)
        }

        // Dimensions.
        var dimensions: [Dimension] = spec.grid.map { axis in
            let param = index[axis.param]!
            return Dimension(params: [param], combinations: axis.values.map { [table.intern($0, param: param)] })
        }
        for group in spec.zip where !group.axes.isEmpty {
            let params = group.axes.map { index[$0.param]! }
            let combinations = (0..<group.count).map { row in
                group.axes.enumerated().map { column, axis in table.intern(axis.values[row], param: params[column]) }
            }
            if let duplicate = Self.firstDuplicate(combinations) {
                report(
                    group.axes[0].values[duplicate].location,
                    "combination \(duplicate + 1) of this zip group repeats an earlier one; remove it")
            }
            dimensions.append(Dimension(params: params, combinations: combinations))
        }
        // An empty axis was reported by the parser; there is nothing to expand.
        if dimensions.contains(where: { $0.combinations.isEmpty }) { return nil }
        let hasAxes = !dimensions.isEmpty
        // A checkpoint fan-out: every point at each step, the step varying fastest.
        var fanSteps: [UInt32] = []
        if let fanOut = spec.fanOut, let param = index[SweepFanOut.parameter] {
            fanSteps = fanOut.steps.map {
                table.intern(AxisValue(value: .int(Int64($0)), location: fanOut.checkpoints.location), param: param)
            }
            dimensions.append(Dimension(params: [param], combinations: fanSteps.map { [$0] }))
        }
        var productCount = 1
        for dimension in dimensions {
            let (product, overflow) = productCount.multipliedReportingOverflow(by: dimension.combinations.count)
            guard !overflow, product <= Self.maximumPoints else {
                let sizes = dimensions.map { String($0.combinations.count) }.joined(separator: " × ")
                report(
                    spec.grid.first?.location ?? spec.zip.first?.location ?? SourceLocation(line: 1, column: 1),
                    "the sweep has \(sizes) points, more than the \(Self.maximumPoints.grouped) a sweep may have; "
                        + "split it into smaller sweeps")
                return nil
            }
            productCount = product
        }
        if !hasAxes, !spec.include.isEmpty { productCount = 0 }

        // Exclusions: (param, value index) pairs; a value never interned can never match.
        let exclusions: [[(param: Int, value: UInt32)]?] = spec.exclude.map { assignment in
            var pairs: [(Int, UInt32)] = []
            for entry in assignment.entries {
                guard let param = index[entry.param], let value = table.find(entry.value.value, param: param) else {
                    return nil
                }
                pairs.append((param, value))
            }
            return pairs
        }
        var exclusionHits = [Int](repeating: 0, count: exclusions.count)

        // The product.
        var points: [UInt32] = []
        points.reserveCapacity(productCount * width)
        var counters = [Int](repeating: 0, count: dimensions.count)
        var row = base
        for _ in 0..<productCount {
            for (d, dimension) in dimensions.enumerated() {
                let combination = dimension.combinations[counters[d]]
                for (k, param) in dimension.params.enumerated() { row[param] = combination[k] }
            }
            var excluded = false
            for (e, pairs) in exclusions.enumerated() {
                guard let pairs else { continue }
                if pairs.allSatisfy({ row[$0.param] == $0.value }) {
                    exclusionHits[e] += 1
                    excluded = true
                }
            }
            if !excluded { points.append(contentsOf: row) }
            var d = dimensions.count - 1
            while d >= 0 {
                counters[d] += 1
                if counters[d] < dimensions[d].combinations.count { break }
                counters[d] = 0
                d -= 1
            }
        }
        let productPoints = points.count / max(width, 1)
        let checkable = spec.exclude.map { $0.entries.allSatisfy { index[$0.param] != nil } }
        for (e, hits) in exclusionHits.enumerated() where hits == 0 && productCount > 0 && checkable[e] {
            report(
                spec.exclude[e].location, "this exclude entry matches no point; check its values", severity: .warning)
        }

        // Includes.
        var includeOrigins: [SourceLocation] = []
        var seenIncludes: [[UInt32]: SourceLocation] = [:]
        for assignment in spec.include {
            var point = base
            for entry in assignment.entries {
                guard let param = index[entry.param] else { continue }
                point[param] = table.intern(entry.value, param: param)
            }
            // With a fan-out, an include point is a point at every checkpoint step.
            var variants = [point]
            if !fanSteps.isEmpty, let param = index[SweepFanOut.parameter] {
                variants = fanSteps.map { step in
                    var variant = point
                    variant[param] = step
                    return variant
                }
            }
            for point in variants {
                if let earlier = seenIncludes[point] {
                    report(
                        assignment.location, "this include point repeats the include point at \(earlier); remove one")
                    break
                }
                if hasAxes, Self.productContains(point, dimensions: dimensions, base: base, exclusions: exclusions) {
                    report(
                        assignment.location,
                        "this include point is already a point of the grid (\(describe(point, table: table))); remove it"
                    )
                    break
                }
                seenIncludes[point] = assignment.location
                includeOrigins.append(assignment.location)
                points.append(contentsOf: point)
            }
        }
        if let fanOut = spec.fanOut, let factors = fanOut.tokensPerStep {
            fillTokens(&points, factors: factors, table: &table, width: width)
        }
        let runCount = width == 0 ? (productCount > 0 ? productCount : 0) + includeOrigins.count : points.count / width
        if runCount == 0 {
            let reason =
                productCount > 0
                ? "every point is excluded; loosen 'exclude'" : "add a 'grid', 'zip', 'include' or 'params'"
            report(SourceLocation(line: 1, column: 1), "the sweep has no points: \(reason)")
            return nil
        }

        // Every stage must find each param it uses in every point.
        var resolvable = true
        for stage in spec.stages {
            for use in stage.uses {
                guard let param = index[use.value] else { resolvable = false; continue }
                if productPoints > 0, base[param] == ValueTable.absent,
                    !dimensions.contains(where: { $0.params.contains(param) })
                {
                    report(
                        use.location,
                        "stage '\(stage.name)' uses '\(use.value)', but the grid's points have no value for it; set '\(use.value)' in 'params' or vary it in 'grid'"
                    )
                    resolvable = false
                }
                for (offset, origin) in includeOrigins.enumerated()
                where points[(productPoints + offset) * width + param] == ValueTable.absent {
                    report(
                        origin,
                        "stage '\(stage.name)' uses '\(use.value)', but this include point has no value for it; set '\(use.value)' in this entry or in 'params'"
                    )
                    resolvable = false
                }
            }
        }
        checkArithmetic(table: table)
        guard resolvable, !skipJobs, diagnostics.allSatisfy({ $0.severity != .error }) else { return nil }
        let stages = JobGraphBuilder(spec: spec, table: table, points: points, runCount: runCount).build()
        return SweepPlan(spec: spec, table: table, points: points, runCount: runCount, stages: stages)
    }

    /// Sets each point's ``SweepFanOut/tokensParameter``: its step times the tokens per step, from the
    /// point's own values of the parameters `factors` names (absent where one is not a whole number).
    private func fillTokens(
        _ points: inout [UInt32], factors: [CollectorSpec.TokenFactor], table: inout ValueTable, width: Int
    ) {
        guard width > 0, let tokens = table.indexOfName[SweepFanOut.tokensParameter],
            let step = table.indexOfName[SweepFanOut.parameter], let location = spec.fanOut?.checkpoints.location
        else { return }
        var cache: [[UInt32]: UInt32] = [:]
        let names = factors.map { factor -> Int? in
            if case .param(let name) = factor { return table.indexOfName[name] }
            return nil
        }
        for row in 0..<(points.count / width) {
            let key = [points[row * width + step]] + names.compactMap { $0.map { points[row * width + $0] } }
            if let known = cache[key] {
                points[row * width + tokens] = known
                continue
            }
            var product: Int64? = {
                if case .int(let value) = table.value(param: step, index: points[row * width + step]).value {
                    return value
                }
                return nil
            }()
            for (factor, param) in zip(factors, names) {
                var value: Int64?
                switch factor {
                case .number(let number): value = number
                case .param:
                    if let param, points[row * width + param] != ValueTable.absent,
                        case .int(let number) = table.value(param: param, index: points[row * width + param]).value
                    {
                        value = number
                    }
                }
                guard let current = product, let value else {
                    product = nil
                    break
                }
                let (result, overflow) = current.multipliedReportingOverflow(by: value)
                product = overflow ? nil : result
            }
            let interned =
                product.map { table.intern(AxisValue(value: .int($0), location: location), param: tokens) }
                ?? ValueTable.absent
            cache[key] = interned
            points[row * width + tokens] = interned
        }
    }

    /// A parameter whose placeholder stands inside `$((...))` must only take whole numbers: there the
    /// shell expands `$(...)` even inside quotes, so any other value could run code.
    private mutating func checkArithmetic(table: ValueTable) {
        for stage in spec.stages {
            for name in stage.run.arithmeticParams {
                guard let param = table.indexOfName[name] else { continue }
                for value in table.values[param] {
                    guard case .int = value.value else {
                        report(
                            stage.runLocation,
                            "placeholder '{params.\(name)}' in stage '\(stage.name)' stands inside $((...)), where only "
                                + "whole numbers are safe, and '\(value.displayName)' is not one; make every value of "
                                + "'\(name)' a whole number, or compute it in the trainer")
                        break
                    }
                }
            }
        }
    }

    private func describe(_ point: [UInt32], table: ValueTable) -> String {
        point.enumerated().compactMap { param, value in
            value == ValueTable.absent
                ? nil : "\(table.names[param])=\(table.value(param: param, index: value).displayName)"
        }.joined(separator: ", ")
    }

    private static func firstDuplicate(_ combinations: [[UInt32]]) -> Int? {
        var seen = Set<[UInt32]>()
        for (offset, combination) in combinations.enumerated() where !seen.insert(combination).inserted {
            return offset
        }
        return nil
    }

    /// Whether the product (after exclusions) already holds `point`.
    private static func productContains(
        _ point: [UInt32], dimensions: [Dimension], base: [UInt32], exclusions: [[(param: Int, value: UInt32)]?]
    ) -> Bool {
        var expected = base
        for dimension in dimensions {
            guard
                let match = dimension.combinations.first(where: { combination in
                    zip(dimension.params, combination).allSatisfy { point[$0] == $1 }
                })
            else { return false }
            for (param, value) in zip(dimension.params, match) { expected[param] = value }
        }
        guard expected == point else { return false }
        return !exclusions.contains { pairs in pairs?.allSatisfy { point[$0.param] == $0.value } ?? false }
    }
}
