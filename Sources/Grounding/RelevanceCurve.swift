import Datasets

/// One query's relevance to each clip of a video: the cosine similarity of the query's text
/// embedding with each clip's image embedding, and that curve smoothed, with the smoothed
/// curve's mean and standard deviation (the statistics of zero-shot grounding's thresholds).
public struct RelevanceCurve: Codable, Sendable, Equatable {
    /// cos(t, vᵢ) per clip, in [−1, 1] (0 for a clip or query of zeros).
    public var similarities: [Float]
    /// The centred moving average of `similarities` over `smoothingClips` clips: clip i averages
    /// clips i − h … i + h, h = (width − 1) / 2, those inside the video (fewer at its ends).
    public var smoothed: [Float]
    /// The mean of `smoothed`.
    public var mean: Double
    /// The population standard deviation of `smoothed`.
    public var standardDeviation: Double

    /// The curve of `similarities` smoothed over `smoothingClips` clips (odd, at least 1).
    public init(similarities: [Float], smoothingClips: Int) {
        precondition(
            smoothingClips >= 1 && smoothingClips % 2 == 1,
            "RelevanceCurve: smoothing width \(smoothingClips) is not an odd number ≥ 1")
        self.similarities = similarities
        let count = similarities.count
        let half = smoothingClips / 2
        // Prefix sums in Double: exact enough for any width, and O(N) whatever the width.
        var prefix = [Double](repeating: 0, count: count + 1)
        for index in 0..<count { prefix[index + 1] = prefix[index] + Double(similarities[index]) }
        smoothed = (0..<count).map { clip in
            let first = max(0, clip - half)
            let last = min(count - 1, clip + half)
            return Float((prefix[last + 1] - prefix[first]) / Double(last - first + 1))
        }
        var sum = 0.0
        for value in smoothed { sum += Double(value) }
        mean = count > 0 ? sum / Double(count) : 0
        var squares = 0.0
        for value in smoothed { squares += (Double(value) - mean) * (Double(value) - mean) }
        standardDeviation = count > 0 ? (squares / Double(count)).squareRoot() : 0
    }

    /// cos(t, vᵢ) of the query embedding `query` ([D]) with each of the first `clipCount` rows
    /// of `clips` ([N, D]; default all): both L2-normalised here, so any scale will do.
    public static func cosineSimilarities(
        query: [Float], clips: ClipFeatures, clipCount: Int? = nil
    ) -> [Float] {
        let dimension = clips.featureDimension
        precondition(
            query.count == dimension,
            "RelevanceCurve.cosineSimilarities: query [\(query.count)], clips [\(clips.clipCount), "
                + "\(dimension)]")
        let count = clipCount ?? clips.clipCount
        precondition(
            count >= 0 && count <= clips.clipCount,
            "RelevanceCurve.cosineSimilarities: \(count) of \(clips.clipCount) clips")
        let queryNorm = dot(query[...], query[...]).squareRoot()
        guard queryNorm > 0 else { return [Float](repeating: 0, count: count) }
        return (0..<count).map { clip in
            let row = clips.row(clip)
            let rowNorm = dot(row, row).squareRoot()
            return rowNorm > 0 ? dot(row, query[...]) / (rowNorm * queryNorm) : 0
        }
    }

    /// Σ aᵢbᵢ with SIMD8 partial sums (a strict-order scalar loop would not vectorise).
    private static func dot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        precondition(a.count == b.count, "RelevanceCurve.dot: lengths \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                guard let x = left.baseAddress, let y = right.baseAddress else { return 0 }
                let count = left.count
                var sums = SIMD8<Float>()
                var index = 0
                while index + 8 <= count {
                    let u = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
                    let v = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
                    sums = u * v + sums
                    index += 8
                }
                var total = sums.sum()
                while index < count {
                    total += x[index] * y[index]
                    index += 1
                }
                return total
            }
        }
    }
}
