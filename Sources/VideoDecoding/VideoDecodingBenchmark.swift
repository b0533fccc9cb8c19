import Dispatch

/// The video-decoding rows of `vtg bench` (run them from a release build).
///
/// For each video: decoding every frame to RGB24 (open, demux, decode, convert; what
/// `VideoDecoder.nextFrame()` costs), and sampling its clips (decoding every frame, converting
/// only the sampled ones; what `ClipFrameSampler` costs). Each pass is repeated and the median
/// taken, after one warm-up pass that also checks the file decodes.
public enum VideoDecodingBenchmark {
    /// One video's figures.
    public struct Row: Sendable, CustomStringConvertible {
        /// The file's name.
        public let video: String
        /// Frame size as shown, "768×576".
        public let size: String
        /// Seconds of video (the end of the last frame).
        public let videoSeconds: Double
        /// Frames in the video.
        public let frames: Int
        /// Clips of the sampling.
        public let clips: Int
        /// Median seconds to decode every frame to RGB.
        public let decodeSeconds: Double
        /// Median seconds to sample every clip.
        public let sampleSeconds: Double
        /// Timed repetitions of each pass.
        public let repetitions: Int

        /// Frames decoded and converted to RGB per second.
        public var decodedFramesPerSecond: Double { Double(frames) / decodeSeconds }
        /// Clips sampled per second.
        public var sampledClipsPerSecond: Double { Double(clips) / sampleSeconds }
        /// Seconds of video sampled per second of wall time.
        public var sampledVideoSecondsPerSecond: Double { videoSeconds / sampleSeconds }

        /// One line of the benchmark table.
        public var description: String {
            let name = video.padding(toLength: 20, withPad: " ", startingAt: 0)
            return name
                + "\(size), \(frames) frames, \(clips) clips: "
                + "\(Self.format(decodedFramesPerSecond)) frames/s decoded to RGB, "
                + "\(Self.format(sampledClipsPerSecond)) clips/s sampled "
                + "(\(Self.format(sampledVideoSecondsPerSecond)) s of video per s)"
        }

        private static func format(_ value: Double) -> String {
            value >= 100 ? "\(Int(value.rounded()))" : "\((value * 10).rounded() / 10)"
        }
    }

    /// Measures `paths` (for `vtg bench`: `vtest.avi` and `cockatoo.mp4`) with `sampling`.
    public static func run(
        paths: [String], sampling: ClipSampling = ClipSampling(), repetitions: Int = 3
    ) throws(VideoDecodingError) -> [Row] {
        precondition(repetitions >= 1, "VideoDecodingBenchmark.run: \(repetitions) repetitions")
        var rows: [Row] = []
        for path in paths {
            let decode = try measure(repetitions: repetitions) { () throws(VideoDecodingError) in
                let decoder = try VideoDecoder(path: path)
                while try decoder.nextFrame() != nil {}
                return decoder.decodedFrameCount
            }
            var clips = 0
            var duration = 0.0
            let sample = try measure(repetitions: repetitions) { () throws(VideoDecodingError) in
                let sampler = try ClipFrameSampler(path: path, sampling: sampling)
                while try sampler.next() != nil {}
                clips = sampler.clipCount ?? 0
                duration = sampler.durationSeconds ?? 0
                return sampler.decoder.decodedFrameCount
            }
            let properties = try VideoDecoder(path: path).properties
            rows.append(
                Row(
                    video: path.split(separator: "/").last.map(String.init) ?? path,
                    size: "\(properties.displayWidth)×\(properties.displayHeight)",
                    videoSeconds: duration, frames: decode.frames, clips: clips,
                    decodeSeconds: decode.median, sampleSeconds: sample.median,
                    repetitions: repetitions))
        }
        return rows
    }

    /// Runs `pass` (which returns the frames it decoded) once to warm up, then `repetitions`
    /// times; the median wall time in seconds.
    private static func measure(
        repetitions: Int, _ pass: () throws(VideoDecodingError) -> Int
    ) throws(VideoDecodingError) -> (median: Double, frames: Int) {
        let frames = try pass()
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try pass()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return (times[times.count / 2], frames)
    }
}
