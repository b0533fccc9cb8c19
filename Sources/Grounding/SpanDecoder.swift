import Datasets
import Metrics
import Tensors
import VTGCore

/// One query's per-clip probabilities over its real clips.
public struct SpanProbabilities: Sendable, Equatable {
    /// softmax of the start logits over the real clips.
    public var start: [Float]
    /// softmax of the end logits over the real clips.
    public var end: [Float]
    /// sigmoid of the inside logits.
    public var inside: [Float]

    /// Probabilities of the same clips.
    public init(start: [Float], end: [Float], inside: [Float]) {
        self.start = start
        self.end = end
        self.inside = inside
    }

    /// The element-wise mean of several members' probabilities (a test-time ensemble).
    public static func averaged(_ members: [SpanProbabilities]) -> SpanProbabilities {
        precondition(!members.isEmpty, "SpanProbabilities.averaged: no members")
        let scale = 1 / Float(members.count)
        func mean(_ values: (SpanProbabilities) -> [Float]) -> [Float] {
            var total = values(members[0])
            for member in members.dropFirst() {
                let next = values(member)
                precondition(
                    next.count == total.count, "SpanProbabilities.averaged: lengths differ")
                for index in total.indices { total[index] += next[index] }
            }
            return total.map { $0 * scale }
        }
        return SpanProbabilities(start: mean(\.start), end: mean(\.end), inside: mean(\.inside))
    }
}

/// Turns per-clip probabilities into ranked spans in seconds.
public enum SpanDecoder {
    /// Spans kept per query unless asked otherwise (R@5 needs five).
    public static let defaultTopK = 5
    /// Temporal IoU above which a lower-scored span is suppressed, unless asked otherwise.
    public static let defaultNMSThreshold = 0.5

    /// Each sample's probabilities over its real clips, from a batch's logits.
    public static func probabilities(from logits: GroundingLogits, batch: GroundingBatch)
        -> [SpanProbabilities]
    {
        withGradientsDisabled {
            let start = logits.start.softmax(axis: -1).scalars
            let end = logits.end.softmax(axis: -1).scalars
            let inside = logits.inside.sigmoid().scalars
            let clips = batch.clipCount
            return batch.clipCounts.enumerated().map { item, count in
                let range = (item * clips)..<(item * clips + count)
                return SpanProbabilities(
                    start: Array(start[range]), end: Array(end[range]), inside: Array(inside[range])
                )
            }
        }
    }

    /// Scores every clip pair i ≤ j with j − i < `maxSpanClips` by p_start(i)·p_end(j), keeps
    /// the best `topK` after greedy temporal NMS at `nmsThreshold` (IoU above it suppresses),
    /// and maps clips to seconds: [i·D/N, (j + 1)·D/N], inside [0, D].
    public static func decode(
        _ probabilities: SpanProbabilities, durationSeconds: Double, maxSpanClips: Int,
        topK: Int = defaultTopK, nmsThreshold: Double = defaultNMSThreshold
    ) -> [ScoredSpan] {
        let clips = probabilities.start.count
        precondition(probabilities.end.count == clips, "SpanDecoder: start and end lengths differ")
        guard clips > 0, topK > 0 else { return [] }
        let clipSeconds = durationSeconds / Double(clips)
        var candidates: [(start: Int, end: Int, score: Float)] = []
        candidates.reserveCapacity(clips * min(clips, maxSpanClips))
        for start in 0..<clips {
            let startProbability = probabilities.start[start]
            for end in start..<min(clips, start + maxSpanClips) {
                candidates.append((start, end, startProbability * probabilities.end[end]))
            }
        }
        // Stable order: score, then earlier start, then shorter span.
        candidates.sort {
            $0.score != $1.score
                ? $0.score > $1.score
                : ($0.start != $1.start ? $0.start < $1.start : $0.end < $1.end)
        }
        // Greedy NMS as `nonMaximumSuppressed` does it, on the candidates already in its order
        // (score, ties in candidate order): a candidate is kept when its IoU with every span
        // kept before it is at most the threshold; only the candidates walked become spans.
        var kept: [ScoredSpan] = []
        for candidate in candidates {
            let span = ScoredSpan(
                span: seconds(
                    firstClip: candidate.start, lastClip: candidate.end, clipSeconds: clipSeconds,
                    durationSeconds: durationSeconds),
                score: Double(candidate.score))
            guard
                kept.allSatisfy({
                    span.span.intersectionOverUnion(with: $0.span) <= nmsThreshold
                })
            else { continue }
            kept.append(span)
            if kept.count >= topK { break }
        }
        return kept
    }

    /// Clips `firstClip…lastClip` (from 0) of `clipSeconds` each, in seconds on a video of
    /// `durationSeconds`: [first·c, (last + 1)·c], both ends at most D, so a last partial clip
    /// ends where the video ends.
    public static func seconds(
        firstClip: Int, lastClip: Int, clipSeconds: Double, durationSeconds: Double
    ) -> TimeSpan {
        precondition(
            firstClip >= 0 && firstClip <= lastClip,
            "SpanDecoder.seconds: clips \(firstClip)…\(lastClip)")
        return TimeSpan(
            startSeconds: min(durationSeconds, Double(firstClip) * clipSeconds),
            endSeconds: min(durationSeconds, Double(lastClip + 1) * clipSeconds))
    }
}
