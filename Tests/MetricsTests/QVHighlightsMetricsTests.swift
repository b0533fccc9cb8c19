import Datasets
import Metrics
import Testing
import VTGCore

/// A 10-second video: 5 clips; clips 1 and 2 rated by three annotators.
private let rated = GroundingSample(
    queryID: 1, videoID: "v", durationSeconds: 10, query: "q",
    targets: [TimeSpan(startSeconds: 2, endSeconds: 6)],
    saliency: ClipSaliency(
        clipDurationSeconds: 2, clipIndices: [1, 2], annotatorScores: [[4, 2, 1], [3, 4, 0]]))

@Test func highlightMetricsByHand() throws {
    let metrics = QVHighlightsMetrics.compute(
        samples: [rated], windows: [[ScoredSpan(startSeconds: 2, endSeconds: 6, score: 1)]],
        clipScores: [[0.1, 0.9, 0.5, 0, 0]])
    let veryGood = try #require(metrics.highlight(.veryGood))
    // Top clip 1 is rated 4 by annotator 0: a hit. AP: annotator 0 → 1 (its positive ranks
    // first); annotator 1 → 1/2 (its positive, clip 2, ranks second); annotator 2 → 0.
    #expect(veryGood.hitAtOnePercent == 100)
    #expect(abs(veryGood.meanAveragePrecisionPercent - 50) < 1e-9)
    let full = try #require(metrics.momentRetrieval(.full))
    #expect(full.recallAtOne(iouThreshold: 0.95) == 100)
    #expect(full.averageMeanAveragePrecisionPercent == 100)
}

@Test func missingClipScoresAndWindowsCountAsMisses() throws {
    let other = GroundingSample(
        queryID: 2, videoID: "w", durationSeconds: 10, query: "q",
        targets: [TimeSpan(startSeconds: 0, endSeconds: 4)], saliency: rated.saliency)
    let metrics = QVHighlightsMetrics.compute(
        samples: [rated, other],
        windows: [[ScoredSpan(startSeconds: 2, endSeconds: 6, score: 1)], []],
        clipScores: [[0.1, 0.9, 0.5, 0, 0], nil])
    let veryGood = try #require(metrics.highlight(.veryGood))
    #expect(veryGood.hitAtOnePercent == 50)
    #expect(abs(veryGood.meanAveragePrecisionPercent - 25) < 1e-9)
    let full = try #require(metrics.momentRetrieval(.full))
    #expect(full.recallAtOne(iouThreshold: 0.5) == 50)
    #expect(full.meanAveragePrecision(iouThreshold: 0.5) == 50)
}

@Test func lengthRangesFilterTargets() throws {
    let sample = GroundingSample(
        queryID: 0, videoID: "v", durationSeconds: 150, query: "q",
        targets: [
            TimeSpan(startSeconds: 0, endSeconds: 4), TimeSpan(startSeconds: 50, endSeconds: 70),
        ])
    let metrics = QVHighlightsMetrics.compute(
        samples: [sample], windows: [[ScoredSpan(startSeconds: 50, endSeconds: 70, score: 1)]],
        clipScores: [nil])
    #expect(metrics.highlights == nil)
    #expect(metrics.momentRetrieval(.short)?.queryCount == 1)
    #expect(metrics.momentRetrieval(.short)?.recallAtOne(iouThreshold: 0.5) == 0)
    #expect(metrics.momentRetrieval(.middle)?.recallAtOne(iouThreshold: 0.5) == 100)
    #expect(metrics.momentRetrieval(.long)?.queryCount == 0)
    // Full: one of two targets found by the only window: AP = 1/2.
    #expect(metrics.momentRetrieval(.full)?.meanAveragePrecision(iouThreshold: 0.5) == 50)
}

@Test func thresholdsAreTheTenOfTheReference() {
    #expect(QVHighlightsMetrics.iouThresholds.count == 10)
    #expect(
        QVHighlightsMetrics.iouThresholds.first == 0.5
            && QVHighlightsMetrics.iouThresholds.last == 0.95)
    #expect(
        QVHighlightsMetrics.iouThresholds.contains(0.55)
            && QVHighlightsMetrics.iouThresholds.contains(0.75))
}
