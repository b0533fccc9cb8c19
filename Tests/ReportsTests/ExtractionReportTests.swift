import Extraction
import Reports
import Testing

@Suite struct ExtractionReportTests {
    @Test func theStartAndFailuresAreOneLineEach() {
        let start = ExtractionReport.text(
            of: .started(
                shard: ExtractionShard(index: 1, count: 4), featureKind: "clip-vit-b-32",
                toExtract: 3, alreadyComplete: 2))
        #expect(
            start
                == "extract: shard 1/4, 3 videos to extract, 2 already complete; features "
                + "clip-vit-b-32")
        let whole = ExtractionReport.text(
            of: .started(shard: .whole, featureKind: "k", toExtract: 1, alreadyComplete: 0))
        #expect(whole == "extract: 1 video to extract, 0 already complete; features k")
        let failure = ExtractionFailure(videoID: "a", path: "/v/a.mp4", message: "/v/a.mp4: cut")
        #expect(ExtractionReport.text(of: .failed(failure)) == "failed: /v/a.mp4: cut")
    }

    @Test func theSummaryGivesCountsHoursClipsWallTimeAndShares() {
        var summary = ExtractionSummary(shard: .whole)
        summary.videoCount = 4
        summary.extractedCount = 2
        summary.skippedCount = 1
        summary.failures = [
            ExtractionFailure(videoID: "b", path: "/v/b.avi", message: "/v/b.avi: truncated")
        ]
        summary.videoSeconds = 5400
        summary.clipCount = 2700
        summary.decodedFrameCount = 135_000
        summary.wallSeconds = 90
        summary.timing.decodeSeconds = 5
        summary.timing.preprocessSeconds = 5
        summary.timing.encodeSeconds = 80
        let lines = ExtractionReport.summary(summary).split(separator: "\n").map(String.init)
        #expect(
            lines[0] == "videos: 2 extracted, 1 already complete, 1 failed (of 4 in shard 0/1)")
        #expect(lines[1] == "video: 1.50 hours, 2700 clips, 135000 frames decoded")
        #expect(
            lines[2]
                == "wall time: 1 m 30 s (60.0 s of video per s); decode 6 %, preprocess 6 %, "
                + "encode 89 %, write 0 %")
        #expect(lines[3] == "failed: /v/b.avi: truncated")
    }
}
