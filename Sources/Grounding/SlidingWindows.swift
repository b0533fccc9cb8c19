import Metrics

/// How a video with more clips than the model takes is grounded: windows of `windowClips`
/// clips (the model's `maxClips`), `strideClips` apart (half a window by default), the last one
/// ending at the video's last clip. Every window is grounded on its own; its spans are mapped to
/// the whole video's time and all windows' spans are merged by temporal NMS
/// (`SpanDecoder.decode(windows:…)`). With overlapping windows a moment of up to
/// `windowClips − strideClips` clips lies whole inside some window, wherever it is: a moment cut
/// by one window's edge is found whole in the next.
///
/// This replaces average pooling to `maxClips` for grounding and evaluation; training still
/// resamples long videos to `maxClips`.
public struct SlidingWindows: Sendable, Equatable {
    /// Clips per window: the model's `maxClips`.
    public let windowClips: Int
    /// Clips from one window's first clip to the next one's.
    public let strideClips: Int

    /// Windows of `windowClips` clips, `strideClips` apart (default: half a window, at least 1
    /// clip); the stride must be in 1…`windowClips`.
    public init(windowClips: Int, strideClips: Int? = nil) {
        precondition(windowClips >= 1, "SlidingWindows: window of \(windowClips) clips")
        let stride = strideClips ?? max(1, windowClips / 2)
        precondition(
            (1...windowClips).contains(stride),
            "SlidingWindows: stride \(stride) outside 1…\(windowClips) clips")
        self.windowClips = windowClips
        self.strideClips = stride
    }

    /// The first clip of each window over a video of `clipCount` clips: `[0]` when the video
    /// fits in one window, else 0, S, 2S, … while a window fits, and a last window ending at the
    /// last clip.
    public func windowStarts(clipCount: Int) -> [Int] {
        precondition(clipCount >= 1, "SlidingWindows: a video of \(clipCount) clips")
        guard clipCount > windowClips else { return [0] }
        let lastStart = clipCount - windowClips
        var starts = Array(stride(from: 0, through: lastStart, by: strideClips))
        if starts.last != lastStart { starts.append(lastStart) }
        return starts
    }
}

extension SlidingWindows {
    /// One window's answer: its first clip in the video and its per-clip probabilities.
    public struct Window: Sendable {
        /// The window's first clip in the whole video.
        public var firstClip: Int
        /// The probabilities over the window's clips.
        public var probabilities: SpanProbabilities

        /// A window's answer.
        public init(firstClip: Int, probabilities: SpanProbabilities) {
            self.firstClip = firstClip
            self.probabilities = probabilities
        }
    }

    /// The ranked spans of a video of `clipCount` clips over `durationSeconds` grounded window by
    /// window: each window's best `topK` spans (`SpanDecoder.decode` on the window's own clips),
    /// shifted by the window's start time (clip a starts at a·D/N), then greedy temporal NMS at
    /// `nmsThreshold` over every window's spans, best `topK` kept. Scores are each window's
    /// p_start·p_end, compared across windows as they are.
    public static func decode(
        _ windows: [Window], clipCount: Int, durationSeconds: Double, maxSpanClips: Int,
        topK: Int = SpanDecoder.defaultTopK,
        nmsThreshold: Double = SpanDecoder.defaultNMSThreshold
    ) -> [ScoredSpan] {
        let clipSeconds = durationSeconds / Double(clipCount)
        var candidates: [ScoredSpan] = []
        for window in windows {
            let clips = window.probabilities.start.count
            let offset = Double(window.firstClip) * clipSeconds
            let spans = SpanDecoder.decode(
                window.probabilities, durationSeconds: Double(clips) * clipSeconds,
                maxSpanClips: maxSpanClips, topK: topK, nmsThreshold: nmsThreshold)
            candidates += spans.map {
                ScoredSpan(
                    startSeconds: $0.span.startSeconds + offset,
                    endSeconds: min(durationSeconds, $0.span.endSeconds + offset),
                    score: $0.score)
            }
        }
        return candidates.nonMaximumSuppressed(iouThreshold: nmsThreshold, maxKept: topK)
    }

    /// The per-clip curves of the whole video: each clip's probabilities averaged over the
    /// windows that cover it (for plots; windows normalise their start and end probabilities
    /// each on its own).
    public static func mergedProbabilities(_ windows: [Window], clipCount: Int)
        -> SpanProbabilities
    {
        var start = [Float](repeating: 0, count: clipCount)
        var end = start
        var inside = start
        var covering = start
        for window in windows {
            let probabilities = window.probabilities
            for offset in probabilities.start.indices {
                let clip = window.firstClip + offset
                start[clip] += probabilities.start[offset]
                end[clip] += probabilities.end[offset]
                inside[clip] += probabilities.inside[offset]
                covering[clip] += 1
            }
        }
        for clip in 0..<clipCount where covering[clip] > 0 {
            start[clip] /= covering[clip]
            end[clip] /= covering[clip]
            inside[clip] /= covering[clip]
        }
        return SpanProbabilities(start: start, end: end, inside: inside)
    }
}
