import Testing
import VTGCore

@Test func timeSpanLengthAndNormalization() {
    let span = TimeSpan(startSeconds: 3, endSeconds: 9)
    #expect(span.lengthSeconds == 6)
    #expect(span.normalized(byDurationSeconds: 30) == NormalizedSpan(start: 0.1, end: 0.3))
}

@Test func invertedSpanHasNegativeLength() {
    #expect(TimeSpan(startSeconds: 8, endSeconds: 7).lengthSeconds == -1)
}
