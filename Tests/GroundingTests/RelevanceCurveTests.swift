import Datasets
import Testing

@testable import Grounding

@Suite struct RelevanceCurveTests {
    /// float32 cosines of a few terms.
    let tolerance: Float = 1e-6

    @Test func cosinesIgnoreScaleAndGiveZeroForAZeroRow() {
        let clips = ClipFeatures(
            values: [2, 0, 0, 3, 1, 1, 0, 0, -5, 0], clipCount: 5, featureDimension: 2)
        let cosines = RelevanceCurve.cosineSimilarities(query: [7, 0], clips: clips)
        let expected: [Float] = [1, 0, Float(0.5).squareRoot(), 0, -1]
        #expect(zip(cosines, expected).allSatisfy { abs($0 - $1) < tolerance })
        // Only the clips asked for.
        #expect(
            RelevanceCurve.cosineSimilarities(query: [1, 0], clips: clips, clipCount: 2).count == 2)
        // A query of zeros is similar to nothing.
        #expect(RelevanceCurve.cosineSimilarities(query: [0, 0], clips: clips) == [0, 0, 0, 0, 0])
    }

    @Test func cosinesOfWideVectorsMatchTheScalarFormula() {
        // 21 dimensions: two SIMD8 blocks and a scalar tail of 5.
        let dimension = 21
        let query = (0..<dimension).map { Float($0 % 5) - 2 }
        let values = (0..<(3 * dimension)).map { Float(($0 * 7) % 11) - 5 }
        let clips = ClipFeatures(values: values, clipCount: 3, featureDimension: dimension)
        let cosines = RelevanceCurve.cosineSimilarities(query: query, clips: clips)
        for clip in 0..<3 {
            let row = Array(clips.row(clip))
            let dot = zip(row, query).reduce(0) { $0 + $1.0 * $1.1 }
            let norms =
                row.reduce(0) { $0 + $1 * $1 }.squareRoot()
                * query.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(cosines[clip] - dot / norms) < tolerance)
        }
    }

    @Test func smoothingAveragesTheClipsInsideTheVideo() {
        // Width 3: the first clip averages clips 0 and 1 only, the last clips 2 and 3.
        let curve = RelevanceCurve(similarities: [0, 3, 0, 0], smoothingClips: 3)
        #expect(curve.smoothed == [1.5, 1, 1, 0])
        // Width 1 leaves the curve as it is.
        #expect(
            RelevanceCurve(similarities: [0, 3, 0, 0], smoothingClips: 1).smoothed == [0, 3, 0, 0])
    }

    @Test func meanAndStandardDeviationAreThoseOfTheSmoothedCurve() {
        let curve = RelevanceCurve(similarities: [1, 3, 1, 3], smoothingClips: 1)
        #expect(curve.mean == 2)
        #expect(curve.standardDeviation == 1)
        let empty = RelevanceCurve(similarities: [], smoothingClips: 3)
        #expect(empty.smoothed.isEmpty && empty.mean == 0 && empty.standardDeviation == 0)
    }
}
