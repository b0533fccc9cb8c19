import Metrics
import Testing
import VTGCore

@testable import Grounding

@Suite struct SlidingWindowsTests {
    @Test func windowsStepByTheStrideAndTheLastEndsAtTheLastClip() {
        let windows = SlidingWindows(windowClips: 32)
        #expect(windows.strideClips == 16)
        #expect(windows.windowStarts(clipCount: 20) == [0])
        #expect(windows.windowStarts(clipCount: 32) == [0])
        #expect(windows.windowStarts(clipCount: 100) == [0, 16, 32, 48, 64, 68])
        #expect(windows.windowStarts(clipCount: 64) == [0, 16, 32])
        let apart = SlidingWindows(windowClips: 10, strideClips: 10)
        #expect(apart.windowStarts(clipCount: 25) == [0, 10, 15])
        #expect(SlidingWindows(windowClips: 1).windowStarts(clipCount: 3) == [0, 1, 2])
    }

    @Test func everyMomentUpToWindowLessStrideLiesWholeInSomeWindow() {
        for (window, stride) in [(32, 16), (32, 8), (10, 7), (75, 37)] {
            let windows = SlidingWindows(windowClips: window, strideClips: stride)
            for clipCount in [window + 1, 3 * window + 5, 10 * window] {
                let starts = windows.windowStarts(clipCount: clipCount)
                let longest = window - stride
                for first in 0..<(clipCount - longest + 1) {
                    let moment = first..<first + longest
                    #expect(
                        starts.contains {
                            $0 <= moment.lowerBound && moment.upperBound <= $0 + window
                        },
                        "window \(window), stride \(stride), \(clipCount) clips, moment \(moment)")
                }
            }
        }
    }

    /// Probabilities over `clips` clips peaked at `start` and `end`.
    static func peaked(clips: Int, start: Int, end: Int) -> SpanProbabilities {
        var starts = [Float](repeating: 0.01, count: clips)
        var ends = starts
        starts[start] = 0.9
        ends[end] = 0.9
        return SpanProbabilities(
            start: starts, end: ends, inside: (0..<clips).map { start...end ~= $0 ? 0.9 : 0.1 })
    }

    @Test func windowSpansAreShiftedToTheVideosTimeAndMergedByNMS() {
        // 24 clips of 2 s (48 s) in windows of 8 clips at 0, 4, …, 16. The moment at clips 9…11
        // (18–24 s) is whole in the windows starting at 4 and 8: both find it, NMS keeps one. The
        // other windows see nothing (flat probabilities).
        let starts = SlidingWindows(windowClips: 8, strideClips: 4).windowStarts(clipCount: 24)
        #expect(starts == [0, 4, 8, 12, 16])
        let windows = starts.map { first in
            let local = 9 - first
            let probabilities =
                (0..<6).contains(local)
                ? Self.peaked(clips: 8, start: local, end: min(local + 2, 7))
                : SpanProbabilities(
                    start: .init(repeating: 0.125, count: 8),
                    end: .init(repeating: 0.125, count: 8),
                    inside: .init(repeating: 0.1, count: 8))
            return SlidingWindows.Window(firstClip: first, probabilities: probabilities)
        }
        let spans = SlidingWindows.decode(
            windows, clipCount: 24, durationSeconds: 48, maxSpanClips: 8, topK: 3)
        #expect(spans.count == 3)
        #expect(spans[0].span == TimeSpan(startSeconds: 18, endSeconds: 24))
        // No second copy of the same moment among the others.
        #expect(
            spans.dropFirst().allSatisfy {
                $0.span.intersectionOverUnion(with: spans[0].span) <= 0.5
            })
        #expect(spans.allSatisfy { $0.span.startSeconds >= 0 && $0.span.endSeconds <= 48 })
    }

    @Test func mergedCurvesAverageTheWindowsCoveringEachClip() {
        let first = SpanProbabilities(
            start: [1, 1, 1, 1], end: [0, 0, 0, 0], inside: [1, 1, 1, 1])
        let second = SpanProbabilities(
            start: [3, 3, 3, 3], end: [1, 1, 1, 1], inside: [0, 0, 0, 0])
        let merged = SlidingWindows.mergedProbabilities(
            [
                .init(firstClip: 0, probabilities: first),
                .init(firstClip: 2, probabilities: second),
            ],
            clipCount: 6)
        #expect(merged.start == [1, 1, 2, 2, 3, 3])
        #expect(merged.end == [0, 0, 0.5, 0.5, 1, 1])
        #expect(merged.inside == [1, 1, 0.5, 0.5, 0, 0])
    }
}
