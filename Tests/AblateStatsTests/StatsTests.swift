import Foundation
import Testing

@testable import AblateStats

/// The statistics against reference values from scipy.stats 1.17 (computed outside the suite with
/// `scipy.stats.t.ppf`, `t.cdf`, `t.interval`, `ttest_ind(equal_var=False)`) and numpy, and a textbook
/// example of Holm's correction.
@Suite struct StatsTests {
    @Test(arguments: [
        (1.0, 0.975, 12.706204736174694), (2, 0.975, 4.302652729749462), (3, 0.975, 3.1824463052837078),
        (5, 0.95, 2.0150483733330233), (10, 0.995, 3.16927267261695), (30, 0.975, 2.0422724563012378),
        (1000, 0.975, 1.9623390808264083), (2.5, 0.9, 1.7302509288071766),
    ])
    func tQuantilesMatchScipy(df: Double, p: Double, expected: Double) {
        #expect(abs(StudentT.quantile(p, df: df) - expected) < 1e-6)
        #expect(abs(StudentT.quantile(1 - p, df: df) + expected) < 1e-6)
    }

    @Test(arguments: [
        (3.0, 2.5, 0.9561466764959672), (7, -1.2, 0.1345859684136033), (1, 10.0, 0.9682744825694465),
        (50, 0.3, 0.6172895598723483),
    ])
    func tCDFMatchesScipy(df: Double, t: Double, expected: Double) {
        #expect(abs(StudentT.cdf(t, df: df) - expected) < 1e-9)
    }

    @Test func theTIntervalMatchesScipy() throws {
        let interval = try #require(Interval.t([12.1, 10.2, 11.7, 13.0], level: 0.95))
        #expect(abs(interval.lower - 9.892058156009789) < 1e-6)
        #expect(abs(interval.upper - 13.607941843990211) < 1e-6)
        #expect(Interval.t([1], level: 0.95) == nil)
    }

    @Test func welchsTestMatchesScipy() throws {
        let test = try #require(WelchTest.test([12.1, 10.2, 11.7, 13.0], [9.0, 10.4, 8.8]))
        #expect(abs(test.t - 3.0486931879540937) < 1e-9)
        #expect(abs(test.p - 0.02857339018335054) < 1e-6)
        #expect(WelchTest.test([1, 1], [1, 1]) == nil)
    }

    @Test func welchsDifferenceIntervalMatchesScipy() throws {
        // scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
        let interval = try #require(
            WelchTest.differenceInterval([12.1, 10.2, 11.7, 13.0], [9.0, 10.4, 8.8], level: 0.95))
        #expect(abs(interval.lower - 0.3668110801572222) < 1e-6)
        #expect(abs(interval.upper - 4.333188919842777) < 1e-6)
    }

    @Test func holmsCorrectionIsTheTextbookOne() {
        let adjusted = Holm.adjust([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) { #expect(abs(value - expected) < 1e-12) }
    }

    /// Four values have 256 equally likely resamples: all of them are taken (numpy over
    /// `itertools.product(x, repeat=4)` gives the same quantiles).
    @Test func aSmallSampleGetsTheExactBootstrapDistribution() throws {
        let interval = try #require(Interval.bootstrap([12.1, 10.2, 11.7, 13.0], level: 0.95, seed: 1))
        #expect(abs(interval.lower - 10.675) < 1e-9)
        #expect(abs(interval.upper - 12.675) < 1e-9)
    }

    /// numpy with 400,000 resamples gives [10.6125, 12.1]; 10,000 resamples are within Monte-Carlo error.
    @Test func theBootstrapIntervalIsWithinMonteCarloErrorOfNumpys() throws {
        let values = [12.1, 10.2, 11.7, 13.0, 9.6, 12.4, 11.1, 10.8]
        let interval = try #require(Interval.bootstrap(values, level: 0.95, resamples: 10_000, seed: 42))
        #expect(abs(interval.mean - 11.3625) < 1e-12)
        #expect(abs(interval.lower - 10.6125) < 0.05)
        #expect(abs(interval.upper - 12.1) < 0.05)
        #expect(Interval.bootstrap(values, level: 0.95, resamples: 10_000, seed: 42) == interval)
    }
}

/// The paired bootstrap against numpy, run by the test suite's Python on the same examples.
@Suite struct PairedBootstrapTests {
    /// Runs a numpy `script` with `input` on its standard input; its last line is a JSON list of numbers.
    static func numpy(_ script: String, input text: String) throws -> [Double] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "numpy is needed for this reference")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [Double])
    }

    @Test func matchesNumpyWithinMonteCarloError() throws {
        var random = SeededRandom(seed: 11)
        func uniform() -> Double { Double(random.next() % 1_000_001) / 1_000_000 }
        let a = (0..<200).map { _ in (uniform() * 1000).rounded() / 1000 }
        let b = a.map { max(0, min(1, $0 - 0.03 + (uniform() - 0.5) * 0.6)) }
        let result = try #require(PairedBootstrap.test(a, b, resamples: 10_000, seed: 5))
        let script = """
            import json, sys
            import numpy as np
            a, b = json.load(sys.stdin)
            d = np.array(a) - np.array(b); delta = d.mean()
            m = d[np.random.default_rng(0).integers(0, len(d), (200000, len(d)))].mean(1)
            p = (1 + np.sum(np.abs(m - delta) >= abs(delta))) / (len(m) + 1)
            print(json.dumps([delta, p, np.quantile(m, 0.025), np.quantile(m, 0.975)]))
            """
        let reference = try Self.numpy(script, input: "[\(a), \(b)]")
        #expect(abs(result.delta - reference[0]) < 1e-12)
        #expect(abs(result.p - reference[1]) < 0.015, "p \(result.p) vs numpy \(reference[1])")
        #expect(abs(result.interval.lower - reference[2]) < 0.004)
        #expect(abs(result.interval.upper - reference[3]) < 0.004)
        #expect(PairedBootstrap.test(a, Array(b.dropLast()), seed: 1) == nil)
    }

    @Test func aStratifiedTestMatchesNumpyWithinMonteCarloError() throws {
        var random = SeededRandom(seed: 23)
        func uniform() -> Double { Double(random.next() % 1_000_001) / 1_000_000 }
        // Three datasets of a category at two lengths' worth of sizes, as HELMET's categories weigh them.
        let sizes = [100, 500, 60]
        let weights = [0.5, 0.25, 0.25]
        let strata = zip(sizes, weights).map { size, weight in
            let a = (0..<size).map { _ in uniform() < 0.6 ? 100.0 : 0 }
            let b = a.map { uniform() < 0.15 ? 100 - $0 : $0 }
            return PairedBootstrap.Stratum(a: a, b: b, weight: weight)
        }
        let result = try #require(PairedBootstrap.test(strata: strata, resamples: 10_000, seed: 9))
        let script = """
            import json, sys
            import numpy as np
            strata = json.load(sys.stdin)
            rng = np.random.default_rng(0)
            delta = sum(w * (np.mean(a) - np.mean(b)) for a, b, w in strata)
            m = np.zeros(100000)
            for a, b, w in strata:
                d = np.array(a) - np.array(b)
                m += w * d[rng.integers(0, len(d), (100000, len(d)))].mean(1)
            p = (1 + np.sum(np.abs(m - delta) >= abs(delta))) / (len(m) + 1)
            print(json.dumps([delta, p, np.quantile(m, 0.025), np.quantile(m, 0.975)]))
            """
        let payload = "[" + strata.map { "[\($0.a), \($0.b), \($0.weight)]" }.joined(separator: ", ") + "]"
        let reference = try Self.numpy(script, input: payload)
        #expect(abs(result.delta - reference[0]) < 1e-9)
        #expect(abs(result.p - reference[1]) < 0.015, "p \(result.p) vs numpy \(reference[1])")
        #expect(abs(result.interval.lower - reference[2]) < 0.3)
        #expect(abs(result.interval.upper - reference[3]) < 0.3)
        #expect(PairedBootstrap.test(strata: [.init(a: [1], b: [2], weight: 1)], seed: 1) == nil)
        // One stratum of weight 1 is the plain paired bootstrap, draw for draw.
        let plain = try #require(PairedBootstrap.test(strata[0].a, strata[0].b, seed: 4))
        #expect(PairedBootstrap.test(strata: [.init(a: strata[0].a, b: strata[0].b, weight: 1)], seed: 4) == plain)
    }
}
