import Datasets
import Testing
import VTGCore

@testable import Metrics

private let targets = [
    TimeSpan(startSeconds: 0, endSeconds: 10), TimeSpan(startSeconds: 20, endSeconds: 30),
]

@Test func averagePrecisionOfAHandRankedList() {
    // TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1. Interpolated (VOC 2011):
    // 1/2 · 1 + 1/2 · 2/3 = 5/6.
    let predictions = [
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 0.9),
        ScoredSpan(startSeconds: 40, endSeconds: 50, score: 0.8),
        ScoredSpan(startSeconds: 20, endSeconds: 30, score: 0.7),
    ]
    let values = DetectionAveragePrecision.compute(
        predictions: predictions, targets: targets, iouThresholds: [0.5])
    #expect(abs(values[0] - 5.0 / 6) < 1e-12)
}

@Test func eachTargetIsMatchedOnce() {
    // Two predictions on the same target: the second is a false positive. Precision 1, 1/2 at
    // recall 1/2: AP = 1/2.
    let predictions = [
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 0.9),
        ScoredSpan(startSeconds: 0, endSeconds: 9, score: 0.8),
    ]
    let values = DetectionAveragePrecision.compute(
        predictions: predictions, targets: targets, iouThresholds: [0.5, 0.95])
    #expect(values[0] == 0.5)
    #expect(values[1] == 0.5)  // [0, 9] has IoU 0.9 < 0.95, [0, 10] still matches exactly
}

@Test func predictionsAreRankedByScoreBeforeMatching() {
    let predictions = [
        ScoredSpan(startSeconds: 40, endSeconds: 50, score: 0.1),
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 0.9),
    ]
    let values = DetectionAveragePrecision.compute(
        predictions: predictions, targets: [targets[0]], iouThresholds: [0.5])
    #expect(values[0] == 1)
}

@Test func noPredictionsGiveZero() {
    #expect(
        DetectionAveragePrecision.compute(
            predictions: [], targets: targets, iouThresholds: [0.5, 0.7]) == [0, 0])
}
