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
        for row in rows {
            #expect(row.decodedFramesPerSecond > 0 && row.sampledClipsPerSecond > 0)
            // Sampling converts a frame in 8 (vtest) or 40 (cockatoo), so it is not slower than
            // converting every frame (a 10 % margin for a noisy machine).
            #expect(row.sampleSeconds < row.decodeSeconds * 1.1)
            #expect(row.description.hasPrefix(row.video))
        }
    }
}
