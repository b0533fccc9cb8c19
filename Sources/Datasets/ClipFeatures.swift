/// The clip features of one video: `clipCount` rows of `featureDimension` floats, row-major
/// (`[clips, featureDimension]`). The grounding module wraps `values` into a tensor.
public struct ClipFeatures: Hashable, Sendable {
    /// Row-major values, `clipCount × featureDimension` of them.
    public var values: [Float]
    /// Number of clips (rows).
    public var clipCount: Int
    /// Length of one clip's feature vector (columns).
    public var featureDimension: Int

    /// Creates features from row-major values; `values.count` must be
    /// `clipCount × featureDimension`.
    public init(values: [Float], clipCount: Int, featureDimension: Int) {
        precondition(
            values.count == clipCount * featureDimension,
            "ClipFeatures: \(values.count) values for [\(clipCount), \(featureDimension)]")
        self.values = values
        self.clipCount = clipCount
        self.featureDimension = featureDimension
    }

    /// The feature vector of clip `clip`.
    public func row(_ clip: Int) -> ArraySlice<Float> {
        precondition(
            clip >= 0 && clip < clipCount, "ClipFeatures.row: clip \(clip) of \(clipCount)")
        return values[(clip * featureDimension)..<((clip + 1) * featureDimension)]
    }

    /// Bytes held by `values`, for the feature cache's budget.
    public var byteCount: Int { values.count * MemoryLayout<Float>.stride }

    /// Each row divided by its Euclidean norm (rows of zeros stay zero).
    public func l2Normalized() -> ClipFeatures {
        var result = values
        for clip in 0..<clipCount {
            let range = (clip * featureDimension)..<((clip + 1) * featureDimension)
            var sumOfSquares: Float = 0
            for index in range { sumOfSquares += result[index] * result[index] }
            guard sumOfSquares > 0 else { continue }
            let scale = 1 / sumOfSquares.squareRoot()
            for index in range { result[index] *= scale }
        }
        return ClipFeatures(
            values: result, clipCount: clipCount, featureDimension: featureDimension)
    }

    /// The first clip (row, column) holding NaN or an infinity, if any.
    public func firstNonFiniteValue() -> (clip: Int, dimension: Int)? {
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (index / featureDimension, index % featureDimension)
    }
}
