import Testing
import VideoDecoding

@Suite struct VideoDecodingBenchmarkTests {
    /// The rows `vtg bench` shows, on the two videos it uses (one repetition: a smoke run).
    @Test func rowsForVtestAndCockatoo() throws {
        let rows = try VideoDecodingBenchmark.run(
            paths: [TestVideos.path("vtest.avi"), TestVideos.path("cockatoo.mp4")],
            repetitions: 1)
        #expect(rows.map(\.video) == ["vtest.avi", "cockatoo.mp4"])
        #expect(rows.map(\.frames) == [795, 280])
        #expect(rows.map(\.clips) == [40, 7])
        #expect(rows.map(\.size) == ["768×576", "1280×720"])
        #expect(rows.map(\.videoSeconds) == [79.5, 14])
        for row in rows {
            // Timings are not compared: the tests run in parallel on a shared machine.
            #expect(row.decodeSeconds > 0 && row.sampleSeconds > 0 && row.repetitions == 1)
            #expect(row.decodedFramesPerSecond == Double(row.frames) / row.decodeSeconds)
            #expect(row.sampledVideoSecondsPerSecond == row.videoSeconds / row.sampleSeconds)
            #expect(row.description.hasPrefix(row.video))
        }
    }
}
