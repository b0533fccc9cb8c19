import Testing
import VideoDecoding

@Suite struct ClipSamplingTests {
    @Test func clipCountIsTheCeilingOfDurationOverClipLength() {
        let sampling = ClipSampling()
        #expect(sampling.clipSeconds == 2 && sampling.framesPerClip == 1)
        #expect(sampling.clipCount(durationSeconds: 10) == 5)
        #expect(sampling.clipCount(durationSeconds: 10.01) == 6)
        #expect(sampling.clipCount(durationSeconds: 9.99) == 5)
        #expect(sampling.clipCount(durationSeconds: 1829.0 / 30) == 31)
        #expect(sampling.clipCount(durationSeconds: 150) == 75)  // a QVHighlights video
        // Rounding noise a microsecond past a clip boundary opens no clip of its own.
        #expect(sampling.clipCount(durationSeconds: 10 + 1e-7) == 5)
        #expect(sampling.clipCount(durationSeconds: 10 + 1e-5) == 6)
        // A single still picture (no duration) is still one clip.
        #expect(sampling.clipCount(durationSeconds: 0) == 1)
        #expect(ClipSampling(clipSeconds: 1.5).clipCount(durationSeconds: 14) == 10)
    }

    @Test func oneFramePerClipSamplesTheCentre() {
        let sampling = ClipSampling(clipSeconds: 2)
        #expect(sampling.sampleSeconds(clip: 0, sample: 0) == 1)
        #expect(sampling.sampleSeconds(clip: 7, sample: 0) == 15)
        #expect(sampling.clipSpanSeconds(clip: 7) == 14..<16)
    }

    /// F frames at (k + (j + 0.5)/F)·L: the centres of F equal parts of the clip.
    @Test func severalFramesPerClipSplitTheClipEvenly() {
        let sampling = ClipSampling(clipSeconds: 2, framesPerClip: 4)
        let times = (0..<4).map { sampling.sampleSeconds(clip: 3, sample: $0) }
        #expect(times == [6.25, 6.75, 7.25, 7.75])
        let thirds = ClipSampling(clipSeconds: 3, framesPerClip: 3)
        #expect((0..<3).map { thirds.sampleSeconds(clip: 0, sample: $0) } == [0.5, 1.5, 2.5])
    }
}
