/// When a decoded frame is shown: from its presentation time until the next frame's.
public struct FrameTiming: Sendable, Equatable {
    /// The frame's position among the frames the decoder handed out, from 0.
    public let index: Int
    /// The frame's presentation time, in seconds from the start of the video stream.
    public let presentationSeconds: Double
    /// When the next frame replaces it; for the last frame, its presentation time plus its
    /// duration (the end of the video: see Docs/video-sampling.md).
    public let endSeconds: Double
    /// Whether no frame follows.
    public let isLast: Bool

    /// Creates a timing from its values.
    public init(index: Int, presentationSeconds: Double, endSeconds: Double, isLast: Bool) {
        self.index = index
        self.presentationSeconds = presentationSeconds
        self.endSeconds = endSeconds
        self.isLast = isLast
    }
}
