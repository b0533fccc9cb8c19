import Datasets
import Metrics
import Testing
import VTGCore
@testable import Grounding

@Suite struct SpanDecoderTests {
    @Test func peakedCurvesGiveTheirSpanFirst() {
        // 10 clips over 20 s: start peaks at clip 2, end at clip 5 → [4 s, 12 s].
        var start = [Float](repeating: 0.01, count: 10)
        var end = [Float](repeating: 0.01, count: 10)
        start[2] = 0.91
        end[5] = 0.91
        let spans = SpanDecoder.decode(
            SpanProbabilities(start: start, end: end, inside: []), durationSeconds: 20,
            maxSpanClips: 10, topK: 5, nmsThreshold: 0.5)
        #expect(spans.count == 5)
        #expect(spans[0].span == TimeSpan(startSeconds: 4, endSeconds: 12))
        #expect(abs(spans[0].score - 0.91 * 0.91) < 1e-6)
        // NMS: no kept span overlaps the first by more than 0.5 IoU.
        for span in spans.dropFirst() {
            #expect(span.span.intersectionOverUnion(with: spans[0].span) <= 0.5)
        }
    }

    @Test func endBeforeStartIsNeverProposedAndSpansStayInsideTheVideo() {
        // Start peaks late, end early: the best valid pair must still have start ≤ end.
        var start = [Float](repeating: 0.0, count: 4)
        var end = [Float](repeating: 0.0, count: 4)
        start[3] = 0.7
        start[0] = 0.3
        end[0] = 0.6
        end[3] = 0.4
        let spans = SpanDecoder.decode(
            SpanProbabilities(start: start, end: end, inside: []), durationSeconds: 7,
            maxSpanClips: 4, topK: 3)
        // Pairs: (3,3) 0.28, (0,0) 0.18, (0,3) 0.12 → (3,3) first: [5.25, 7].
        #expect(spans[0].span == TimeSpan(startSeconds: 5.25, endSeconds: 7))
        for span in spans {
            #expect(span.span.startSeconds <= span.span.endSeconds)
            #expect(span.span.endSeconds <= 7)
        }
    }

    @Test func walkingTheSortedCandidatesEqualsSuppressingThemAll() {
        // The decoder's NMS stops at the top K on the sorted candidates; the reference builds
        // every candidate span and runs `nonMaximumSuppressed` over them all. Coarse values
        // give many tied scores.
        var generator = SeededGenerator(seed: 11)
        for trial in 0..<40 {
            let clips = 1 + trial % 37
            let values = (0..<(2 * clips)).map { _ in
                Float(Int.random(in: 1...6, using: &generator)) / 8
            }
            let probabilities = SpanProbabilities(
                start: Array(values[..<clips]), end: Array(values[clips...]),
                inside: [Float](repeating: 0, count: clips))
            let duration = Double(3 * clips) + 0.7
            let maxSpanClips = 1 + trial % 29
            for (topK, threshold) in [(5, 0.5), (1, 0.5), (10, 0.3), (200, 0.7)] {
                var reference: [ScoredSpan] = []
                let clipSeconds = duration / Double(clips)
                for start in 0..<clips {
                    for end in start..<min(clips, start + maxSpanClips) {
                        reference.append(
                            ScoredSpan(
                                span: SpanDecoder.seconds(
                                    firstClip: start, lastClip: end, clipSeconds: clipSeconds,
                                    durationSeconds: duration),
                                score: Double(probabilities.start[start] * probabilities.end[end])))
                    }
                }
                let expected = reference.nonMaximumSuppressed(
                    iouThreshold: threshold, maxKept: topK)
                let decoded = SpanDecoder.decode(
                    probabilities, durationSeconds: duration, maxSpanClips: maxSpanClips,
                    topK: topK, nmsThreshold: threshold)
                #expect(decoded == expected, "trial \(trial), top \(topK)")
            }
        }
    }

    @Test func maxSpanClipsLimitsLength() {
        let uniform = [Float](repeating: 0.25, count: 4)
        let spans = SpanDecoder.decode(
            SpanProbabilities(start: uniform, end: uniform, inside: []), durationSeconds: 4,
            maxSpanClips: 1, topK: 10, nmsThreshold: 1)
        #expect(spans.count == 4)
        #expect(spans.allSatisfy { $0.span.lengthSeconds == 1 })
    }

    @Test func ensembleAverageIsTheMeanOfMembers() {
        let a = SpanProbabilities(start: [0.2, 0.8], end: [0.6, 0.4], inside: [0.1, 0.9])
        let b = SpanProbabilities(start: [0.4, 0.6], end: [0.2, 0.8], inside: [0.3, 0.5])
        let mean = SpanProbabilities.averaged([a, b])
        #expect(mean.start.enumerated().allSatisfy { abs($0.element - [0.3, 0.7][$0.offset]) < 1e-6 })
        #expect(mean.end.enumerated().allSatisfy { abs($0.element - [0.4, 0.6][$0.offset]) < 1e-6 })
        #expect(mean.inside.enumerated().allSatisfy { abs($0.element - [0.2, 0.7][$0.offset]) < 1e-6 })
    }

    @Test func clipRangeInvertsTheDecoderMapping() {
        // 10 clips of 2 s: [3, 9] s covers clips 1 (2–4 s) to 4 (8–10 s).
        #expect(clipRange(of: TimeSpan(startSeconds: 3, endSeconds: 9), durationSeconds: 20,
            clipCount: 10) == 1...4)
        // A zero-length span still covers its clip; spans past the end clamp to the last clip.
        #expect(clipRange(of: TimeSpan(startSeconds: 4, endSeconds: 4), durationSeconds: 20,
            clipCount: 10) == 2...2)
        #expect(clipRange(of: TimeSpan(startSeconds: 19, endSeconds: 25), durationSeconds: 20,
            clipCount: 10) == 9...9)
    }
}
