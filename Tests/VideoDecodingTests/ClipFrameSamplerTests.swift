import Foundation
import Testing
import VideoDecoding

/// Samples every clip of `path`.
private func sampleAll(_ path: String, _ sampling: ClipSampling) throws -> (
    frames: [ClipFrame], sampler: ClipFrameSampler
) {
    let sampler = try ClipFrameSampler(path: path, sampling: sampling)
    var frames: [ClipFrame] = []
    while let frame = try sampler.next() { frames.append(frame) }
    return (frames, sampler)
}

/// The index of the frame shown at `time`: the last whose time is ≤ it (the first when none is),
/// computed from a list of frame times (from ffprobe, or from a video's recipe).
private func shownFrame(at time: Double, times: [Double], tolerance: Double = 0) -> Int {
    max(0, (times.lastIndex { $0 <= time + tolerance }) ?? 0)
}

/// ffprobe prints times to the microsecond.
private let printedTimeTolerance = 1e-6

@Suite struct ClipFrameSamplerTests {
    /// numbered.mp4 (25 frames/s, 20 s): clip k's centre (2k + 1) s shows frame 50k + 25.
    @Test func centreFrameOfEachClip() throws {
        let path = TestVideos.path("generated/numbered.mp4")
        let (frames, sampler) = try sampleAll(path, ClipSampling())
        #expect(sampler.clipCount == 10)
        #expect(sampler.durationSeconds == 20)
        #expect(frames.map(\.clipIndex) == Array(0..<10))
        #expect(frames.allSatisfy { $0.sampleIndex == 0 })
        #expect(
            frames.map { TestVideos.burntInFrameNumber(of: $0.frame) }
                == (0..<10).map {
                    50 * $0 + 25
                })
        #expect(sampler.decoder.decodedFrameCount == 500)
    }

    /// Four frames per clip on the variable-rate video: each sample is the last frame shown at
    /// or before its time, by ffprobe's timestamps.
    @Test func severalFramesPerClipOnVariableTiming() throws {
        let path = TestVideos.path("generated/numbered-vfr.mp4")
        let sampling = ClipSampling(clipSeconds: 2, framesPerClip: 4)
        let times = try FFmpegCommandLine.frameTimes(path: path)
        let (frames, sampler) = try sampleAll(path, sampling)
        #expect(sampler.clipCount == 11)  // the last frame ends at 20.01 s
        #expect(frames.count == 44)
        for sample in frames {
            #expect(
                sample.sampleSeconds
                    == sampling.sampleSeconds(clip: sample.clipIndex, sample: sample.sampleIndex))
            let expected = shownFrame(
                at: sample.sampleSeconds, times: times, tolerance: printedTimeTolerance)
            #expect(TestVideos.burntInFrameNumber(of: sample.frame) == expected)
        }
        // Clip 10 covers [20, 22) s: past the last frame, every sample takes it.
        #expect(frames.suffix(4).allSatisfy { TestVideos.burntInFrameNumber(of: $0.frame) == 499 })
    }

    /// The clock video (61 s, 30 frames/s): each clip's frame is the frame ffprobe's timestamps
    /// say is shown at the clip's centre, pixel for pixel as the command line decodes it, and
    /// its progress bar has advanced to that time.
    @Test func clockVideoShowsEachClipsCentre() throws {
        let path = TestVideos.path("example-movie.mp4")
        let times = try FFmpegCommandLine.frameTimes(path: path)
        let (frames, sampler) = try sampleAll(path, ClipSampling())
        #expect(sampler.clipCount == 31)
        #expect(frames.count == 31)
        for sample in frames {
            let expected = shownFrame(
                at: sample.sampleSeconds, times: times, tolerance: printedTimeTolerance)
            #expect(abs(sample.frame.presentationSeconds - times[expected]) < printedTimeTolerance)
            let shown = ProgressBar.seconds(in: sample.frame)
            #expect(
                abs(shown - min(sample.sampleSeconds, ProgressBar.fullAfterSeconds))
                    < ProgressBar.tolerance)
        }
        // The last clip's centre (61 s) lies after the last frame (60.933 s): it takes that frame.
        #expect(abs((frames.last?.frame.presentationSeconds ?? 0) - times[1828]) < 1e-6)
        for clip in [0, 14, 30] {
            let expected = shownFrame(
                at: frames[clip].sampleSeconds, times: times, tolerance: printedTimeTolerance)
            // Half a millisecond before the frame: the command line seeks to the first frame at
            // or after a time, and the next frame is 33 ms later.
            let reference = try FFmpegCommandLine.rgbFrame(
                path: path, atSeconds: times[expected] - 0.0005)
            #expect(reference == frames[clip].frame.rgb)
        }
    }

    /// tree.avi: 68 irregular pictures over 29.6 s; each clip centre takes the picture ffprobe's
    /// timestamps say is on screen.
    @Test func variableTimingOfARealVideo() throws {
        let path = TestVideos.path("tree.avi")
        let times = try FFmpegCommandLine.frameTimes(path: path)
        let (frames, sampler) = try sampleAll(path, ClipSampling())
        #expect(sampler.clipCount == 15)
        for sample in frames {
            let expected = shownFrame(
                at: sample.sampleSeconds, times: times, tolerance: printedTimeTolerance)
            #expect(abs(sample.frame.presentationSeconds - times[expected]) < printedTimeTolerance)
        }
        for (earlier, later) in zip(frames, frames.dropFirst()) {
            #expect(earlier.frame.presentationSeconds < later.frame.presentationSeconds)
        }
        #expect(frames.allSatisfy { $0.frame.presentationSeconds <= $0.sampleSeconds })
    }

    /// With 3 s clips, bikes.mp4 (10 s) has 4 clips; the last one's centre (10.5 s) is after the
    /// last frame (9.96 s), which it takes.
    @Test func lastClipIsClampedToTheLastFrame() throws {
        let path = TestVideos.path("bikes.mp4")
        let (frames, sampler) = try sampleAll(path, ClipSampling(clipSeconds: 3))
        #expect(sampler.clipCount == 4)
        #expect(frames.map(\.frame.presentationSeconds) == [1.48, 4.48, 7.48, 9.96])
        let decoder = try VideoDecoder(path: path)
        var last: VideoFrame?
        while let frame = try decoder.nextFrame() { last = frame }
        #expect(frames.last?.frame == last)
    }

    /// A truncated file fails the sampling with the decoder's error.
    @Test func truncatedFileFailsTheSampling() throws {
        let path = TestVideos.path("generated/truncated-numbered.mkv")
        let sampler = try ClipFrameSampler(path: path)
        var clips = 0
        #expect(throws: VideoDecodingError.self) {
            while try sampler.next() != nil { clips += 1 }
        }
        #expect(clips == 6)  // clips 0-5 have their centres before the cut at 12 s
    }
}

/// Reads the time from the progress bar of texlive's example-movie.mp4: a bar 768 pixels wide
/// (x from 256) fills from the left with a darker grey, 12.8 pixels a second, full at 60 s.
enum ProgressBar {
    /// The bar's left edge and width in pixels.
    static let left = 256
    static let width = 768
    /// When the bar is full.
    static let fullAfterSeconds = 60.0
    /// The frame shown at a time precedes it by up to 1/30 s, and a pixel of bar is 0.08 s.
    static let tolerance = 0.2

    /// The movie time the bar shows.
    static func seconds(in frame: VideoFrame) -> Double {
        let row = barRow(in: frame)
        var filled = 0
        for x in left..<(left + width) where frame.pixel(x: x, y: row).green < 60 { filled += 1 }
        return Double(filled) / Double(width) * fullAfterSeconds
    }

    /// The row through the bar's middle: the bar is the band whose pixels at x = left…left+width
    /// are all darker than the background.
    private static func barRow(in frame: VideoFrame) -> Int {
        let rows = (frame.height / 2..<frame.height).filter { y in
            stride(from: left + 2, to: left + width - 2, by: 16).allSatisfy {
                frame.pixel(x: $0, y: y).green < 120
            } && frame.pixel(x: left - 20, y: y).green > 120
        }
        return rows.isEmpty ? frame.height - 1 : rows[rows.count / 2]
    }
}
