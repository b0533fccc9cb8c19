import Datasets
import Metrics
import Testing
import VTGCore

private func span(_ start: Double, _ end: Double) -> TimeSpan {
    TimeSpan(startSeconds: start, endSeconds: end)
}

@Test func iouOfOverlappingDisjointAndIdenticalSpans() {
    #expect(span(0, 10).intersectionOverUnion(with: span(5, 15)) == 5.0 / 15)
    #expect(span(0, 10).intersectionOverHull(with: span(5, 15)) == 5.0 / 15)
    #expect(span(0, 10).intersectionOverUnion(with: span(12, 15)) == 0)
    #expect(span(0, 10).intersectionOverHull(with: span(12, 15)) == 0)
    #expect(span(3, 7).intersectionOverUnion(with: span(3, 7)) == 1)
}

@Test func zeroLengthAndInvertedPredictionsScoreZero() {
    // A zero-length prediction inside the target has no intersection.
    #expect(span(4, 4).intersectionOverUnion(with: span(0, 10)) == 0)
    #expect(span(4, 4).intersectionOverHull(with: span(0, 10)) == 0)
    // Two zero-length spans at one instant: 0/0 in the reference code, 0 here.
    #expect(span(4, 4).intersectionOverUnion(with: span(4, 4)) == 0)
    #expect(span(4, 4).intersectionOverHull(with: span(4, 4)) == 0)
    // An inverted span is empty.
    #expect(span(8, 2).intersectionOverHull(with: span(0, 10)) == 0)
}

@Test func predictionPastTheDurationIsNotClipped() {
    // Video of 10 s, target [6, 10], prediction [8, 12]: metrics use the span as given.
    #expect(span(8, 12).intersectionOverHull(with: span(6, 10)) == 2.0 / 6)
}

@Test func bestIoUOverSeveralTargets() {
    #expect(span(0, 4).bestIntersectionOverHull(with: [span(10, 20), span(0, 8)]) == 0.5)
    #expect(span(0, 4).bestIntersectionOverHull(with: []) == 0)
}
