/// How a video with more clips than a model takes is shortened to `maxClips` clips.
public enum TemporalResampling: String, CaseIterable, Codable, Sendable {
    /// Split the clips into `maxClips` equal bins and average each (2D-TAN's
    /// `average_to_fixed_length`, and VSLNet's released `visual_feature_sampling`). Bin `i` covers
    /// clips `[round(i·N/M), round((i+1)·N/M))`, rounding half to even as numpy and torch do; an
    /// empty bin takes the clip at its start. Unlike 2D-TAN, which clamps bin edges to `N − 1`
    /// and so never averages the last clip in, the last bin here ends at clip `N`.
    case averagePooling = "average"
    /// Keep one clip per bin: the clip nearest the bin's centre, `floor((i + 0.5)·N/M)`.
    case nearestIndex = "nearest"

    /// `features` shortened to at most `maxClips` clips; returned unchanged if it already fits.
    public func resample(_ features: ClipFeatures, maxClips: Int) -> ClipFeatures {
        precondition(maxClips > 0, "TemporalResampling.resample: maxClips \(maxClips) <= 0")
        let sourceCount = features.clipCount
        guard sourceCount > maxClips else { return features }
        let width = features.featureDimension
        var result = [Float](repeating: 0, count: maxClips * width)
        let ratio = Double(sourceCount) / Double(maxClips)
        for bin in 0..<maxClips {
            switch self {
            case .averagePooling:
                let start = min(
                    Int((Double(bin) * ratio).rounded(.toNearestOrEven)), sourceCount - 1)
                let end = min(
                    Int((Double(bin + 1) * ratio).rounded(.toNearestOrEven)), sourceCount)
                let count = max(end - start, 1)
                for clip in start..<(start + count) {
                    for dimension in 0..<width {
                        result[bin * width + dimension] += features.values[clip * width + dimension]
                    }
                }
                let scale = 1 / Float(count)
                for dimension in 0..<width { result[bin * width + dimension] *= scale }
            case .nearestIndex:
                let clip = min(Int(((Double(bin) + 0.5) * ratio).rounded(.down)), sourceCount - 1)
                for dimension in 0..<width {
                    result[bin * width + dimension] = features.values[clip * width + dimension]
                }
            }
        }
        return ClipFeatures(values: result, clipCount: maxClips, featureDimension: width)
    }
}
