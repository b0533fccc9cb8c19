import Foundation
import Testing

@testable import VideoDecoding

/// What the headers of the real test videos declare and what decodes from them (checked against
/// `ffprobe` on Debian 12's FFmpeg 5.1).
struct RealVideo: Sendable, CustomTestStringConvertible {
    let name: String
    let container: String
    let codec: String
    let width: Int
    let height: Int
    let framesPerSecond: Double
    let declaredSeconds: Double
    let declaredFrames: Int
    let decodedFrames: Int
    var testDescription: String { name }

    static let all: [RealVideo] = [
        RealVideo(
            name: "bikes.mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264", width: 640,
            height: 272, framesPerSecond: 25, declaredSeconds: 10, declaredFrames: 250,
            decodedFrames: 250),
        RealVideo(
            name: "vtest.avi", container: "avi", codec: "msmpeg4v3", width: 768, height: 576,
            framesPerSecond: 10, declaredSeconds: 79.5, declaredFrames: 795, decodedFrames: 795),
        // Cinepak with 444 index entries, of which 376 are empty: 68 pictures, irregularly timed.
        RealVideo(
            name: "tree.avi", container: "avi", codec: "cinepak", width: 320, height: 240,
            framesPerSecond: 1_000_000.0 / 66_667, declaredSeconds: 29.600148,
            declaredFrames: 444, decodedFrames: 68),
        RealVideo(
            name: "cockatoo.mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264",
            width: 1280, height: 720, framesPerSecond: 20, declaredSeconds: 14,
            declaredFrames: 280, decodedFrames: 280),
        RealVideo(
            name: "example-movie.mp4", container: "mov,mp4,m4a,3gp,3g2,mj2", codec: "h264",
            width: 1280, height: 720, framesPerSecond: 30, declaredSeconds: 1829.0 / 30,
            declaredFrames: 1829, decodedFrames: 1829),
    ]
}

/// ffprobe prints times to the microsecond.
private let printedTimeTolerance = 1e-6
/// Times computed from integer timestamps: exact up to one rounding.
private let exactTimeTolerance = 1e-9

@Suite struct VideoDecoderTests {
    @Test(arguments: RealVideo.all)
    func headersOfRealVideos(video: RealVideo) throws {
        let decoder = try VideoDecoder(path: TestVideos.path(video.name))
        let properties = decoder.properties
        #expect(properties.containerName == video.container)
        #expect(properties.codecName == video.codec)
        #expect(properties.codedWidth == video.width && properties.codedHeight == video.height)
        #expect(properties.rotationDegrees == 0)
        #expect(abs((properties.framesPerSecond ?? 0) - video.framesPerSecond) < 1e-9)
        #expect(
            abs((properties.declaredDurationSeconds ?? 0) - video.declaredSeconds)
                < printedTimeTolerance)
        #expect(properties.declaredFrameCount == video.declaredFrames)
    }

    @Test(arguments: RealVideo.all)
    func timestampsOfRealVideosAreFFprobes(video: RealVideo) throws {
        let path = TestVideos.path(video.name)
        let reference = try FFmpegCommandLine.frameTimes(path: path)
        let decoder = try VideoDecoder(path: path)
        var timings: [FrameTiming] = []
        while let timing = try decoder.advance() { timings.append(timing) }
        #expect(timings.count == video.decodedFrames)
        #expect(reference.count == video.decodedFrames)
        for (timing, expected) in zip(timings, reference) {
            #expect(abs(timing.presentationSeconds - expected) < printedTimeTolerance)
        }
        for (earlier, later) in zip(timings, timings.dropFirst()) {
            #expect(earlier.presentationSeconds < later.presentationSeconds)
            #expect(earlier.endSeconds == later.presentationSeconds)
        }
        #expect(timings.last?.isLast == true)
        #expect(timings.dropLast().allSatisfy { !$0.isLast })
        #expect(abs((timings.last?.endSeconds ?? 0) - video.declaredSeconds) < printedTimeTolerance)
        #expect(decoder.droppedFrameCount == 0)
        #expect(try decoder.advance() == nil)
    }

    @Test func treeAviIsTimedByItsTimestampsNotItsFrameCount() throws {
        let decoder = try VideoDecoder(path: TestVideos.path("tree.avi"))
        var times: [Double] = []
        while let timing = try decoder.advance() { times.append(timing.presentationSeconds) }
        // Pictures sit at index entries 0, 11, 17, 24, 31, … of 66 667 µs each.
        let tick = 66_667e-6
        for (time, entry) in zip(times, [0, 11, 17, 24, 31]) {
            #expect(abs(time - Double(entry) * tick) < exactTimeTolerance)
        }
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect((gaps.max() ?? 0) > 1.5 * (gaps.min() ?? 0))
    }

    /// Every container and codec shows frame n at n/25 s, whatever its time base and start
    /// (the MPEG program stream starts at 0.54 s; times count from the stream's start).
    @Test(arguments: [
        "numbered-ffv1.mkv", "numbered.mp4", "numbered.mkv", "numbered.webm", "numbered.avi",
        "numbered.mpg",
    ])
    func containersAndCodecsShowEachFrameAtItsTime(name: String) throws {
        let decoder = try VideoDecoder(path: TestVideos.path("generated/" + name))
        #expect(decoder.properties.displayWidth == 320 && decoder.properties.displayHeight == 240)
        var index = 0
        while let frame = try decoder.nextFrame() {
            #expect(TestVideos.burntInFrameNumber(of: frame) == index)
            let expected = Double(index) / Double(TestVideos.numberedFramesPerSecond)
            #expect(abs(frame.presentationSeconds - expected) < exactTimeTolerance)
            index += 1
        }
        #expect(index == TestVideos.numberedFrameCount)
    }

    /// numbered-vfr.mp4 shows frame n at n/25 + (n mod 3)/100 s (gaps of 50, 50 and 20 ms),
    /// rounded down to its millisecond time base by ffmpeg: the decoder gives those times.
    @Test func variableFrameRateFollowsPresentationTimes() throws {
        let path = TestVideos.path("generated/numbered-vfr.mp4")
        let reference = try FFmpegCommandLine.frameTimes(path: path)
        let decoder = try VideoDecoder(path: path)
        var index = 0
        while let frame = try decoder.nextFrame() {
            #expect(TestVideos.burntInFrameNumber(of: frame) == index)
            let recipe = Double(index) / 25 + Double(index % 3) / 100
            #expect(abs(frame.presentationSeconds - recipe) <= 0.001 + exactTimeTolerance)
            #expect(abs(frame.presentationSeconds - reference[index]) < exactTimeTolerance)
            index += 1
        }
        #expect(index == TestVideos.numberedFrameCount)
    }

    /// libswscale with the command line's settings gives the command line's pixels, byte for
    /// byte: YUV 4:2:0 and 4:4:4, an RGB source, and a stream tagged BT.709 full range.
    @Test(arguments: [
        ("bikes.mp4", 0), ("bikes.mp4", 137), ("vtest.avi", 400), ("cockatoo.mp4", 100),
        ("tree.avi", 30), ("example-movie.mp4", 300), ("generated/numbered-bt709.mp4", 10),
    ])
    func conversionMatchesTheCommandLine(name: String, index: Int) throws {
        let path = TestVideos.path(name)
        let decoder = try VideoDecoder(path: path)
        for _ in 0..<index { _ = try decoder.advance() }
        let frame = try #require(try decoder.nextFrame())
        let reference = try FFmpegCommandLine.rgbFrame(path: path, index: index)
        #expect(reference.count == frame.rgb.count)
        #expect(reference == frame.rgb)
    }

    /// A display matrix turns the pictures: the coded pictures of numbered.mp4, rotated without
    /// loss, as the command line's automatic rotation shows them.
    @Test(arguments: [90, 180, 270])
    func rotationFollowsTheDisplayMatrix(clockwiseDegrees: Int) throws {
        let path = TestVideos.path("generated/numbered-clockwise\(clockwiseDegrees).mp4")
        let rotated = try VideoDecoder(path: path)
        let upright = try VideoDecoder(path: TestVideos.path("generated/numbered.mp4"))
        #expect(rotated.properties.rotationDegrees == clockwiseDegrees)
        let turned = clockwiseDegrees != 180
        #expect(rotated.properties.displayWidth == (turned ? 240 : 320))
        for index in 0..<60 {
            let frame = try #require(try rotated.nextFrame())
            let original = try #require(try upright.nextFrame())
            #expect(frame.width == (turned ? 240 : 320) && frame.height == (turned ? 320 : 240))
            let number = TestVideos.burntInFrameNumber(
                of: frame, rotationDegrees: clockwiseDegrees)
            #expect(number == index)
            for (x, y) in [(0, 0), (319, 0), (0, 239), (160, 24), (301, 200)] {
                let (turnedX, turnedY) = TestVideos.unrotate(
                    x: x, y: y, rotationDegrees: clockwiseDegrees, codedWidth: 320,
                    codedHeight: 240)
                #expect(frame.pixel(x: turnedX, y: turnedY) == original.pixel(x: x, y: y))
            }
        }
        // The command line rotates the YUV picture before converting it, so chroma is
        // interpolated along the other axis: compare the mean absolute difference.
        let reference = try FFmpegCommandLine.rgbFrame(path: path, index: 0)
        let first = try VideoDecoder(path: path).nextFrame()
        let ours = try #require(first).rgb
        #expect(reference.count == ours.count)
        let difference = zip(reference, ours).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(difference) / Double(ours.count) < rotatedChromaTolerance)
    }
}

/// Mean absolute RGB difference allowed between converting then rotating and rotating then
/// converting (4:2:0 chroma interpolated along different axes; a wrong turn differs by ~60).
private let rotatedChromaTolerance = 2.0
