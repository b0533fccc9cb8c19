import Foundation
import Metrics
import Testing
import VTGCore

@testable import Grounding

@Suite struct ZeroShotDecoderTests {
    /// Contrasts are differences of Double means of a few Float32 values.
    let tolerance = 1e-6

    /// A curve of `clips` clips at `baseline`, with `bumps` raised to their values; no smoothing.
    static func curve(clips: Int, baseline: Float = 0.2, bumps: [(ClosedRange<Int>, Float)])
        -> RelevanceCurve
    {
        var values = [Float](repeating: baseline, count: clips)
        for (range, value) in bumps { for clip in range { values[clip] = value } }
        return RelevanceCurve(similarities: values, smoothingClips: 1)
    }

    let settings = ZeroShotSettings(smoothingClips: 1, clipSeconds: 2)

    @Test func oneClearBumpGivesThatSpan() {
        // 20 clips of 2 s, clips 5…9 raised from 0.2 to 0.3: [10 s, 20 s], contrast 0.1.
        let spans = ZeroShotDecoder.decode(
            Self.curve(clips: 20, bumps: [(5...9, 0.3)]), durationSeconds: 40, settings: settings)
        #expect(spans.count == 1)
        #expect(spans[0].span == TimeSpan(startSeconds: 10, endSeconds: 20))
        #expect(abs(spans[0].score - 0.1) < tolerance)
    }

    @Test func twoBumpsGiveBothRankedByContrast() {
        // Clips 2…4 at 0.4 and 12…15 at 0.3. Contrasts: 0.4 − (4·0.3 + 13·0.2)/17 and
        // 0.3 − (3·0.4 + 13·0.2)/16, so the higher bump comes first.
        let spans = ZeroShotDecoder.decode(
            Self.curve(clips: 20, bumps: [(2...4, 0.4), (12...15, 0.3)]), durationSeconds: 40,
            settings: settings)
        #expect(
            spans.map(\.span) == [
                TimeSpan(startSeconds: 4, endSeconds: 10),
                TimeSpan(startSeconds: 24, endSeconds: 32),
            ])
        #expect(abs(spans[0].score - (0.4 - 3.8 / 17)) < tolerance)
        #expect(abs(spans[1].score - (0.3 - 3.8 / 16)) < tolerance)
    }

    @Test func aFlatCurveGivesTheWholeVideoWithALowScore() {
        let flat = Self.curve(clips: 10, baseline: 0.25, bumps: [])
        let spans = ZeroShotDecoder.decode(flat, durationSeconds: 19, settings: settings)
        #expect(spans == [ScoredSpan(startSeconds: 0, endSeconds: 19, score: 0)])
        // Lower than any bump's score.
        let bump = ZeroShotDecoder.decode(
            Self.curve(clips: 10, baseline: 0.25, bumps: [(3...4, 0.26)]), durationSeconds: 19,
            settings: settings)
        #expect(bump[0].score > spans[0].score)
        // Noise below the flatness tolerance is flat too.
        let noisy = Self.curve(clips: 10, baseline: 0.25, bumps: [(3...3, 0.250_001)])
        #expect(ZeroShotDecoder.candidates(noisy, durationSeconds: 19, settings: settings).isEmpty)
        // With a length prior, the whole video is scored by the formula: 0 less the penalty.
        var prior = settings
        prior.lengthPrior = .init(preferredFraction: 0.25, weight: 0.01)
        let penalised = ZeroShotDecoder.decode(flat, durationSeconds: 19, settings: prior)
        #expect(abs(penalised[0].score + 0.01 * log(4.0)) < tolerance)
    }

    @Test func temporalNMSRemovesTheNestedDuplicate() {
        // Shoulders 0.35 on clips 4 and 11 around a core of 0.5 on clips 5…10: the threshold at
        // the mean (0.305) gives clips 4…11, those at 0.5 and 1 sd give 5…10; IoU 12/16 = 0.75.
        let curve = Self.curve(
            clips: 20, bumps: [(4...11, 0.35), (5...10, 0.5)])
        let candidates = ZeroShotDecoder.candidates(curve, durationSeconds: 40, settings: settings)
        #expect(
            candidates.map(\.span) == [
                TimeSpan(startSeconds: 8, endSeconds: 24),
                TimeSpan(startSeconds: 10, endSeconds: 22),
            ])
        let spans = ZeroShotDecoder.decode(curve, durationSeconds: 40, settings: settings)
        #expect(spans.count == 1)
        #expect(spans[0].span == TimeSpan(startSeconds: 10, endSeconds: 22))
        var keepAll = settings
        keepAll.nmsThreshold = 1
        #expect(ZeroShotDecoder.decode(curve, durationSeconds: 40, settings: keepAll).count == 2)
    }

    @Test func theLastPartialClipEndsAtTheVideosEnd() {
        // 9 s in 2-second clips: clip 4 covers [8 s, 9 s].
        let curve = Self.curve(clips: 5, baseline: 0.1, bumps: [(4...4, 0.5)])
        let spans = ZeroShotDecoder.decode(curve, durationSeconds: 9, settings: settings)
        #expect(spans[0].span == TimeSpan(startSeconds: 8, endSeconds: 9))
        // Sharing the duration evenly instead: 1.8 s per clip.
        var shared = settings
        shared.clipSeconds = nil
        let even = ZeroShotDecoder.decode(curve, durationSeconds: 9, settings: shared)
        #expect(abs(even[0].span.startSeconds - 7.2) < tolerance && even[0].span.endSeconds == 9)
    }

    @Test func onlyClipsThatStartInsideTheVideoAreUsed() {
        #expect(
            ZeroShotDecoder.usableClipCount(clipCount: 6, durationSeconds: 9, clipSeconds: 2) == 5)
        #expect(
            ZeroShotDecoder.usableClipCount(clipCount: 75, durationSeconds: 150, clipSeconds: 2)
                == 75)
        #expect(
            ZeroShotDecoder.usableClipCount(clipCount: 70, durationSeconds: 150, clipSeconds: 2)
                == 70)
        #expect(
            ZeroShotDecoder.usableClipCount(clipCount: 6, durationSeconds: 9, clipSeconds: nil) == 6
        )
        #expect(
            ZeroShotDecoder.usableClipCount(clipCount: 3, durationSeconds: 0.5, clipSeconds: 2) == 1
        )
    }

    @Test func theLengthPriorPenalisesByLogRatio() {
        // One bump of 5 clips in 20 (a quarter of the video), prior preferring a tenth.
        var prior = settings
        prior.lengthPrior = .init(preferredFraction: 0.1, weight: 0.02)
        let curve = Self.curve(clips: 20, bumps: [(5...9, 0.3)])
        let spans = ZeroShotDecoder.decode(curve, durationSeconds: 40, settings: prior)
        #expect(abs(spans[0].score - (0.1 - 0.02 * log(2.5))) < tolerance)
    }
}
