import Testing

@testable import Metrics

/// Hand computations are carried to four decimals.
private let handTolerance = 1e-4

@Suite struct PairedDifferenceTests {
    @Test func fiveSeedsAgainstAHandComputedInterval() {
        // Differences 2, 1, 3, 2, 2: mean 2, squares 0+1+1+0+0 = 2, s = √(2/4) = 0.7071,
        // half-width t(0.975, 4)·s/√5 = 2.776 · 0.7071 / 2.2361 = 0.8779.
        let difference = PairedDifference([72, 71, 75, 74, 70], [70, 70, 72, 72, 68])
        #expect(difference.differences == [2, 1, 3, 2, 2])
        #expect(abs(difference.mean - 2) < handTolerance)
        #expect(abs(difference.standardDeviation - 0.7071) < handTolerance)
        #expect(abs(difference.lower - 1.1221) < handTolerance)
        #expect(abs(difference.upper - 2.8779) < handTolerance)
        #expect(difference.excludesZero)
        #expect(difference.sign == 1)
    }

    @Test func anIntervalAcrossZeroConcludesNothing() {
        // Differences 1, −1, 2, −2: mean 0, s = √(10/3) = 1.8257, half-width
        // 3.182 · 1.8257 / 2 = 2.9047.
        let difference = PairedDifference([1, 1, 2, 0], [0, 2, 0, 2])
        #expect(abs(difference.mean) < handTolerance)
        #expect(abs(difference.upper - 2.9047) < handTolerance)
        #expect(!difference.excludesZero)
        #expect(difference.sign == 0)
    }

    @Test func oneSeedHasNoInterval() {
        let difference = PairedDifference([3], [1])
        #expect(difference.mean == 2)
        #expect(difference.lower == -.infinity && difference.upper == .infinity)
        #expect(!difference.excludesZero)
    }

    @Test func quantilesMatchTables() {
        #expect(abs(PairedDifference.normalQuantile(0.975) - 1.959964) < 1e-6)
        #expect(abs(PairedDifference.normalQuantile(0.005) + 2.575829) < 1e-6)
        #expect(PairedDifference.tQuantile(probability: 0.975, degreesOfFreedom: 4) == 2.776)
        // Beyond the table: t(0.975, 40) = 2.0211, t(0.95, 10) = 1.8125.
        #expect(
            abs(PairedDifference.tQuantile(probability: 0.975, degreesOfFreedom: 40) - 2.0211)
                < 1e-3)
        #expect(
            abs(PairedDifference.tQuantile(probability: 0.95, degreesOfFreedom: 10) - 1.8125)
                < 2e-3)
    }
}
