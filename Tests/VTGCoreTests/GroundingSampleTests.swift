import Testing
import VTGCore

@Test func groundingSampleNormalizesEveryTarget() {
    let sample = GroundingSample(
        queryID: 7, videoID: "v", durationSeconds: 20, query: "a person opens a door",
        targets: [
            TimeSpan(startSeconds: 0, endSeconds: 5), TimeSpan(startSeconds: 10, endSeconds: 20),
        ])
    #expect(
        sample.normalizedTargets == [
            NormalizedSpan(start: 0, end: 0.25), NormalizedSpan(start: 0.5, end: 1),
        ])
}
