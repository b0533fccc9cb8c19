/// One sampled frame: sample `sampleIndex` of clip `clipIndex`, the frame shown at
/// `sampleSeconds`.
public struct ClipFrame: Sendable, Equatable {
    /// k, the clip.
    public let clipIndex: Int
    /// j, the sample within the clip (0 when one frame per clip).
    public let sampleIndex: Int
    /// t(k, j), the instant sampled.
    public let sampleSeconds: Double
    /// The frame shown at that instant (its own `presentationSeconds` is ≤ `sampleSeconds`,
    /// except when the instant precedes the first frame).
    public let frame: VideoFrame

    /// Creates a sampled frame from its values.
    public init(clipIndex: Int, sampleIndex: Int, sampleSeconds: Double, frame: VideoFrame) {
        self.clipIndex = clipIndex
        self.sampleIndex = sampleIndex
        self.sampleSeconds = sampleSeconds
        self.frame = frame
    }
}

/// Applies a `ClipSampling` to a decoder's frame stream in one pass: yields the clips' frames in
/// order (clip 0 sample 0, clip 0 sample 1, …), holding one converted frame at a time.
///
/// Only the frames that some sample instant picks are converted to RGB; the others are decoded
/// (later frames depend on them) and skipped. The clip count is known when the last frame has
/// been decoded (`clipCount`), since the duration is the end of the last frame.
public final class ClipFrameSampler {
    /// The sampling definition applied.
    public let sampling: ClipSampling
    /// The decoder the frames come from (its counters describe the pass).
    public let decoder: VideoDecoder
    /// N, once the last frame has been reached; nil before.
    public private(set) var clipCount: Int?
    /// D, the video's duration (the end of its last frame), once the last frame has been
    /// reached.
    public private(set) var durationSeconds: Double?

    private var timing: FrameTiming?
    private var image: VideoFrame?
    private var clip = 0
    private var sample = 0

    /// A sampler over `decoder`'s frames, which must not have been advanced yet.
    public init(decoder: VideoDecoder, sampling: ClipSampling = ClipSampling()) {
        precondition(
            decoder.decodedFrameCount == 0,
            "ClipFrameSampler: the decoder of \(decoder.path) has already handed out frames")
        self.decoder = decoder
        self.sampling = sampling
    }

    /// Opens the video at `path` and samples it.
    public convenience init(path: String, sampling: ClipSampling = ClipSampling())
        throws(VideoDecodingError)
    {
        self.init(decoder: try VideoDecoder(path: path), sampling: sampling)
    }

    /// The next clip's frame, or nil after sample F − 1 of clip N − 1.
    public func next() throws(VideoDecodingError) -> ClipFrame? {
        if let clipCount, clip >= clipCount { return nil }
        let instant = sampling.sampleSeconds(clip: clip, sample: sample)
        while true {
            guard let current = timing else {
                guard let first = try decoder.advance() else { return nil }
                adopt(first)
                continue
            }
            // The current frame is shown at `instant` when the next frame comes later (or there
            // is none); instants before the first frame fall to the first frame.
            if current.isLast || instant < current.endSeconds { break }
            guard let following = try decoder.advance() else { return nil }
            adopt(following)
        }
        if let clipCount, clip >= clipCount { return nil }
        let frame: VideoFrame
        if let image {
            frame = image
        } else {
            frame = try decoder.currentFrame()
            image = frame
        }
        let result = ClipFrame(
            clipIndex: clip, sampleIndex: sample, sampleSeconds: instant, frame: frame)
        sample += 1
        if sample == sampling.framesPerClip {
            sample = 0
            clip += 1
        }
        return result
    }

    private func adopt(_ newTiming: FrameTiming) {
        timing = newTiming
        image = nil
        if newTiming.isLast {
            durationSeconds = newTiming.endSeconds
            clipCount = sampling.clipCount(durationSeconds: newTiming.endSeconds)
        }
    }
}
