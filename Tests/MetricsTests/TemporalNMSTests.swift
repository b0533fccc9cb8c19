import Metrics
import Testing

@Test func suppressionKeepsTheBestOfOverlappingWindows() {
    let candidates = [
        ScoredSpan(startSeconds: 1, endSeconds: 10, score: 0.8),  // IoU 0.9 with the best: gone
        ScoredSpan(startSeconds: 20, endSeconds: 30, score: 0.7),
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 0.9),
        ScoredSpan(startSeconds: 5, endSeconds: 15, score: 0.6),  // IoU 1/3 with the best: kept
    ]
    let kept = candidates.nonMaximumSuppressed(iouThreshold: 0.5)
    #expect(kept.map(\.score) == [0.9, 0.7, 0.6])
    #expect(
        candidates.nonMaximumSuppressed(iouThreshold: 0.5, maxKept: 2).map(\.score) == [0.9, 0.7])
}

@Test func iouEqualToTheThresholdSurvives() {
    let candidates = [
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 1),
        ScoredSpan(startSeconds: 0, endSeconds: 5, score: 0.5),  // IoU exactly 0.5
    ]
    #expect(candidates.nonMaximumSuppressed(iouThreshold: 0.5).count == 2)
    #expect(candidates.nonMaximumSuppressed(iouThreshold: 0.49).count == 1)
}

@Test func equalScoresKeepListOrder() {
    let candidates = [
        ScoredSpan(startSeconds: 0, endSeconds: 10, score: 0.5),
        ScoredSpan(startSeconds: 1, endSeconds: 10, score: 0.5),
    ]
    #expect(candidates.nonMaximumSuppressed(iouThreshold: 0.5).map(\.span.startSeconds) == [0])
}
