import Testing
import VTGCore

@Test func normalizedSpanConvertsToSeconds() {
    let span = NormalizedSpan(start: 0.25, end: 0.5)
    #expect(span.length == 0.25)
    #expect(span.seconds(forDurationSeconds: 40) == TimeSpan(startSeconds: 10, endSeconds: 20))
}
