import Metrics
import Testing

@Test func sortingByScoreIsStable() {
    let spans = [
        ScoredSpan(startSeconds: 0, endSeconds: 1, score: 0.5),
        ScoredSpan(startSeconds: 1, endSeconds: 2, score: 0.9),
        ScoredSpan(startSeconds: 2, endSeconds: 3, score: 0.5),
    ]
    #expect(spans.sortedByScore().map(\.span.startSeconds) == [1, 0, 2])
}
