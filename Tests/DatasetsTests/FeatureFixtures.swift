import Datasets
import Foundation
import TestSupport

/// The pattern every fixture array holds (see Scripts/make_feature_fixtures.py):
/// value(clip, dimension) = 0.25 · (clip · dimensions + dimension) − 1, exact in float16/32/64.
func fixturePattern(clips: Int, dimensions: Int) -> ClipFeatures {
    let values = (0..<(clips * dimensions)).map { Float($0) * 0.25 - 1 }
    return ClipFeatures(values: values, clipCount: clips, featureDimension: dimensions)
}

extension TestData {
    /// The checked-in feature fixtures (written by Scripts/make_feature_fixtures.py).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}
