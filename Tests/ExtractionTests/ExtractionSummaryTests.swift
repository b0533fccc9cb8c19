import Extraction
import Testing

@Suite struct ExtractionSummaryTests {
    @Test func ratesAndSuccessFollowTheCounts() {
        var summary = ExtractionSummary(shard: .whole)
        #expect(summary.succeeded && summary.videoSecondsPerWallSecond == 0)
        summary.videoSeconds = 7200
        summary.wallSeconds = 100
        #expect(summary.videoHours == 2)
        #expect(summary.videoSecondsPerWallSecond == 72)
        summary.failures.append(
            ExtractionFailure(videoID: "a", path: "/v/a.mp4", message: "/v/a.mp4: truncated"))
        #expect(!summary.succeeded)
        #expect(summary.failures[0].description == "/v/a.mp4: truncated")
    }
}
