/// The sampling definition of Docs/video-sampling.md: which instants of a video stand for each
/// clip.
///
/// Clip k covers [k·L, (k + 1)·L) seconds, L = `clipSeconds`. A video of duration D (the end of its
/// last decoded frame) has N = max(1, ⌈D / L − 10⁻⁶⌉) clips; the 10⁻⁶ (a microsecond per second of
/// clip) absorbs floating-point rounding, so a 10.000000000001 s video has 5 clips of 2 s, not 6.
/// Clip k is represented by F = `framesPerClip` frames, sample j (0 ≤ j < F) being the frame shown
/// at time t(k, j) = (k + (j + 0.5) / F)·L: the last frame whose presentation time is ≤ t(k, j),
/// the first frame when t(k, j) precedes every frame, the last frame when t(k, j) lies after it.
/// With F = 1 that is the clip's centre, (k + 0.5)·L.
public struct ClipSampling: Sendable, Equatable, Hashable, Codable {
    /// L, the length of a clip in seconds (2 in the QVHighlights release's CLIP features).
    public let clipSeconds: Double
    /// F, the frames sampled per clip (their embeddings are averaged downstream).
    public let framesPerClip: Int

    /// The slack in ⌈D / L − slack⌉, in clips.
    public static let clipCountSlack = 1e-6

    /// A sampling with clips of `clipSeconds` (> 0) and `framesPerClip` (≥ 1) frames per clip.
    public init(clipSeconds: Double = 2, framesPerClip: Int = 1) {
        precondition(
            clipSeconds > 0 && clipSeconds.isFinite,
            "ClipSampling: clip length \(clipSeconds) s must be positive")
        precondition(framesPerClip >= 1, "ClipSampling: \(framesPerClip) frames per clip")
        self.clipSeconds = clipSeconds
        self.framesPerClip = framesPerClip
    }

    /// N, the number of clips of a video lasting `durationSeconds`: max(1, ⌈D / L − 10⁻⁶⌉).
    public func clipCount(durationSeconds: Double) -> Int {
        precondition(durationSeconds >= 0, "ClipSampling: negative duration \(durationSeconds)")
        let count = (durationSeconds / clipSeconds - Self.clipCountSlack).rounded(.up)
        return max(1, Int(count))
    }

    /// t(k, j) = (k + (j + 0.5) / F)·L, the time whose shown frame is sample `sample` of clip
    /// `clip`.
    public func sampleSeconds(clip: Int, sample: Int) -> Double {
        precondition(clip >= 0, "ClipSampling.sampleSeconds: clip \(clip)")
        precondition(
            (0..<framesPerClip).contains(sample),
            "ClipSampling.sampleSeconds: sample \(sample) of \(framesPerClip)")
        return (Double(clip) + (Double(sample) + 0.5) / Double(framesPerClip)) * clipSeconds
    }

    /// The span of clip `clip`, [k·L, (k + 1)·L), in seconds.
    public func clipSpanSeconds(clip: Int) -> Range<Double> {
        Double(clip) * clipSeconds..<Double(clip + 1) * clipSeconds
    }
}
