import Testing

@testable import Metrics

@Test func rankingAveragePrecisionByHand() {
    // Positives ranked 1st and 3rd: precision 1 at recall 1/2, 2/3 at recall 1 → (1 + 2/3) / 2.
    let value = RankingAveragePrecision.compute(
        labels: [true, false, true, false], scores: [0.9, 0.8, 0.7, 0.1])
    #expect(abs(value - 5.0 / 6) < 1e-12)
}

@Test func tiedScoresAreOneThreshold() {
    #expect(RankingAveragePrecision.compute(labels: [true, false], scores: [0.5, 0.5]) == 0.5)
    // The positive tied with a negative below a negative: precision 1/3 at recall 1.
    let value = RankingAveragePrecision.compute(
        labels: [false, true, false], scores: [0.9, 0.2, 0.2])
    #expect(abs(value - 1.0 / 3) < 1e-12)
}

@Test func degenerateLabels() {
    #expect(RankingAveragePrecision.compute(labels: [false, false], scores: [1, 0]) == 0)
    #expect(RankingAveragePrecision.compute(labels: [true, true], scores: [1, 0]) == 1)
}
