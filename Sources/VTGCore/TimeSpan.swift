/// A moment of a video in seconds: `[startSeconds, endSeconds]`.
///
/// Every annotation reader returns targets in this type, converted from the file's unit (TACoS
/// frames are divided by the frame rate). Spans relative to the video's duration are a different
/// type, ``NormalizedSpan``, so the two cannot be mixed up.
public struct TimeSpan: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Start of the moment, in seconds from the start of the video.
    public var startSeconds: Double
    /// End of the moment, in seconds from the start of the video.
    public var endSeconds: Double

    /// Creates a span from its start and end in seconds; no ordering is enforced, so readers can
    /// represent and then report inverted annotations.
    public init(startSeconds: Double, endSeconds: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }

    /// `endSeconds - startSeconds` (negative for an inverted span).
    public var lengthSeconds: Double { endSeconds - startSeconds }

    /// The same span as fractions of `durationSeconds`.
    public func normalized(byDurationSeconds durationSeconds: Double) -> NormalizedSpan {
        precondition(durationSeconds > 0, "TimeSpan.normalized: duration \(durationSeconds) <= 0")
        return NormalizedSpan(
            start: startSeconds / durationSeconds, end: endSeconds / durationSeconds)
    }

    /// `[start, end]` with seconds, e.g. `[2.4 s, 7.9 s]`.
    public var description: String { "[\(startSeconds) s, \(endSeconds) s]" }
}
