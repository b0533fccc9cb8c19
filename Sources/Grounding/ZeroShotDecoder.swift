import Metrics
import VTGCore

/// Zero-shot grounding's decoding: a query's relevance curve over a video to ranked spans in
/// seconds, with no learned parameter.
///
/// For each k of `ZeroShotSettings.thresholdDeviations`, every maximal run of clips whose smoothed
/// relevance exceeds mean + k·sd (of the video's smoothed curve) is a candidate. A candidate of
/// clips a…b scores the contrast of its inside against the video's background,
/// mean(r[a…b]) − mean(r outside a…b), less the length prior's penalty when there is one. Temporal
/// NMS (the trained models' `nonMaximumSuppressed`) keeps the best `topK`. A curve with nothing
/// standing out (flat, or no run above any threshold) gives the whole video, scored as the
/// formula scores it: contrast 0, less the prior's penalty.
public enum ZeroShotDecoder {
    /// A smoothed curve whose standard deviation is at most this is flat. Cosine units: the curves
    /// of real CLIP features vary by about 1e-2 over a video, so only a constant curve and its
    /// rounding noise fall below it.
    public static let flatDeviation = 1e-5

    /// The clips of a video of `durationSeconds` that start before its end, of `clipCount`
    /// feature rows of `clipSeconds` each (nil: the rows share the duration, all usable); at
    /// least 1 when there is any row. Rows past the end (a feature file longer than the video's
    /// annotated duration) are left out of the curve.
    public static func usableClipCount(
        clipCount: Int, durationSeconds: Double, clipSeconds: Double?
    ) -> Int {
        guard let clipSeconds, clipCount > 0 else { return clipCount }
        // The tolerance keeps a whole number of clips (150 s of 2 s clips) from counting one more.
        let started = Int((durationSeconds / clipSeconds - 1e-9).rounded(.up))
        return min(clipCount, max(1, started))
    }

    /// The seconds per clip of `curve`'s clips on a video of `durationSeconds`.
    static func clipSeconds(clipCount: Int, durationSeconds: Double, settings: ZeroShotSettings)
        -> Double
    {
        settings.clipSeconds ?? durationSeconds / Double(max(clipCount, 1))
    }

    /// Every candidate before NMS, by first then last clip, each scored; empty when the curve is
    /// flat or nothing exceeds a threshold.
    public static func candidates(
        _ curve: RelevanceCurve, durationSeconds: Double, settings: ZeroShotSettings
    ) -> [ScoredSpan] {
        let relevance = curve.smoothed
        let count = relevance.count
        guard count > 0, curve.standardDeviation > flatDeviation else { return [] }
        var runs: Set<ClipRun> = []
        for deviations in settings.thresholdDeviations {
            let threshold = curve.mean + deviations * curve.standardDeviation
            var first: Int?
            for clip in 0...count {
                let above = clip < count && Double(relevance[clip]) > threshold
                if above, first == nil { first = clip }
                if !above, let start = first {
                    runs.insert(ClipRun(first: start, last: clip - 1))
                    first = nil
                }
            }
        }
        var prefix = [Double](repeating: 0, count: count + 1)
        for clip in 0..<count { prefix[clip + 1] = prefix[clip] + Double(relevance[clip]) }
        let clipSeconds = clipSeconds(
            clipCount: count, durationSeconds: durationSeconds, settings: settings)
        return runs.sorted { ($0.first, $0.last) < ($1.first, $1.last) }.map { run in
            let length = run.last - run.first + 1
            let inside = prefix[run.last + 1] - prefix[run.first]
            let insideMean = inside / Double(length)
            let backgroundMean =
                length < count ? (prefix[count] - inside) / Double(count - length) : insideMean
            let span = SpanDecoder.seconds(
                firstClip: run.first, lastClip: run.last, clipSeconds: clipSeconds,
                durationSeconds: durationSeconds)
            let penalty = settings.lengthPrior.map {
                $0.penalty(fraction: max(span.lengthSeconds, 1e-9) / durationSeconds)
            }
            return ScoredSpan(span: span, score: insideMean - backgroundMean - (penalty ?? 0))
        }
    }

    /// The whole video, scored as the candidate formula scores it (contrast 0, less the length
    /// prior's penalty): what a curve with nothing standing out gives.
    public static func wholeVideo(durationSeconds: Double, settings: ZeroShotSettings)
        -> ScoredSpan
    {
        ScoredSpan(
            startSeconds: 0, endSeconds: durationSeconds,
            score: -(settings.lengthPrior?.penalty(fraction: 1) ?? 0))
    }

    /// The ranked spans of `curve` on a video of `durationSeconds`: the candidates after temporal
    /// NMS, at most `settings.topK`, best first; the whole video when there is no candidate.
    public static func decode(
        _ curve: RelevanceCurve, durationSeconds: Double, settings: ZeroShotSettings
    ) -> [ScoredSpan] {
        let spans = candidates(curve, durationSeconds: durationSeconds, settings: settings)
        guard !spans.isEmpty else {
            return [wholeVideo(durationSeconds: durationSeconds, settings: settings)]
        }
        return spans.nonMaximumSuppressed(
            iouThreshold: settings.nmsThreshold, maxKept: settings.topK)
    }
}

/// Clips `first…last` of a candidate, from 0.
private struct ClipRun: Hashable {
    var first: Int
    var last: Int
}
