/// A moment as fractions of its video's duration: `0` is the first frame, `1` the last.
///
/// Used where the duration is not known or must not matter (the video-free baseline, span heads
/// that predict relative positions). Convert back with ``seconds(forDurationSeconds:)``.
public struct NormalizedSpan: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Start as a fraction of the duration.
    public var start: Double
    /// End as a fraction of the duration.
    public var end: Double

    /// Creates a span from fractions of the duration.
    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// `end - start`.
    public var length: Double { end - start }

    /// The span in seconds of a video lasting `durationSeconds`.
    public func seconds(forDurationSeconds durationSeconds: Double) -> TimeSpan {
        TimeSpan(startSeconds: start * durationSeconds, endSeconds: end * durationSeconds)
    }

    /// `[start, end]` as fractions, e.g. `[0.12, 0.40]`.
    public var description: String { "[\(start), \(end)] of the duration" }
}
