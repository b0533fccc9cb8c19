import Foundation
import TestSupport
import Testing
import VideoDecoding

/// Decodes every frame of `path`; returns the frames handed out and the error that ended the
/// pass (nil when the file decoded whole).
private func decodeAll(_ path: String) -> (frames: Int, error: VideoDecodingError?) {
    do {
        let decoder = try VideoDecoder(path: path)
        var frames = 0
        do {
            while try decoder.advance() != nil { frames += 1 }
        } catch {
            return (frames, error)
        }
        return (frames, nil)
    } catch {
        return (0, error)
    }
}

@Suite struct VideoDecodingErrorTests {
    @Test func everyMessageNamesTheFile() {
        let path = "/videos/holiday.mp4"
        let errors: [VideoDecodingError] = [
            .fileNotFound(path: path), .unreadable(path: path, reason: "Invalid data"),
            .noVideoStream(path: path),
            .unsupportedCodec(path: path, codec: "prores", reason: "no decoder"),
            .corruptData(path: path, afterSeconds: 9.72, reason: "Invalid NAL unit size"),
            .truncated(path: path, decodedUntilSeconds: 11.76, declaredSeconds: 20),
            .truncated(path: path, decodedUntilSeconds: 11.76, declaredSeconds: nil),
            .noFrames(path: path), .conversionFailed(path: path, pixelFormat: "bayer_rggb8"),
        ]
        for error in errors {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
        }
        #expect(
            VideoDecodingError.truncated(
                path: path, decodedUntilSeconds: 11.76, declaredSeconds: 20
            )
            .description.contains("end at 11.76 s of the 20.0 s"))
        #expect(
            VideoDecodingError.corruptData(path: path, afterSeconds: 9.72, reason: "bad NAL")
                .description.contains("after 9.72 s (bad NAL)"))
    }

    @Test func missingFile() {
        let path = TestVideoFolder.url.appendingPathComponent("no-such-video.mp4").path
        #expect(decodeAll(path).error == .fileNotFound(path: path))
    }

    @Test func fileThatIsNoVideo() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-not-a-video-\(UUID().uuidString).mp4").path
        try Data("these are words, not a video\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .unreadable(let errorPath, _)? = decodeAll(path).error else {
            Issue.record("a text file must be unreadable")
            return
        }
        #expect(errorPath == path)
    }

    /// bikes.mp4 keeps its index (moov) after the data, so its first 60 % has no index at all.
    @Test func truncatedBeforeTheIndexIsUnreadable() {
        let path = TestVideos.path("generated/truncated-bikes.mp4")
        guard case .unreadable(let errorPath, _)? = decodeAll(path).error else {
            Issue.record("truncated-bikes.mp4 must be unreadable")
            return
        }
        #expect(errorPath == path)
    }

    @Test func audioOnly() {
        let path = TestVideos.path("generated/audio-only.m4a")
        #expect(decodeAll(path).error == .noVideoStream(path: path))
    }

    /// Cut at 60 % of their bytes: the frames before the cut come out, then `truncated` names
    /// the file, where the frames end and where the headers say they should.
    @Test(arguments: [
        ("generated/truncated-numbered.mp4", 290, 20.0),
        ("generated/truncated-numbered.mkv", 290, 20.0),
        ("generated/truncated-vtest.avi", 480, 79.5),
    ])
    func truncatedFileGivesItsFramesThenAnError(name: String, minimumFrames: Int, declared: Double)
    {
        let path = TestVideos.path(name)
        let result = decodeAll(path)
        #expect(result.frames >= minimumFrames)
        guard case .truncated(let errorPath, let until, let declaredSeconds)? = result.error else {
            Issue.record(
                "\(name): expected a truncation error, got \(String(describing: result.error))")
            return
        }
        #expect(errorPath == path)
        #expect(until < declared - 5)
        #expect(declaredSeconds == declared)
    }

    /// 20 000 bytes of text in the middle: FFmpeg conceals the damage and goes on, and the
    /// decoder reports it when the stream ends, with where it started.
    @Test(arguments: [
        "generated/corrupted-numbered.mp4", "generated/corrupted-numbered.avi",
        "generated/corrupted-numbered.mkv",
    ])
    func corruptedFileIsAnError(name: String) {
        let path = TestVideos.path(name)
        let result = decodeAll(path)
        guard case .corruptData(let errorPath, let afterSeconds, _)? = result.error else {
            Issue.record("\(name): expected corrupt data, got \(String(describing: result.error))")
            return
        }
        #expect(errorPath == path)
        // The damage sits half-way through the bytes of a 20 s video.
        #expect(afterSeconds > 5 && afterSeconds < 15)
        #expect(result.frames > 300)
    }
}
